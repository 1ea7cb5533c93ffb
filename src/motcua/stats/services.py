"""Writes of the statistics engine: queue dossiers, refresh the aggregates, rebuild them.

- ``mark_dirty(ids)``: what bulk writers (the history import) call after their writes.
- ``refresh()``: drain the dirty queue in batches: recompute each dossier's fact from its raw
  records, add (new − old) to the counters, store the fact, delete the queue row — in one
  transaction per batch, so a crash leaves the queue row and the next refresh redoes it
  (idempotent). On PostgreSQL the batch's queue rows are locked with SKIP LOCKED: concurrent
  refreshers share the work, and a writer whose transaction touched a dossier holds its queue
  row (``hooks.touch`` upserts it) until commit, so a refresh never reads a half-written dossier
  and forgets it.
- ``rebuild()``: truncate the derived tables and recompute everything from the raw records.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from motcua.dossiers.models import Dossier
from motcua.stats import aggregates, hooks
from motcua.stats.models import (
    DailyCounter,
    DirtyDossier,
    DossierFact,
    MonthlyCounter,
    MonthlyHistogram,
    WdHistogram,
)
from motcua.stats.refresh import (
    DOSSIER_VALUES,
    Context,
    apply,
    compute_facts,
    from_model,
    store_facts,
)

log = logging.getLogger(__name__)

BATCH = 2000


def mark_dirty(dossier_ids: Iterable[int]) -> None:
    """Queue dossiers for the next refresh (bulk; duplicates are fine). The same upsert as
    ``hooks.touch``: a dossier already queued keeps its row locked until the caller commits,
    so a concurrent refresh cannot drain it before the caller's change is visible."""
    ids = sorted(set(dossier_ids))
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(ids), 10_000):
            cursor.executemany(hooks.UPSERT_SQL, [(i,) for i in ids[i : i + 10_000]])


def _claim(limit: int) -> list[int]:
    qs = DirtyDossier.objects.order_by("dossier_id")
    if connection.vendor == "postgresql":
        qs = qs.select_for_update(skip_locked=True)
    return list(qs.values_list("dossier_id", flat=True)[:limit])


# A read drains at most this many queued dossiers before answering (read-your-writes for the
# day-to-day changes); a larger backlog (a bulk import) is left to `motcua stats refresh`.
READ_LIMIT = 20_000


def refresh(*, batch: int = BATCH, limit: int | None = None) -> int:
    """Bring the aggregates up to date with the queued dossiers (all of them, or about
    ``limit``); returns how many were applied."""
    done = 0
    ctx: Context | None = None
    while limit is None or done < limit:
        with transaction.atomic():
            ids = _claim(batch)
            if not ids:
                return done
            ctx = ctx or Context()
            old = [from_model(m) for m in DossierFact.objects.filter(dossier_id__in=ids)]
            rows = list(Dossier.objects.filter(pk__in=ids).values(*DOSSIER_VALUES))
            new = compute_facts(rows, ctx)
            apply(*aggregates.diff(old, new))
            store_facts(ids, [f for f in new if f.received_day is not None])
            DirtyDossier.objects.filter(dossier_id__in=ids).delete()
        done += len(ids)
    return done


def _truncate() -> None:
    # not the dirty queue: the intake's hook writes there, and TRUNCATE would make it wait for
    # the whole rebuild; queued dossiers are simply re-applied by the next refresh (idempotent)
    models = (DossierFact, DailyCounter, MonthlyCounter, WdHistogram, MonthlyHistogram)
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
        else:
            for t in tables:
                cursor.execute(f"DELETE FROM {t}")  # noqa: S608 - model tables


