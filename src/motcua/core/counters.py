"""Named counters incremented with one upsert statement (PostgreSQL and SQLite ≥ 3.35), so
concurrent writers never receive the same number."""

from __future__ import annotations

from django.db import connection

# The counter tables (each ``key`` unique, ``last``); the name is never user input.
TABLES = frozenset({"dossiers_counter", "feedback_counter"})


def upsert_sql(table: str) -> str:
    """The statement for one of ``TABLES``; one parameter: the key."""
    if table not in TABLES:
        raise ValueError(f"unknown counter table {table!r}")
    return (
        f"INSERT INTO {table} (key, last) VALUES (%s, 1) "  # noqa: S608 - table from TABLES
        f"ON CONFLICT (key) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    )


def next_value(table: str, key: str) -> int:
    """Atomically increment the counter ``key`` in ``table`` and return its new value."""
    with connection.cursor() as cursor:
        cursor.execute(upsert_sql(table), [key])
        return cursor.fetchone()[0]
