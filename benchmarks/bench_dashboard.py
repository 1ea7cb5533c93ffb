"""Server time of the desk's statistics dashboard (/desk/thong-ke/) over a large data set.

    python scripts/with_postgres.py -- .venv/bin/python benchmarks/bench_dashboard.py [N] [RUNS]

Uses the ``motcua_bench`` database of ``gen_dossiers.py`` (generated on first use: N dossiers,
default 1,000,000 on PostgreSQL, 100,000 on SQLite), builds the statistics aggregates from them
once (``stats.services.rebuild``, timed and printed), then requests the whole dashboard page
through Django's test client (the view, its queries and the template: everything the server
does) RUNS times (default 20) for a commune's desk officer and a district's agency
administrator (never a superuser), and the public /thong-ke/ page without its cache. Prints
median and p95. Goal: the desk dashboard renders in < 300 ms (server time).
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

GOAL_MS = 300.0


def timings(fn, runs: int) -> list[float]:
    fn()  # warm: connection, calendar and template caches
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str]) -> int:
    vendor = use_database()
    n = int(argv[0]) if argv else (DEFAULT_N if vendor == "postgresql" else 100_000)
    runs = int(argv[1]) if len(argv) > 1 else 20
    world = make_world()
    ensure_dossiers(n, vendor, world)
    say(f"database: {describe_database()}")

    from django.conf import settings
    from django.db.models import Max, Min
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from motcua.dossiers.models import Dossier
    from motcua.stats import services

    setup_test_environment()  # the test client's hosts; templates render as in production
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.STATS_PUBLIC_CACHE_SECONDS = 0
    # pages link static files by name: no collectstatic manifest is needed to time the server
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    began = time.perf_counter()
    services.rebuild()
    say(f"stats aggregates rebuilt from {n:,} dossiers in {time.perf_counter() - began:.1f} s")
    span = Dossier.objects.aggregate(lo=Min("received_at"), hi=Max("received_at"))
    period = f"{span['lo']:%Y-%m-%d}..{span['hi']:%Y-%m-%d}"
    if (span["hi"] - span["lo"]).days > 365:
        period = f"{span['hi']:%Y}"
    say(f"period: {period}")
    if vendor != "postgresql":
        say("NOTE: SQLite run — the goal is set for PostgreSQL; numbers are indicative.")
    results = {}
    for label, user, agency, url in (
        ("commune desk officer", world.desk, world.desk_commune, "/desk/thong-ke/"),
        ("district agency admin", world.admin, world.district, "/desk/thong-ke/"),
        ("district agency admin, 766 page", world.admin, world.district,
         "/desk/thong-ke/chi-so-766/"),
        ("public page (no cache), province", None, None, "/thong-ke/"),
    ):  # fmt: skip
        client = Client()
        if user is not None:
            client.force_login(user)
        params = {"period": period}
        if agency is not None:
            params["agency"] = agency.code

        def get(client=client, url=url, params=params):
            response = client.get(url, params)
            assert response.status_code == 200, (url, response.status_code)

        ms = timings(get, runs)
        results[label] = statistics.median(ms)
        say(
            f"{label} ({url}): median {statistics.median(ms):.1f} ms, "
            f"p95 {percentile(ms, 0.95):.1f} ms, min {min(ms):.1f} ms ({runs} runs)"
        )
    ok = all(results[k] < GOAL_MS for k in ("commune desk officer", "district agency admin"))
    say(f"goal (desk dashboard median < {GOAL_MS:.0f} ms): {'met' if ok else 'NOT met'}")
    return 0 if ok or vendor != "postgresql" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
