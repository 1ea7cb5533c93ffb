"""Faster teardown of transactional tests (about 200 in each pass).

After each test that commits (``transactional_db``, ``live_server``), pytest-django flushes
the database; a flush took 0.87 s on PostgreSQL, profiled:

- 0.55 s: ``post_migrate``, whose handlers (content types, permissions, the administrator
  roles' groups: accounts.roles) rebuild their rows from nothing. Their output depends on the
  code only, so the first flush of a session keeps a copy of those tables and later flushes
  write the copy back in a few statements. ``tests/core/test_reseed.py`` checks that the copy
  is what the handlers make.
- 0.32 s: ``TRUNCATE`` of the 170 tables, which gives each table and index a new file. A test
  leaves a few rows in a few tables: on PostgreSQL the flush deletes them instead, every
  foreign key deferred to the commit (all of them are deferrable, as Django creates them).
  Sequences are not reset either way (``reset_sequences=False``).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.management.commands import flush
from django.db import connections

# every table a post_migrate handler writes, in foreign-key order
TABLES = ("django_content_type", "auth_permission", "auth_group", "auth_group_permissions")

_real_emit = flush.emit_post_migrate_signal
_real_sql_flush = flush.sql_flush
_copies: dict[str, list[tuple[str, list[str], list[tuple]]]] = {}


def read(alias: str) -> list[tuple[str, list[str], list[tuple]]]:
    """The tables' rows: (table, columns, rows) in ``TABLES`` order."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    out = []
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")
            columns = [c[0] for c in cursor.description]
            out.append((table, columns, cursor.fetchall()))
    return out


def _write(alias: str, copy: list[tuple[str, list[str], list[tuple]]]) -> None:
    connection = connections[alias]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns, rows in copy:
            if rows:
                names = ", ".join(quote(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",
                    rows,
                )
    ContentType.objects.clear_cache()  # its ids are the copy's


def emit_post_migrate_signal(verbosity, interactive, db, **kwargs) -> None:
    """``flush``'s post_migrate: the real one once per database, then its copy."""
    copy = _copies.get(db)
    if copy is None:
        _real_emit(verbosity, interactive, db, **kwargs)
        _copies[db] = read(db)
    else:
        _write(db, copy)


def sql_flush(style, connection, reset_sequences=True, allow_cascade=False) -> list[str]:
    """``flush``'s statements: DELETE on PostgreSQL (see above), Django's elsewhere."""
    if connection.vendor != "postgresql" or reset_sequences:
        return _real_sql_flush(
            style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {quote(t)}" for t in tables)]


def install() -> None:
    flush.emit_post_migrate_signal = emit_post_migrate_signal
    flush.sql_flush = sql_flush
