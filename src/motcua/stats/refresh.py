"""Reading the raw records of dossiers in batches and applying their facts to the counters.

Shared by the incremental path (``services.refresh``: old fact → new fact, apply the
difference) and the full recompute (``services.rebuild``: empty tables, new facts only).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection

from motcua.agencies.models import Agency
from motcua.catalog.models import FeeLine
from motcua.dossiers.models import (
    Attachment,
    AuditEvent,
    Dossier,
    DossierDocument,
    FeeCharge,
    Pause,
    SyncItem,
)
from motcua.stats import aggregates, facts
from motcua.stats.models import (
    DailyCounter,
    DossierFact,
    MonthlyCounter,
    MonthlyHistogram,
    WdHistogram,
)
from motcua.workcalendar.queries import get_calendar

# Added by the history import (h-import); read only when the model has them.
_DOSSIER_FIELDS = {f.name for f in Dossier._meta.get_fields()}
HAS_NATIONAL_SYNC = "national_synced_at" in _DOSSIER_FIELDS

DOSSIER_VALUES = (
    "id",
    "deciding_agency_id",
    "receiving_agency_id",
    "procedure_id",
    "channel",
    "submitted_at",
    "received_at",
    "due_at",
    "extended_due_at",
    "ended_at",
    "returned_at",
    "state",
    "outcome",
    "result_electronic",
    "applicant_vneid",
    *(("national_synced_at",) if HAS_NATIONAL_SYNC else ()),
)


class Context:
    """What every batch needs and is the same for all: calendars, fee-bearing procedures."""

    def __init__(self) -> None:
        self.fee_bearing = set(
            FeeLine.objects.filter(amount_vnd__gt=0).values_list("procedure_id", flat=True)
        )
        self._hours = dict(Agency.objects.values_list("pk", "office_hours"))
        self._calendars: dict[int, object] = {}

    def working_cwd(self, agency_id: int):
        cal = self._calendars.get(agency_id)
        if cal is None:
            try:
                agency = Agency(office_hours=self._hours.get(agency_id, ""))
                cal = get_calendar(agency.effective_office_hours())
            except Exception:  # a bad office-hours text must not stop the statistics
                cal = get_calendar()
            self._calendars[agency_id] = cal
        day_us = cal.day_length / dt.timedelta(microseconds=1)

        def cwd(start, end, pauses) -> int:
            worked = cal.working_time(start, end, pauses) / dt.timedelta(microseconds=1)
            return int(worked * 100 / day_us + 0.5)

        return cwd


def _in(ids: Sequence[int]) -> tuple[str, list]:
    """``= ANY(%s)`` with one array parameter on PostgreSQL (building and sending thousands of
    IN parameters cost more than the queries), a plain IN list elsewhere."""
    if connection.vendor == "postgresql":
        return "= ANY(%s::bigint[])", [list(ids)]
    return f"IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _fetch(sql: str, ids: Sequence[int], *params) -> list[tuple]:
    """``sql`` has its ``{ids}`` placeholder after every other parameter."""
    clause, args = _in(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=clause), [*params, *args])
        return cursor.fetchall()


def _table(model) -> str:
    return model._meta.db_table


def load_inputs(rows: Sequence[dict], ctx: Context) -> list[facts.DossierInput]:
    """Plain inputs for the dossiers of ``rows`` (``Dossier.objects.values(*DOSSIER_VALUES)``):
    one query per related table for the whole batch."""
    from motcua.feedback.models import FeedbackItem
    from motcua.ratings.models import Level, Rating

    ids = [r["id"] for r in rows]
    if not ids:
        return []
    pauses: dict[int, list[facts.PauseInput]] = defaultdict(list)
    sql = "SELECT dossier_id, started_at, ended_at FROM {t} WHERE dossier_id {{ids}}"
    for did, a, b in _fetch(sql.format(t=_table(Pause)), ids):
        pauses[did].append(facts.PauseInput(_aware(a), _aware(b)))
    fees: dict[int, list[facts.FeeInput]] = defaultdict(list)
    sql = (
        "SELECT dossier_id, amount_vnd, payment_channel, paid_at FROM {t} WHERE dossier_id {{ids}}"
    )
    for did, amount, channel, paid_at in _fetch(sql.format(t=_table(FeeCharge)), ids):
        fees[did].append(facts.FeeInput(amount, channel, paid_at))
    digitised_docs, national_docs = set(), set()
    sql = (
        "SELECT dossier_id, MAX(CASE WHEN digitised THEN 1 ELSE 0 END), "
        "MAX(CASE WHEN from_national_db THEN 1 ELSE 0 END) FROM {t} "
        "WHERE dossier_id {{ids}} AND (digitised OR from_national_db) GROUP BY dossier_id"
    )
    for did, dig, nat in _fetch(sql.format(t=_table(DossierDocument)), ids):
        if dig:
            digitised_docs.add(did)
        if nat:
            national_docs.add(did)
    sql = "SELECT DISTINCT dossier_id FROM {t} WHERE purpose = %s AND dossier_id {{ids}}"
    component_files = {r[0] for r in _fetch(sql.format(t=_table(Attachment)), ids, "component")}
    sql = (
        "SELECT DISTINCT e.dossier_id FROM {s} s JOIN {e} e ON e.id = s.event_id "
        "WHERE s.synced_at IS NOT NULL AND e.dossier_id {{ids}}"
    )
    synced = {r[0] for r in _fetch(sql.format(s=_table(SyncItem), e=_table(AuditEvent)), ids)}
    sql = "SELECT dossier_id FROM {t} WHERE level = %s AND dossier_id {{ids}}"
    negative = {r[0] for r in _fetch(sql.format(t=_table(Rating)), ids, Level.NOT_SATISFIED)}
    sql = "SELECT DISTINCT dossier_id FROM {t} WHERE dossier_id {{ids}}"
    negative |= {r[0] for r in _fetch(sql.format(t=_table(FeedbackItem)), ids)}
    sql = (
        "SELECT dossier_id, actor_id FROM {t} WHERE action IN ('approve', 'refuse') "
        "AND dossier_id {{ids}} ORDER BY at, id"
    )
    officers = dict(_fetch(sql.format(t=_table(AuditEvent)), ids))
    out = []
    for r in rows:
        did = r["id"]
        out.append(
            facts.DossierInput(
                id=did,
                agency_id=r["deciding_agency_id"],
                procedure_id=r["procedure_id"],
                channel=r["channel"],
                submitted_at=r["submitted_at"],
                received_at=r["received_at"],
                due_at=r["due_at"],
                extended_due_at=r["extended_due_at"],
                ended_at=r["ended_at"],
                returned_at=r["returned_at"],
                state=r["state"],
                outcome=r["outcome"],
                result_electronic=r["result_electronic"],
                applicant_vneid=r["applicant_vneid"],
                pauses=tuple(pauses.get(did, ())),
                fees=tuple(fees.get(did, ())),
                procedure_fee_bearing=r["procedure_id"] in ctx.fee_bearing,
                has_component_file=did in component_files or did in digitised_docs,
                reuses_data=did in digitised_docs or did in national_docs,
                from_national_db=did in national_docs,
                synced=did in synced or bool(r.get("national_synced_at")),
                negative_feedback=did in negative,
                officer_id=officers.get(did),
            )
        )
    return out


def _aware(value):
    """Raw SQL on SQLite returns naive UTC datetimes (Django converts only through the ORM)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def compute_facts(rows: Sequence[dict], ctx: Context) -> list[facts.Fact]:
    return [
        facts.compute(d, ctx.working_cwd(r["receiving_agency_id"]))
        for d, r in zip(load_inputs(rows, ctx), rows, strict=True)
    ]