def rebuild(*, batch: int = 5000, progress=None) -> int:
    """Recompute every fact and counter from the raw records; returns the dossiers read.

    Dossiers are read in (agency, procedure) order, so a counter row is complete when the
    reading moves past its (agency, procedure): the counters are accumulated in memory one
    (agency, procedure) at a time and written once (COPY on PostgreSQL), and the facts go in
    by COPY too. Runs in one transaction: readers see the old figures until it commits."""
    ctx = Context()
    total = 0
    with transaction.atomic():
        _truncate()
        writer = _Writer()
        width = len(aggregates.COLUMNS)
        index = {c: i for i, c in enumerate(aggregates.COLUMNS)}
        pending: dict = defaultdict(lambda: [0] * width)
        pending_hist: dict = defaultdict(int)
        current: tuple[int, int] | None = None
        qs = (
            Dossier.objects.filter(received_at__isnull=False)
            .order_by("deciding_agency_id", "procedure_id", "id")
            .values(*DOSSIER_VALUES)
        )
        chunk: list[dict] = []

        def flush_chunk() -> None:
            nonlocal current
            new = compute_facts(chunk, ctx)
            writer.facts(new)
            for f in new:
                group = (f.agency_id, f.procedure_id)
                if group != current:
                    writer.counters(pending, pending_hist)
                    pending.clear()
                    pending_hist.clear()
                    current = group
                contrib, hist = aggregates.contributions(f)
                for (key, col), n in contrib.items():
                    pending[key][index[col]] += n
                for key, n in hist.items():
                    pending_hist[key] += n
            chunk.clear()

        for row in qs.iterator(chunk_size=batch):
            chunk.append(row)
            if len(chunk) >= batch:
                total += len(chunk)
                flush_chunk()
                if progress:
                    progress(total)
        total += len(chunk)
        flush_chunk()
        writer.counters(pending, pending_hist)
        writer.close()
    return total


class _Writer:
    """Bulk writes of the rebuild: COPY on PostgreSQL, executemany elsewhere, in large
    buffers (one COPY per FLUSH rows, not one per (agency, procedure) group)."""

    FLUSH = 50_000

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"
        self.fact_fields = [f.attname for f in DossierFact._meta.concrete_fields]
        self.fact_columns = [f.column for f in DossierFact._meta.concrete_fields]
        self.buffers: dict[str, tuple[list[str], list[tuple]]] = {
            DossierFact._meta.db_table: (self.fact_columns, []),
            DailyCounter._meta.db_table: (
                ["agency_id", "procedure_id", "day", *aggregates.COLUMNS],
                [],
            ),
            MonthlyCounter._meta.db_table: (
                ["agency_id", "procedure_id", "day", *aggregates.COLUMNS],
                [],
            ),
            WdHistogram._meta.db_table: (["agency_id", "procedure_id", "day", "cwd", "n"], []),
            MonthlyHistogram._meta.db_table: (
                ["agency_id", "procedure_id", "day", "cwd", "n"],
                [],
            ),
        }

    def _add(self, table: str, rows: list[tuple]) -> None:
        buffer = self.buffers[table][1]
        buffer.extend(rows)
        if len(buffer) >= self.FLUSH:
            self._flush(table)

    def _flush(self, table: str) -> None:
        columns, rows = self.buffers[table]
        if not rows:
            return
        if self.pg:
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - model tables
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
        rows.clear()

    def facts(self, new) -> None:
        rows = []
        for f in new:
            row = [getattr(f, name) for name in self.fact_fields]
            row[self.fact_fields.index("segments")] = json.dumps(
                [[d.isoformat(), s] for d, s in f.segments]
            )
            rows.append(tuple(row))
        self._add(DossierFact._meta.db_table, rows)

    def counters(self, pending: dict, pending_hist: dict) -> None:
        """One (agency, procedure)'s complete counters (key → values in ``COLUMNS`` order):
        daily rows and their monthly sums."""
        cols = aggregates.COLUMNS
        months: dict = defaultdict(lambda: [0] * len(cols))
        rows = []
        for (a, p, d), row in pending.items():
            if not any(row):
                continue
            rows.append((a, p, d, *row))
            month = months[(a, p, aggregates.month_of(d))]
            for i, v in enumerate(row):
                month[i] += v
        self._add(DailyCounter._meta.db_table, rows)
        self._add(MonthlyCounter._meta.db_table, [(*k, *v) for k, v in months.items() if any(v)])
        mhist: dict = defaultdict(int)
        hrows = []
        for ((a, p, d), cwd), n in pending_hist.items():
            if n:
                hrows.append((a, p, d, cwd, n))
                mhist[(a, p, aggregates.month_of(d), cwd)] += n
        self._add(WdHistogram._meta.db_table, hrows)
        self._add(MonthlyHistogram._meta.db_table, [(*k, n) for k, n in mhist.items() if n])

    def close(self) -> None:
        for table in self.buffers:
            self._flush(table)
