"""The PostgreSQL pass's server (scripts/with_postgres.py) plans queries the same way whenever
a test runs: its statistics change only when a test asks for an ANALYZE."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.postgres_only
def test_the_test_server_runs_no_autovacuum(db):
    """Regression: autovacuum's ANALYZE, run while a test's uncommitted rows filled the tables,
    made the planner take them for empty, and the engine's lock query took seconds per action
    (tests/core/test_demo.py ran for over 20 minutes, only when autovacuum woke up then)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        assert cursor.fetchone()[0] == "off"
