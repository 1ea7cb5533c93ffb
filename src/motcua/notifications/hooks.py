"""The one call each engine service makes when it records an event (inside its transaction).

Nothing is looked up or sent here: one job row is written (``motcua.jobs``), handed to the
task engine after commit, and the job does the rest. Events recorded with a time in the past
(the demo loader, replays, imports) notify nobody: they are history, not news.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.utils import timezone

from motcua.notifications import rules as R

BACKDATED = dt.timedelta(hours=1)
_muted: ContextVar[bool] = ContextVar("motcua_notifications_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """No notification for what is done inside (bulk loaders)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _quiet(now: dt.datetime) -> bool:
    return _muted.get() or now < timezone.now() - BACKDATED


def dossier_event(dossier: Any, action: str, *, data: dict, reason: str, now: dt.datetime) -> None:
    """Called by ``dossiers.services._engine._record`` for every transition."""
    event = R.ACTION_EVENTS.get(str(action))
    if event is None or getattr(dossier, "imported", False) or _quiet(now):
        return
    from motcua.jobs import enqueue_on_commit
    from motcua.notifications.tasks import announce

    details: dict[str, Any] = {"reason": reason, "_key": dossier.version}
    if "missing" in data:
        details["missing"] = data["missing"]
    if "fees" in data:
        details["fees"] = data["fees"]
    enqueue_on_commit(
        announce,
        "dossier",
        dossier.pk,
        event,
        details,
        idempotency_key=f"notify:dossier:{dossier.pk}:{dossier.version}:{event}",
    )


def feedback_answered(item: Any, now: dt.datetime) -> None:
    """Called by ``feedback.services.publish``: the reporter hears the answer is out."""
    if _quiet(now):
        return
    from motcua.jobs import enqueue_on_commit
    from motcua.notifications.tasks import announce

    enqueue_on_commit(
        announce,
        "feedback",
        item.pk,
        R.FEEDBACK_ANSWERED,
        {},
        idempotency_key=f"notify:feedback:{item.pk}:{item.version}:{R.FEEDBACK_ANSWERED}",
    )
