"""The 766 index and the §2 figures for the whole province over N dossiers, from the
aggregates, against a naive GROUP BY over the raw dossiers; and the intake cost of the hook.

    python scripts/with_postgres.py -- .venv/bin/python benchmarks/bench_stats.py [--n N]

A fresh database ``motcua_bench_stats`` next to ``DATABASE_URL``'s (SQLite:
``var/motcua_bench_stats.sqlite3``). N dossiers (default 10,000,000; 100,000 on SQLite) are
generated with ``gen_dossiers`` (COPY straight into ``dossiers_dossier``), plus supplement
rounds (``Pause``) for the dossiers that had one and fee lines, set-based. Then:

1. ``stats.services.rebuild()`` (timed);
2. ``queries.index766`` + ``queries.dossier_figures`` for the province over the last full year,
   from the aggregates (median of RUNS; goal < 1 s);
3. the same dossier figures and 2.1 counts by one naive GROUP BY over the raw dossiers and
   their pauses (the §2.1 rule in SQL), timed, and checked equal;
4. intake (``services.receive_at_desk``) per second with the statistics hook and with it
   replaced by a no-op (goal: at most 10 % slower), then ``services.refresh()`` of those.

Exit code 0 when the PostgreSQL goals are met (or on SQLite), 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

from gen_dossiers import describe_database, load, make_world, say, use_database

DB_NAME = "motcua_bench_stats"
RUNS = 5
GOAL_S = 1.0
GOAL_INTAKE = 0.10


def generate(n: int, vendor: str, world) -> None:
    from django.db import connection

    from gen_dossiers import dossier_rows

    began = time.perf_counter()
    total = load(dossier_rows(n, world, dt.datetime.now(dt.UTC)), vendor)
    say(f"generated {total:,} dossiers (COPY) in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    with connection.cursor() as cur:
        # one supplement round for the dossiers that had one: requested a day after reception,
        # supplied two days later (still waiting while the dossier waits for it)
        cur.execute(
            "INSERT INTO dossiers_pause (dossier_id, started_at, ended_at, reason) "
            "SELECT id, received_at + interval '1 day', "
            "CASE WHEN state = 'supplement_requested' THEN NULL "
            "ELSE received_at + interval '3 days' END, '' "
            "FROM dossiers_dossier WHERE supplement_count > 0 AND received_at IS NOT NULL"
            if vendor == "postgresql"
            else "INSERT INTO dossiers_pause (dossier_id, started_at, ended_at, reason) "
            "SELECT id, datetime(received_at, '+1 day'), "
            "CASE WHEN state = 'supplement_requested' THEN NULL "
            "ELSE datetime(received_at, '+3 days') END, '' "
            "FROM dossiers_dossier WHERE supplement_count > 0 AND received_at IS NOT NULL"
        )
        # a fee on a third of the dossiers, paid online on half of those that were returned
        cur.execute(
            "INSERT INTO dossiers_feecharge (dossier_id, name, amount_vnd, paid_vnd, paid_at, "
            "payment_channel, gateway, transaction_ref) "
            "SELECT id, 'Lệ phí', 8000, CASE WHEN state = 'returned' THEN 8000 ELSE 0 END, "
            "CASE WHEN state = 'returned' THEN returned_at END, "
            "CASE WHEN state = 'returned' AND id % 2 = 0 THEN 'online' "
            "WHEN state = 'returned' THEN 'cash' ELSE '' END, '', '' "
            "FROM dossiers_dossier WHERE id % 3 = 0"
        )
        cur.execute("ANALYZE")
    say(f"pauses and fees (set-based) in {time.perf_counter() - began:.1f} s")


# -- the naive recompute: one GROUP BY over the raw dossiers, the §2.1 rule in SQL -----------

NAIVE_PG = """
WITH d AS (
  SELECT d.id, d.channel, d.outcome, d.state,
    (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS rday,
    COALESCE(d.ended_at, CASE WHEN d.outcome <> '' THEN d.returned_at END) AS endt,
    (COALESCE(d.extended_due_at, d.due_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS due
  FROM dossiers_dossier d
  WHERE d.received_at IS NOT NULL AND d.deciding_agency_id IN (
    SELECT id FROM agencies_agency WHERE path LIKE %(path)s)
), x AS (
  SELECT d.*, (d.endt AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS eday,
    p.supp_end, p.supp_c, p.requests, p.waiting_since
  FROM d LEFT JOIN LATERAL (
    SELECT
      SUM(CASE WHEN q.ended_at IS NOT NULL AND q.ended_at IS DISTINCT FROM d.endt
               AND q.ended_at <= d.endt AND q.started_at <= d.endt
          THEN q.ended_at - q.started_at END) AS supp_end,
      SUM(CASE WHEN q.ended_at IS NOT NULL AND q.ended_at IS DISTINCT FROM d.endt
               AND q.ended_at <= %(cend)s AND q.started_at <= %(cend)s
          THEN q.ended_at - q.started_at END) AS supp_c,
      COUNT(*) FILTER (WHERE q.started_at <= %(cend)s) AS requests,
      MAX(q.started_at) FILTER (WHERE q.started_at <= %(cend)s AND (q.ended_at IS NULL
          OR q.ended_at > %(cend)s OR q.ended_at = d.endt)) AS waiting_since
    FROM dossiers_pause q WHERE q.dossier_id = d.id
  ) p ON true
), y AS (
  SELECT x.*,
    CASE WHEN x.due IS NULL THEN 'on_time'
      ELSE CASE SIGN(((x.endt - COALESCE(x.supp_end, interval '0'))
                      AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - x.due)
           WHEN -1 THEN 'early' WHEN 0 THEN 'on_time' ELSE 'late' END END AS klass,
    CASE WHEN x.due IS NULL THEN 'w'
      WHEN x.waiting_since IS NOT NULL THEN
        CASE WHEN x.requests > 1 THEN 'o'
             WHEN (x.waiting_since AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= x.due THEN 'w'
             ELSE 'o' END
      WHEN ((%(cend)s::timestamptz - COALESCE(x.supp_c, interval '0'))
            AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= x.due THEN 'w'
      ELSE 'o' END AS open_status
  FROM x
)
SELECT
  COUNT(*) FILTER (WHERE rday BETWEEN %(s)s AND %(e)s) AS received,
  COUNT(*) FILTER (WHERE rday BETWEEN %(s)s AND %(e)s AND channel = 'desk') AS recv_desk,
  COUNT(*) FILTER (WHERE rday < %(s)s AND (eday IS NULL OR eday >= %(s)s)) AS carried,
  COUNT(*) FILTER (WHERE outcome <> '' AND state NOT IN ('withdrawn', 'stopped')
                   AND eday BETWEEN %(s)s AND %(e)s AND klass = 'early') AS early,
  COUNT(*) FILTER (WHERE outcome <> '' AND state NOT IN ('withdrawn', 'stopped')
                   AND eday BETWEEN %(s)s AND %(e)s AND klass = 'on_time') AS on_time,
  COUNT(*) FILTER (WHERE outcome <> '' AND state NOT IN ('withdrawn', 'stopped')
                   AND eday BETWEEN %(s)s AND %(e)s AND klass = 'late') AS late,
  COUNT(*) FILTER (WHERE rday <= %(e)s AND (eday IS NULL OR eday > %(e)s)
                   AND open_status = 'w') AS within,
  COUNT(*) FILTER (WHERE rday <= %(e)s AND (eday IS NULL OR eday > %(e)s)
                   AND open_status = 'o') AS overdue,
  COUNT(*) FILTER (WHERE rday <= %(e)s AND (eday IS NULL OR eday >= %(s)s)) AS handled,
  COUNT(*) FILTER (WHERE rday <= %(e)s AND (
      (eday IS NULL OR eday > %(e)s) AND open_status = 'w'
      OR eday BETWEEN %(s)s AND %(e)s AND klass IN ('early', 'on_time'))) AS handled_on_time
FROM y
"""


def naive(agency, start: dt.date, end: dt.date) -> dict:
    from zoneinfo import ZoneInfo

    from django.db import connection

    cend = dt.datetime.combine(end, dt.time.max, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with connection.cursor() as cur:
        cur.execute(NAIVE_PG, {"path": agency.path + "%", "s": start, "e": end, "cend": cend})
        names = [c.name for c in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def engine(scope, period) -> tuple[dict, object]:
    from motcua.stats import queries

    f = queries.dossier_figures(scope, period)
    index = queries.index766(scope, period)
    i21 = next(i for g in index.groups for i in g.indicators if i.code == "2.1")
    return {
        "received": f.received,
        "recv_desk": f.received_by_channel["desk"],
        "carried": f.carried_over,
        "early": f.settled_early,
        "on_time": f.settled_on_time,
        "late": f.settled_late,
        "within": f.in_progress_within,
        "overdue": f.in_progress_overdue,
        "handled": i21.denominator,
        "handled_on_time": i21.numerator,
    }, index


def timed(fn, runs: int = RUNS):
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def intake(world, n: int) -> tuple[float, float]:
    from bench_intake import at_desk
    from motcua.stats import hooks

    real = hooks.touch
    # the generated dossiers include today's, numbered from 1: start the desk's daily code
    # sequence past them
    from django.utils import timezone

    from motcua.dossiers.models import Counter
    from motcua.dossiers.services.numbering import _code_counter

    key, _ = _code_counter(world.desk_commune, timezone.now())
    Counter.objects.update_or_create(key=key, defaults={"last": 5000})
    at_desk(world, 20)  # warm
    with_hook = []
    without = []
    for _ in range(3):  # interleaved, the machine's load shifts
        with_hook.append(n / at_desk(world, n))
        hooks.touch = lambda dossier_id: None
        try:
            without.append(n / at_desk(world, n))
        finally:
            hooks.touch = real
    return statistics.median(with_hook), statistics.median(without)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=lambda s: int(s.replace("_", "")), default=None)
    parser.add_argument("--intake", type=int, default=500, help="dossiers per intake run")
    args = parser.parse_args(argv)
    vendor = use_database(DB_NAME, fresh=True)
    n = args.n or (10_000_000 if vendor == "postgresql" else 100_000)
    say(f"database: {describe_database()}")
    world = make_world()
    generate(n, vendor, world)

    from motcua.stats import queries, services
    from motcua.stats.types import Period, Scope

    began = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):  # where the rebuild's time goes
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            services.rebuild()
        pstats.Stats(prof).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(30)
    services.rebuild(progress=lambda k: k % 1_000_000 == 0 and say(f"  rebuild: {k:,}"))
    say(f"rebuild: {n:,} dossiers in {time.perf_counter() - began:.1f} s")
    from motcua.stats.models import DailyCounter

    say(f"         {DailyCounter.objects.count():,} daily counter rows")

    root = world.communes[0]
    while root.parent_id:
        root = root.parent
    today = queries.today()
    year = today.year - 1
    period = Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    scope = Scope(root.code)
    ok = True
    if os.environ.get("BENCH_QUERIES"):  # each statement of one read, slowest first
        from django.db import connection

        spent = []

        def clock(execute, sql, params, many, context):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent.append((time.perf_counter() - began, sql[:160]))

        with connection.execute_wrapper(clock):
            engine(scope, period)
        for t, sql in sorted(spent, reverse=True)[:12]:
            say(f"  {t * 1000:7.1f} ms  {sql}")
        say(f"  {len(spent)} statements, {sum(t for t, _ in spent) * 1000:.0f} ms in SQL")
    agg_s, (figures, index) = timed(lambda: engine(scope, period))
    say(f"aggregates: index766 + dossier_figures, province, {year}: {agg_s * 1000:.0f} ms (median)")
    say(f"            index total {index.total} / {index.max}")
    if vendor == "postgresql":
        naive_s, raw = timed(lambda: naive(root, period.start, period.end), runs=1)
        say(f"naive GROUP BY over raw dossiers: {naive_s * 1000:.0f} ms")
        say(f"ratio: naive / aggregates = {naive_s / agg_s:,.0f}x")
        equal = raw == figures
        say(f"equal: {equal}")
        if not equal:
            for k in figures:
                if figures[k] != raw[k]:
                    say(f"   {k}: aggregates {figures[k]} vs naive {raw[k]}")
        ok = ok and equal and agg_s < GOAL_S
        say(
            f"goal (< {GOAL_S:.0f} s from the aggregates): {'met' if agg_s < GOAL_S else 'NOT met'}"
        )
    else:
        say("NOTE: SQLite run — the naive SQL and the goals are for PostgreSQL.")

    with_hook, without = intake(world, args.intake)
    cost = 1 - with_hook / without
    say(
        f"intake: {with_hook:,.0f}/s with the statistics hook, {without:,.0f}/s without "
        f"({cost:+.1%} cost)"
    )
    began = time.perf_counter()
    k = services.refresh()
    say(f"refresh: {k:,} dossiers in {time.perf_counter() - began:.2f} s")
    if vendor == "postgresql":
        ok = ok and cost <= GOAL_INTAKE
        say(
            f"goal (hook costs <= {GOAL_INTAKE:.0%}): {'met' if cost <= GOAL_INTAKE else 'NOT met'}"
        )
    return 0 if ok or vendor != "postgresql" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
