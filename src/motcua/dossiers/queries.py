"""Read paths over dossiers, always scoped in SQL by the caller's permissions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.scope import is_unrestricted, scope_agency_id_list
from motcua.dossiers.models import AuditEvent, Dossier, OpenWork
from motcua.dossiers.rules import ENDED_STATES, WORK_STATES, State
from motcua.workcalendar.queries import get_calendar
from motcua.workcalendar.rules import Duration

AGENCY_FIELDS = ("receiving_agency", "deciding_agency", "current_agency")
# A queue of at most this many open dossiers is read whole and sorted (a few ms at most).
FEW_ROWS = 2000


def visibility_q(user: User) -> Q | None:
    """The filter for what ``user`` may see; None means nothing at all."""
    if not user.is_authenticated:
        return None
    if is_unrestricted(user):
        return Q()
    ids = scope_agency_id_list(user)  # literal ids: see scope_agency_id_list
    return Q(applicant_user_id=user.pk) | _held_by(ids)


def _held_by(agency_ids: list[int]) -> Q:
    """Received, decided or now held by one of ``agency_ids``."""
    q = Q()
    for field in AGENCY_FIELDS:
        q |= Q(**{f"{field}_id__in": agency_ids})
    return q


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    q = visibility_q(user)
    return Dossier.objects.none() if q is None else Dossier.objects.filter(q)


def own_dossiers(user: User) -> QuerySet[Dossier]:
    """A citizen's own dossiers (what "My dossiers" lists)."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(applicant_user_id=user.pk)


class DeadlineStatus:
    NOT_STARTED = "not_started"
    PAUSED = "paused"
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ENDED_ON_TIME = "ended_on_time"
    ENDED_LATE = "ended_late"


def deadline_status(
    *, now: dt.datetime | None = None, due_soon_until: dt.datetime | None = None
) -> Case:
    """The operational deadline status (``DeadlineStatus``) on the effective due date, as a
    query expression. ``due_soon_until`` defaults to one working day from ``now`` on the
    default calendar."""
    now = now or timezone.now()
    if due_soon_until is None:
        due_soon_until = get_calendar().add(now, Duration(1, "d"))
    ended = Q(ended_at__isnull=False)
    return Case(
        When(received_at__isnull=True, then=Value(DeadlineStatus.NOT_STARTED)),
        When(
            ended & Q(ended_at__lte=F("effective_due_at")),
            then=Value(DeadlineStatus.ENDED_ON_TIME),
        ),
        When(ended, then=Value(DeadlineStatus.ENDED_LATE)),
        When(state=State.SUPPLEMENT_REQUESTED, then=Value(DeadlineStatus.PAUSED)),
        When(effective_due_at__lt=now, then=Value(DeadlineStatus.OVERDUE)),
        When(effective_due_at__lte=due_soon_until, then=Value(DeadlineStatus.DUE_SOON)),
        default=Value(DeadlineStatus.ON_TIME),
        output_field=CharField(),
    )


def with_deadline_status(
    qs: QuerySet[Dossier],
    *,
    now: dt.datetime | None = None,
    due_soon_until: dt.datetime | None = None,
) -> QuerySet[Dossier]:
    """Annotate ``deadline_status`` (``deadline_status()``) and ``late_by_index``
    (kpi-766.md §2.1: end − supplement time > the legal due date, or more than one supplement
    request), in one query."""
    now = now or timezone.now()
    end_minus_pauses = ExpressionWrapper(
        F("ended_at") - F("paused_total"), output_field=DateTimeField()
    )
    now_minus_pauses = ExpressionWrapper(
        Value(now) - F("paused_total"), output_field=DateTimeField()
    )
    return qs.annotate(
        deadline_status=deadline_status(now=now, due_soon_until=due_soon_until),
        late_by_index=Case(
            When(received_at__isnull=True, then=Value(False)),
            When(supplement_count__gt=1, then=Value(True)),
            When(Q(ended_at__isnull=False), then=GreaterThan(end_minus_pauses, F("due_at"))),
            # awaiting the one supplement asked for: the clock stopped when it was asked
            When(state=State.SUPPLEMENT_REQUESTED, then=Value(False)),
            default=GreaterThan(now_minus_pauses, F("due_at")),
            output_field=BooleanField(),
        ),
    )


def work_queue(
    user: User,
    *,
    states: Iterable[str] | None = None,
    procedure_id: int | None = None,
    due_before: dt.datetime | None = None,
    expected_rows: int | None = None,
) -> QuerySet[Dossier]:
    """An officer's queue: open dossiers in scope, those waiting for reception (no due date
    yet) first, then the nearest due date (the order of the partial indexes ``dossier_open_*``).

    ``expected_rows``: the exact size of this queue when the caller knows it
    (``queue_summary``); it picks the plan whose cost is bounded (see below)."""
    q = visibility_q(user)
    if q is None:
        return Dossier.objects.none()
    qs = Dossier.objects.filter(q, state__in=list(states or WORK_STATES))
    if procedure_id:
        qs = qs.filter(procedure_id=procedure_id)
    if due_before:
        qs = qs.filter(effective_due_at__lte=due_before)
    due = F("effective_due_at")
    if (
        expected_rows is not None
        and expected_rows <= FEW_ROWS
        and connection.vendor == "postgresql"
    ):
        # Few rows in scope: fetch them through the per-agency partial indexes and sort them
        # (cost follows ``expected_rows``). Otherwise PostgreSQL walks the province-wide
        # ``dossier_open_due`` in order and filters, reading about 25 × (open dossiers of the
        # province / open in scope) rows: 4,000 for a commune at 1,000,000 dossiers, more for a
        # small one. ``+ 0`` keeps the order and makes that index unusable for it.
        due = ExpressionWrapper(due + Value(dt.timedelta(0)), output_field=DateTimeField())
    return qs.order_by(due.asc(nulls_first=True), "submitted_at", "pk")


