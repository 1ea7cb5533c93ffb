"""The one path every action takes (``_act``), and the pieces other writers reuse.

Lock the dossier row (or check the version the caller saw), look the action up in the
transition table (``dossiers.rules``: Decree 118/2025/NĐ-CP, Decree 42/2022/NĐ-CP), check the
caller's permission, apply the change, then ``_record``: issue the legal form the row names, if
any (Circular 03/2025/TT-VPCP, Forms 01–07), and append the audit event carrying the row's legal
reference. ``calendar_for``: the working calendar due dates are counted on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import rows
from motcua.core.prepared import PreparedGet
from motcua.dossiers.errors import ConflictError, InvalidInput
from motcua.dossiers.models import AuditEvent, Dossier, IssuedForm
from motcua.dossiers.permissions import authorise
from motcua.dossiers.rules import NATIONAL_STATUS, Action, State, Transition, transition
from motcua.dossiers.services.forms import issue_form
from motcua.natsync import hooks as sync_hooks
from motcua.notifications import hooks as notify_hooks
from motcua.stats import hooks as stats_hooks
from motcua.workcalendar.queries import get_calendar
from motcua.workcalendar.rules import WorkingCalendar


@dataclass
class _Change:
    """What one action did, for the audit event and the form snapshot."""

    reason: str = ""
    data: dict = field(default_factory=dict)
    form_extra: dict = field(default_factory=dict)


def calendar_for(agency: Agency) -> WorkingCalendar:
    return get_calendar(agency.effective_office_hours())


def _lock_queryset() -> QuerySet[Dossier]:
    """Everything an action reads about its dossier, in the one locking statement."""
    qs = Dossier.objects.select_related(
        "procedure",
        "workflow",
        "receiving_agency__parent",
        "deciding_agency__parent",
        "current_agency__parent",
    )
    if connection.vendor == "postgresql":
        return qs.select_for_update(nowait=True, of=("self",))
    return qs  # SQLite: IMMEDIATE transactions already serialise writers


# built once: building this six-table query cost four times what running it costs
_LOCKED_DOSSIER = PreparedGet(_lock_queryset)


def _lock(dossier_id: int, expected_version: int | None) -> Dossier:
    try:
        dossier = _LOCKED_DOSSIER.get(dossier_id)
    except DatabaseError:
        raise ConflictError(
            "Hồ sơ đang được người khác xử lý. Vui lòng tải lại và thử lại."
        ) from None
    if dossier is None:
        raise InvalidInput("Không tìm thấy hồ sơ.", fields={"dossier": "not_found"})
    if expected_version is not None and dossier.version != expected_version:
        raise ConflictError(
            f"Hồ sơ {dossier.code} đã được thay đổi bởi người khác. Vui lòng tải lại."
        )
    return dossier


def _record(
    dossier: Dossier,
    t: Transition,
    *,
    by: User | None,
    role: str,
    now: dt.datetime,
    change: _Change,
    from_state: State | None,
) -> None:
    """Issue the transition's form, if it has one, and append the audit event."""
    form = None
    if t.form:
        form = issue_form(dossier, t.form, now=now, by=by, extra=change.form_extra)
    event = _event(
        dossier, t, by=by, role=role, now=now, change=change, from_state=from_state, form=form
    )
    rows.insert([event], returning=False)
    stats_hooks.touch(dossier.pk)
    notify_hooks.dossier_event(dossier, t.action, data=change.data, reason=change.reason, now=now)
    sync_hooks.queue(dossier.pk, dossier.version)  # national portal, after commit


def _event(
    dossier: Dossier,
    t: Transition,
    *,
    by: User | None,
    role: str,
    now: dt.datetime,
    change: _Change,
    from_state: State | None,
    form: IssuedForm | None = None,
) -> AuditEvent:
    return AuditEvent(
        dossier=dossier,
        at=now,
        actor=by,
        actor_role=role,
        agency=dossier.current_agency,
        action=t.action,
        from_state=from_state or "",
        to_state=t.target,
        national_status=NATIONAL_STATUS[t.target],
        reason=change.reason,
        form=form,
        data={"legal_ref": t.legal_ref, **change.data},
    )


def _act(
    dossier_id: int,
    action: Action,
    *,
    by: User,
    expected_version: int | None,
    now: dt.datetime | None,
    apply: Callable[[Dossier, dt.datetime], _Change],
    pipelined: bool = False,
) -> Dossier:
    """``pipelined``: ``apply`` writes only through ``core.rows`` (see ``rows.pipeline``)."""
    now = now or timezone.now()
    with transaction.atomic(), rows.pipeline() if pipelined else nullcontext():
        dossier = _lock(dossier_id, expected_version)
        from_state = dossier.state_enum
        t = transition(from_state, action)
        role = authorise(by, dossier, action)
        change = apply(dossier, now)
        dossier.state = t.target
        dossier.version += 1
        rows.update(dossier)
        _record(dossier, t, by=by, role=role, now=now, change=change, from_state=from_state)
    return dossier
