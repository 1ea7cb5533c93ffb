"""Record a change to reference data (call inside the service's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from motcua.core.models import ChangeEvent


def change_event(
    action: str,
    obj: models.Model | None,
    summary: str,
    *,
    actor: Any = None,
    object_type: str = "",
    data: dict | None = None,
) -> ChangeEvent:
    """The event ``record_change`` appends, unsaved (for ``record_changes``)."""
    return ChangeEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        data=data or {},
    )


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
    event = change_event(action, obj, summary, actor=actor, object_type=object_type, data=data)
    event.save(force_insert=True)
    return event


def record_changes(events: Sequence[ChangeEvent]) -> None:
    """Append several events (``change_event``'s) in one insert, in their order: a service that
    changes many rows at once records one event per row all the same."""
    if events:
        ChangeEvent.objects.bulk_create(events)