@dataclass(frozen=True)
class QueueSummary:
    """Exact numbers of open dossiers in an officer's queue by (state, procedure id): the
    state counts, the procedure filter's options and the page count all come from it."""

    counts: dict[tuple[str, int], int]

    def by_state(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for (state, _), n in self.counts.items():
            out[state] += n
        return dict(out)

    def procedure_ids(self) -> set[int]:
        return {procedure for _, procedure in self.counts}

    def count(self, *, states: Iterable[str] | None = None, procedure_id: int | None = None) -> int:
        keep = set(states) if states else None
        return sum(
            n
            for (state, procedure), n in self.counts.items()
            if (keep is None or state in keep) and (not procedure_id or procedure == procedure_id)
        )


def _disjoint_scope_arms(user: User) -> list[Q] | None:
    """``visibility_q(user)`` as disjoint filters (receiving agency in scope; else deciding;
    else current; else the officer's own application) whose counts add up exactly. Each arm
    is answered from one covering partial index without reading the table (``dossier_open_*``
    for the receiving column, ``dossier_away_*`` for the others), where one OR over the three
    columns needs every row fetched to remove duplicates."""
    if not user.is_authenticated:
        return None
    if is_unrestricted(user):
        return [Q()]
    ids = scope_agency_id_list(user)
    own = Q(applicant_user_id=user.pk)
    if not ids:
        return [own]
    arms, outside = [], Q()
    for field in AGENCY_FIELDS:
        inside = Q(**{f"{field}_id__in": ids})
        arm = inside & outside
        if field != "receiving_agency":
            # implied by ``outside`` (received out of scope, so elsewhere), and the condition
            # of the partial index ``dossier_away_*`` that holds only such dossiers
            arm &= ~Q(**{f"{field}_id": F("receiving_agency_id")})
        arms.append(arm)
        outside &= ~inside
    arms.append(own & outside)
    return arms


MAX_LIST_ARMS = 64


def scope_arms_by_agency(user: User) -> list[Q] | None:
    """``visibility_q(user)`` split into one filter per (agency column, agency) plus the
    officer's own applications: each is one index range (``dossier_list_*``), read in the API
    list's order. None when that does not pay (no restriction, or a scope so wide that the
    single filtered query is as good)."""
    if not user.is_authenticated or is_unrestricted(user):
        return None
    ids = scope_agency_id_list(user)
    if len(ids) * len(AGENCY_FIELDS) + 1 > MAX_LIST_ARMS:
        return None
    arms = [Q(**{f"{field}_id": pk}) for field in AGENCY_FIELDS for pk in ids]
    return [*arms, Q(applicant_user_id=user.pk)]


def queue_summary(user: User, *, due_before: dt.datetime | None = None) -> QueueSummary:
    """Exact counts of ``work_queue(user, due_before=...)`` by state and procedure, in one
    statement.

    Without ``due_before`` they are read from the open-work tally (``dossiers/openwork.py``),
    whose size follows the combinations of agencies and procedures in use, not the open work;
    the officer's own applications outside the scope are counted live (a citizen's handful).
    With ``due_before`` the open dossiers of the scope are counted, one disjoint arm of
    ``_disjoint_scope_arms`` per covering partial index."""
    if not user.is_authenticated:
        return QueueSummary({})
    work = [s.value for s in WORK_STATES]
    if due_before:
        parts = [
            _count_by_state_and_procedure(
                Dossier.objects.filter(arm, state__in=work, effective_due_at__lte=due_before)
            )
            for arm in _disjoint_scope_arms(user)
        ]
    elif is_unrestricted(user):
        parts = [_sum_tally(Q())]
    else:
        ids = scope_agency_id_list(user)
        own = Dossier.objects.filter(applicant_user_id=user.pk, state__in=work)
        parts = [_count_by_state_and_procedure(own.exclude(_held_by(ids)) if ids else own)]
        if ids:
            parts.append(_sum_tally(_held_by(ids)))
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for state, procedure, n in rows:
        counts[(state, procedure)] += n
    return QueueSummary(dict(counts))


def _count_by_state_and_procedure(qs: QuerySet[Dossier]) -> QuerySet:
    return qs.order_by().values_list("state", "procedure_id").annotate(n=Count("*"))


def _sum_tally(q: Q) -> QuerySet:
    # rows at 0 (combinations no longer in use) would list their procedure in the filter
    rows = OpenWork.objects.filter(q, n__gt=0).order_by()
    return rows.values_list("state", "procedure_id").annotate(n=Sum("n"))


def counts_by_state(qs: QuerySet[Dossier]) -> dict[str, int]:
    return dict(qs.order_by().values_list("state").annotate(n=Count("pk")))


def timeline(dossier: Dossier, *, for_citizen: bool) -> QuerySet[AuditEvent]:
    """The dossier's events; citizens see the actions, not who inside the agency acted."""
    events = AuditEvent.objects.filter(dossier=dossier).order_by("at", "pk")
    if for_citizen:
        return events.only("at", "action", "from_state", "to_state", "national_status", "form")
    return events.select_related("actor", "agency", "form")


def is_ended(dossier: Dossier) -> bool:
    return dossier.state_enum in ENDED_STATES


def pending_sync() -> QuerySet[AuditEvent]:
    """Dossier events not yet sent to the national portal, oldest first (the synchroniser's
    input; an attempt creates the event's ``SyncItem``)."""
    return AuditEvent.objects.filter(dossier__isnull=False, sync__isnull=True).order_by("pk")
