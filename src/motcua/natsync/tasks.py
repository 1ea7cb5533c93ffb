"""Task-engine entry points (provisional until motcua.jobs lands: the sweep delivers)."""

from __future__ import annotations


def enqueue(dossier_id: int, *, key: str) -> None:
    return None