# -- facts ⇄ rows ---------------------------------------------------------------------------

FACT_FIELDS = [f.attname for f in DossierFact._meta.concrete_fields]


def to_model(f: facts.Fact) -> DossierFact:
    return DossierFact(
        dossier_id=f.dossier_id,
        agency_id=f.agency_id,
        procedure_id=f.procedure_id,
        channel=f.channel,
        officer_id=f.officer_id,
        submitted_day=f.submitted_day,
        received_day=f.received_day,
        ended_day=f.ended_day,
        end_kind=f.end_kind,
        end_class=f.end_class,
        processing_cwd=f.processing_cwd,
        segments=[[d.isoformat(), s] for d, s in f.segments],
        online=f.online,
        online_ok=f.online_ok,
        fee_bearing=f.fee_bearing,
        fee_nonzero=f.fee_nonzero,
        paid_online=f.paid_online,
        digitised=f.digitised,
        e_result=f.e_result,
        reused=f.reused,
        popdata=f.popdata,
        synced=f.synced,
        negative=f.negative,
    )


def from_model(m: DossierFact) -> facts.Fact:
    return facts.Fact(
        dossier_id=m.dossier_id,
        agency_id=m.agency_id,
        procedure_id=m.procedure_id,
        channel=m.channel,
        officer_id=m.officer_id,
        submitted_day=m.submitted_day,
        received_day=m.received_day,
        ended_day=m.ended_day,
        end_kind=m.end_kind,
        end_class=m.end_class,
        processing_cwd=m.processing_cwd,
        segments=tuple((dt.date.fromisoformat(d), s) for d, s in m.segments),
        online=m.online,
        online_ok=m.online_ok,
        fee_bearing=m.fee_bearing,
        fee_nonzero=m.fee_nonzero,
        paid_online=m.paid_online,
        digitised=m.digitised,
        e_result=m.e_result,
        reused=m.reused,
        popdata=m.popdata,
        synced=m.synced,
        negative=m.negative,
    )


