"""Named counters incremented with one upsert statement (PostgreSQL and SQLite ≥ 3.35), so
concurrent writers never receive the same number."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

# The counter tables (each ``key`` unique, ``last``); the name is never user input.
TABLES = frozenset({"dossiers_counter", "feedback_counter"})


def upsert_sql(table: str, n_keys: int = 1) -> str:
    """The statement for one of ``TABLES``; parameters: the keys."""
    if table not in TABLES:
        raise ValueError(f"unknown counter table {table!r}")
    values = ", ".join(["(%s, 1)"] * n_keys)
    return (
        f"INSERT INTO {table} (key, last) VALUES {values} "  # noqa: S608 - table from TABLES
        f"ON CONFLICT (key) DO UPDATE SET last = {table}.last + 1 RETURNING key, last"
    )


def next_value(table: str, key: str) -> int:
    """Atomically increment the counter ``key`` in ``table`` and return its new value."""
    return next_values(table, [key])[key]


def next_values(table: str, keys: Sequence[str]) -> dict[str, int]:
    """Increment several distinct counters in one statement; their new values by key. Keys are
    sorted so that concurrent callers lock the rows in the same order."""
    if len(set(keys)) != len(keys):
        raise ValueError("each counter can be incremented once per call")
    ordered = sorted(keys)
    with connection.cursor() as cursor:
        cursor.execute(upsert_sql(table, len(ordered)), ordered)
        return dict(cursor.fetchall())
