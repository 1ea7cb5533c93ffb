"""Vietnamese display formats shared by every web layer."""

from __future__ import annotations


def vnd(amount: int | None) -> str:
    """1250000 → "1.250.000 đ" (Vietnamese thousands separator); unknown → "—"."""
    if amount is None:
        return "—"
    return f"{int(amount):,} đ".replace(",", ".")
