"""One dossier's statistical facts, computed from its raw records by a pure function (no ORM).

Everything the statistics count about a dossier is decided here, once: when it was received
and ended (local calendar days, Asia/Ho_Chi_Minh), how it ended (early / on time / late, by
the on-time rule of kpi-766.md §2.1), its flags (online, paid online, digitised …), and its
status "as of cut-off day C" while it is open, as a short list of segments: the status is a
piecewise-constant function of C that changes only on a few breakpoint days.

The aggregates (``stats.aggregates``) turn a Fact into counter contributions; the query layer
reads the counters. docs/statistics.md lists the rule choices where kpi-766.md says ⚠.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# How a dossier ended (``end_kind``) and how its end compares to its due day (``end_class``).
APPROVED, REFUSED, WITHDRAWN, STOPPED = "approved", "refused", "withdrawn", "stopped"
SETTLED_KINDS = frozenset({APPROVED, REFUSED})
EARLY, ON_TIME, LATE = "early", "on_time", "late"
# Status of an open dossier as of C: within its deadline, or past it.
WITHIN, OVERDUE = "w", "o"

ONLINE_CHANNELS = frozenset({"city_portal", "national_portal"})
CHANNELS = ("desk", "post", "city_portal", "national_portal", "kiosk")


@dataclass(frozen=True)
class PauseInput:
    """A supplement round: requested at ``started_at``; ``ended_at`` is the applicant's
    supplement, or the dossier's end when processing ended while waiting (then it is not a
    completed round: the applicant never came back)."""

    started_at: dt.datetime
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class FeeInput:
    amount_vnd: int
    payment_channel: str  # "" | cash | bank | online
    paid_at: dt.datetime | None


@dataclass(frozen=True)
class DossierInput:
    """The raw records of one dossier, as plain values."""

    id: int
    agency_id: int  # the deciding (executing) agency: cơ quan thực hiện
    procedure_id: int
    channel: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    extended_due_at: dt.datetime | None  # re-dated by an apology (Form 04)
    ended_at: dt.datetime | None
    returned_at: dt.datetime | None
    state: str
    outcome: str  # "" | approved | refused
    result_electronic: bool = False
    applicant_vneid: bool = False
    pauses: Sequence[PauseInput] = ()
    fees: Sequence[FeeInput] = ()
    procedure_fee_bearing: bool = False  # the catalogue has a non-zero fee for the procedure
    has_component_file: bool = False  # an uploaded component, or a component marked digitised
    reuses_data: bool = False  # a component digitised / taken from a national database
    from_national_db: bool = False  # a component taken from a national (population) database
    synced: bool = False  # synchronised to the national portal (any event, or imported flag)
    negative_feedback: bool = False  # a "not satisfied" rating or a 1022 PAKN about it
    officer_id: int | None = None  # who decided (approve / refuse)


@dataclass(frozen=True)
class Fact:
    dossier_id: int
    agency_id: int
    procedure_id: int
    channel: str
    officer_id: int | None
    submitted_day: dt.date
    received_day: dt.date | None  # None: never received (excluded from every figure)
    ended_day: dt.date | None
    end_kind: str  # "" while open
    end_class: str  # early | on_time | late ("" while open)
    processing_cwd: int | None  # settled dossiers: processing time, hundredths of a working day
    # the status while open, as of C: [(first day, WITHIN|OVERDUE), …] from received_day to
    # the day before ended_day, transitions only
    segments: tuple[tuple[dt.date, str], ...] = ()
    online: bool = False
    online_ok: bool = False  # 3.3 numerator: online, and an electronic result if approved
    fee_bearing: bool = False  # 3.6 denominator
    fee_nonzero: bool = False  # 3.5 X: its fee list has a non-zero amount
    paid_online: bool = False
    digitised: bool = False  # 4.2
    e_result: bool = False  # 4.1
    reused: bool = False  # 4.3
    popdata: bool = False  # 4.5a / 4.5b
    synced: bool = False  # 1.4
    negative: bool = False  # 5.4

    def status_on(self, day: dt.date) -> str:
        """ "" (not received), WITHIN / OVERDUE (open), or "ended" — as of the end of ``day``."""
        if self.received_day is None or day < self.received_day:
            return ""
        if self.ended_day is not None and day >= self.ended_day:
            return "ended"
        status = WITHIN
        for start, s in self.segments:
            if start <= day:
                status = s
        return status

    @property
    def on_time_end(self) -> bool:
        return self.end_class in (EARLY, ON_TIME)


def local_day(t: dt.datetime) -> dt.date:
    return t.astimezone(VN).date()


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=VN)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VN)


@dataclass
class _Rounds:
    """Supplement rounds as seen at one moment."""

    completed: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    requests: int = 0
    waiting_since: dt.datetime | None = None


def _rounds_as_of(pauses: Sequence[PauseInput], end: dt.datetime | None, cut: dt.datetime):
    r = _Rounds()
    for p in sorted(pauses, key=lambda p: p.started_at):
        if p.started_at > cut:
            continue
        r.requests += 1
        # a pause closed by the dossier's end is not a completed round (rule (a) subtracts
        # only completed rounds)
        completed = p.ended_at is not None and p.ended_at != end and p.ended_at <= cut
        if completed:
            r.completed.append((p.started_at, p.ended_at))
        elif p.ended_at is None or p.ended_at > cut or p.ended_at == end:
            r.waiting_since = p.started_at
    return r


def due_day(d: DossierInput) -> dt.date | None:
    """The due day the on-time test uses: the apology's new date when there is one, else the
    legal due date as received. Never ``effective_due_at``, which already adds the paused
    working time: subtracting the supplement rounds from the end as well would count them twice
    (kpi-766.md §2.1 step 5)."""
    due = d.extended_due_at or d.due_at
    return local_day(due) if due else None


def _classify(end_eff: dt.datetime, due: dt.date | None) -> str:
    if due is None:  # no due date recorded: nothing to be late against
        return ON_TIME
    day = local_day(end_eff)
    return EARLY if day < due else ON_TIME if day == due else LATE


def _open_status(d: DossierInput, day: dt.date, due: dt.date | None, end) -> str:
    """§2.1 (b)/(c) for an open dossier as of the end of ``day``."""
    if due is None:
        return WITHIN
    cut = _end_of_day(day)
    r = _rounds_as_of(d.pauses, end, cut)
    if r.waiting_since is not None:  # (b): waiting for the applicant's supplement
        if r.requests > 1:
            return OVERDUE
        return WITHIN if local_day(r.waiting_since) <= due else OVERDUE
    supp = sum((b - a for a, b in r.completed), dt.timedelta(0))  # (c): end = C − suppDur
    return WITHIN if local_day(cut - supp) <= due else OVERDUE


def _segments(d: DossierInput, first: dt.date, stop: dt.date | None, due, end):
    """Status transitions over the open days [first, stop). Between two pause events the
    status is monotone in C, so it is enough to evaluate it on the event days and on each
    interval's threshold day (the first C with local_day(C − suppDur) > due)."""
    if due is None:
        return ((first, WITHIN),)
    candidates = {first}
    for p in d.pauses:
        for t in (p.started_at, p.ended_at):
            if t is not None:
                candidates.add(local_day(t))
    event_days = sorted(candidates)
    for day in event_days:
        r = _rounds_as_of(d.pauses, end, _end_of_day(day))
        supp = sum((b - a for a, b in r.completed), dt.timedelta(0))
        candidates.add(local_day(_midnight(due + dt.timedelta(days=1)) + supp))
    days = sorted(c for c in candidates if c >= first and (stop is None or c < stop))
    out: list[tuple[dt.date, str]] = []
    for day in days:
        s = _open_status(d, day, due, end)
        if not out or out[-1][1] != s:
            out.append((day, s))
    return tuple(out)


