"""First page of a restricted officer's work queue over 1,000,000 dossiers.

    python scripts/with_postgres.py -- .venv/bin/python benchmarks/bench_queue.py [N] [RUNS]

Uses the ``motcua_bench`` database of ``gen_dossiers.py`` (generated on first use: N dossiers,
default 1,000,000 on PostgreSQL, 100,000 on SQLite). Times the real read path,
``with_deadline_status(work_queue(user))[:20]`` evaluated, RUNS times (default 200) for:
a commune's desk officer (restricted to one agency) and a district's agency administrator
(the district's subtree). Prints median and p95 and the PostgreSQL plan (EXPLAIN ANALYZE).
Goal: median < 30 ms for the desk officer on PostgreSQL.
"""

from __future__ import annotations

import statistics
import sys
import time

from gen_dossiers import (
    DEFAULT_N,
    describe_database,
    ensure_dossiers,
    make_world,
    say,
    use_database,
)

GOAL_MS = 30.0
PAGE = 20


def first_page(user) -> list:
    from motcua.dossiers.queries import with_deadline_status, work_queue

    return list(with_deadline_status(work_queue(user))[:PAGE])


def timings(fn, runs: int) -> list[float]:
    fn()  # warm: connection, calendar cache
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def scope_sizes(user) -> tuple[int, int]:
    from motcua.dossiers.queries import visible_dossiers, work_queue

    return visible_dossiers(user).count(), work_queue(user).count()


def explain(user) -> str:
    from motcua.dossiers.queries import with_deadline_status, work_queue

    qs = with_deadline_status(work_queue(user))[:PAGE]
    return qs.explain(analyze=True, buffers=True)


def main(argv: list[str]) -> int:
    vendor = use_database()
    n = int(argv[0]) if argv else (DEFAULT_N if vendor == "postgresql" else 100_000)
    runs = int(argv[1]) if len(argv) > 1 else 200
    world = make_world()
    ensure_dossiers(n, vendor, world)
    say(f"database: {describe_database()}")
    if vendor != "postgresql":
        say("NOTE: SQLite run — the goal below is set for PostgreSQL; numbers are indicative.")
    results = {}
    for label, user, agency in (
        ("commune desk officer", world.desk, world.desk_commune),
        ("district agency admin", world.admin, world.district),
    ):
        visible, queued = scope_sizes(user)
        page = first_page(user)
        assert len(page) == min(PAGE, queued), (len(page), queued)
        ms = timings(lambda user=user: first_page(user), runs)
        results[label] = statistics.median(ms)
        say(
            f"{label} ({user.username} @ {agency.code} {agency.name_vi}): "
            f"{visible:,} visible, {queued:,} in the queue; first page of {PAGE}: "
            f"median {statistics.median(ms):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms, "
            f"min {min(ms):.2f} ms ({runs} runs)"
        )
        if vendor == "postgresql":
            say("  EXPLAIN ANALYZE:")
            for line in explain(user).splitlines():
                say(f"    {line}")
    ok = results["commune desk officer"] < GOAL_MS
    say(f"goal (desk officer median < {GOAL_MS:.0f} ms): {'met' if ok else 'NOT met'}")
    return 0 if ok or vendor != "postgresql" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