# -- applying contributions -------------------------------------------------------------------

_COLS = aggregates.COLUMNS


def _counter_sql(table: str) -> str:
    return (
        f"INSERT INTO {table} (agency_id, procedure_id, day, {', '.join(_COLS)}) "  # noqa: S608
        f"VALUES (%s, %s, %s, {', '.join(['%s'] * len(_COLS))}) "
        "ON CONFLICT (agency_id, procedure_id, day) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in _COLS)
    )


def _hist_sql(table: str) -> str:
    return (
        f"INSERT INTO {table} (agency_id, procedure_id, day, cwd, n) "  # noqa: S608 - constant
        "VALUES (%s, %s, %s, %s, %s) "
        f"ON CONFLICT (agency_id, procedure_id, day, cwd) DO UPDATE SET n = {table}.n + excluded.n"
    )


_TARGETS = (
    (_counter_sql(DailyCounter._meta.db_table), _hist_sql(WdHistogram._meta.db_table)),
    (_counter_sql(MonthlyCounter._meta.db_table), _hist_sql(MonthlyHistogram._meta.db_table)),
)


def apply(contrib: aggregates.Contrib, hist: aggregates.Hist) -> None:
    """Add contributions to the daily and monthly counters (one upsert per touched row)."""
    grains = ((contrib, hist), aggregates.monthly(contrib, hist))
    with connection.cursor() as cursor:
        for (counter_sql, hist_sql), (c, h) in zip(_TARGETS, grains, strict=True):
            rows = aggregates.by_row(c)
            params = [
                (a, p, d, *(cols.get(k, 0) for k in _COLS)) for (a, p, d), cols in rows.items()
            ]
            hparams = [(a, p, d, cwd, n) for ((a, p, d), cwd), n in h.items()]
            if params:
                cursor.executemany(counter_sql, params)
            if hparams:
                cursor.executemany(hist_sql, hparams)


def store_facts(old_ids: Iterable[int], new: list[facts.Fact]) -> None:
    DossierFact.objects.filter(dossier_id__in=list(old_ids)).delete()
    DossierFact.objects.bulk_create([to_model(f) for f in new], batch_size=2000)