WorkingDays = Callable[[dt.datetime, dt.datetime, Sequence[tuple[dt.datetime, dt.datetime]]], int]


def compute(d: DossierInput, working_cwd: WorkingDays | None = None) -> Fact:
    """The facts of one dossier. ``working_cwd(start, end, pauses)``: working time between two
    instants minus the pauses, in hundredths of a working day (the agency's calendar)."""
    received = d.received_at
    end = d.ended_at or (d.returned_at if d.outcome else None)
    if received is None:
        end = None
    kind = ""
    if end is not None:
        if d.state == "withdrawn":
            kind = WITHDRAWN
        elif d.state == "stopped":
            kind = STOPPED
        elif d.outcome in (APPROVED, REFUSED):
            kind = d.outcome
        else:
            kind = STOPPED  # an end without an outcome (imported records): processing stopped
    due = due_day(d)
    end_class, cwd = "", None
    segments: tuple = ()
    if received is not None:
        if end is not None:
            r = _rounds_as_of(d.pauses, end, end)
            supp = sum((b - a for a, b in r.completed), dt.timedelta(0))
            end_class = _classify(end - supp, due)
            if kind in SETTLED_KINDS and working_cwd is not None:
                cwd = working_cwd(received, end, r.completed)
        ended_day = local_day(end) if end is not None else None
        first = local_day(received)
        if ended_day is None or ended_day > first:
            segments = _segments(d, first, ended_day, due, end)
    paid_online = any(
        f.payment_channel == "online" and f.paid_at is not None and f.amount_vnd > 0 for f in d.fees
    )
    all_zero_fees = bool(d.fees) and all(f.amount_vnd == 0 for f in d.fees)
    fee_nonzero = any(f.amount_vnd > 0 for f in d.fees)
    online = d.channel in ONLINE_CHANNELS
    e_result = kind == APPROVED and d.result_electronic
    return Fact(
        dossier_id=d.id,
        agency_id=d.agency_id,
        procedure_id=d.procedure_id,
        channel=d.channel,
        officer_id=d.officer_id if kind in SETTLED_KINDS else None,
        submitted_day=local_day(d.submitted_at),
        received_day=local_day(received) if received else None,
        ended_day=local_day(end) if end is not None else None,
        end_kind=kind,
        end_class=end_class,
        processing_cwd=cwd,
        segments=segments,
        online=online,
        # an approved online dossier must carry its result electronically; an open one counts
        # on its channel alone (kpi-766.md §3.3 ⚠ default)
        online_ok=online and (kind != APPROVED or d.result_electronic),
        fee_bearing=(d.procedure_fee_bearing or fee_nonzero) and not all_zero_fees,
        fee_nonzero=fee_nonzero,
        paid_online=paid_online,
        digitised=d.has_component_file and (kind != APPROVED or d.result_electronic),
        e_result=e_result,
        reused=d.reuses_data,
        popdata=d.applicant_vneid or d.from_national_db,
        synced=d.synced,
        negative=d.negative_feedback,
    )
