"""Record a change to reference data (call inside the service's transaction)."""

from __future__ import annotations

from typing import Any

from django.db import models

from motcua.core.models import ChangeEvent


def record_change(
    action: str,
    obj: models.Model | None,
    summary: str,
    *,
    actor: Any = None,
    object_type: str = "",
    data: dict | None = None,
) -> ChangeEvent:
    """Append one event; ``obj`` names the changed row (or pass ``object_type`` for a batch)."""
    return ChangeEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        data=data or {},
    )
