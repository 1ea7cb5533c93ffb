"""The open-work tally (số hồ sơ đang giải quyết): how many dossiers are in each work state, by
receiving, deciding and current agency and procedure, kept by database triggers on the
dossier table.

Why: the desk queue's counts (``queries.queue_summary``) counted every open dossier of the
officer's scope on each page view, so their cost followed the open work of the scope; a
district administrator at 10M dossiers counted 109,000 of them per page (45 ms, half the page,
issue 11). The tally holds one row per combination actually in use (a few thousand in a
province), so the counts read a few hundred rows whatever the open work.

Why triggers, not the service layer: every path that changes a dossier must keep the tally
exact: the engine's hot writes (``core.rows``), ``QuerySet.update`` in imports and tests,
COPY in the benchmark generator, an operator's SQL. The database sees them all.

How, on both databases:

- a dossier entering a work state adds 1 to its row (an upsert), one leaving it takes 1 away;
  a change of state, procedure or agency does both, and a write that changes none of those
  columns does nothing (the trigger's WHEN);
- taking 1 away is a plain UPDATE, never an insert, so a reset that empties this table before
  the dossiers (as ``flush`` may) can never leave a negative row behind;
- on PostgreSQL the two rows of a change are updated in key order, so two transitions crossing
  each other (one dossier handed from A to B while another goes from B to A) wait for each
  other instead of deadlocking;
- rows that fall to 0 stay (a handful per combination ever used) and are never read.

SQLite drops a table's triggers when a migration rebuilds the table (as it does to alter a
column): such a migration of the dossier table ends with ``reinstalled_on_sqlite(...)``, and
``tests/dossiers/test_openwork.py`` fails if one does not.

``pg_restore`` loads this table with the dossiers and creates the triggers after the data, and
SQLite's backup copies pages, so a restored tally is exact. The triggers' state list is frozen
in the migration that installs them; ``tests/dossiers/test_openwork.py`` checks it is
``rules.WORK_STATES``.
"""

# SQL built from this module's constants and rules.State names, never from input
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable

from django.db import migrations

TABLE = "dossiers_openwork"
SOURCE = "dossiers_dossier"
KEY = ("receiving_agency_id", "deciding_agency_id", "current_agency_id", "state", "procedure_id")
_KEY_LIST = ", ".join(KEY)


def _in(states: Iterable[str]) -> str:
    # state names are code constants (rules.State), never user input
    return "(" + ", ".join(f"'{s}'" for s in states) + ")"


def _changed(differs: str) -> str:
    return " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in KEY)


def _sqlite_add(condition: str) -> str:
    values = ", ".join(f"NEW.{c}" for c in KEY)
    return (
        f"INSERT INTO {TABLE} ({_KEY_LIST}, n) SELECT {values}, 1 WHERE {condition} "
        f"ON CONFLICT ({_KEY_LIST}) DO UPDATE SET n = n + 1;"
    )


def _sqlite_take(condition: str) -> str:
    match = " AND ".join(f"{c} = OLD.{c}" for c in KEY)
    return f"UPDATE {TABLE} SET n = n - 1 WHERE {match} AND {condition};"


def sqlite_install(states: Iterable[str]) -> list[str]:
    work = _in(states)
    return [
        f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON {SOURCE} "
        f"WHEN NEW.state IN {work} BEGIN {_sqlite_add('true')} END;",
        f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON {SOURCE} "
        f"WHEN OLD.state IN {work} BEGIN {_sqlite_take('true')} END;",
        f"CREATE TRIGGER {TABLE}_update AFTER UPDATE ON {SOURCE} WHEN {_changed('IS NOT')} BEGIN "
        f"{_sqlite_take(f'OLD.state IN {work}')} {_sqlite_add(f'NEW.state IN {work}')} END;",
    ]


def sqlite_uninstall() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {TABLE}_{op};" for op in ("insert", "delete", "update")]


def reinstalled_on_sqlite(states: Iterable[str]) -> migrations.RunPython:
    """A migration operation putting the SQLite triggers back after a rebuild of the dossier
    table (nothing to do on PostgreSQL, whose ALTER TABLE keeps them)."""
    states = tuple(states)

    def reinstall(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in [*sqlite_uninstall(), *sqlite_install(states)]:
                schema_editor.execute(sql)

    return migrations.RunPython(reinstall, migrations.RunPython.noop)


def pg_install(states: Iterable[str]) -> str:
    work = _in(states)
    old_key = ", ".join(f"OLD.{c}" for c in KEY)
    new_key = ", ".join(f"NEW.{c}" for c in KEY)
    match_old = " AND ".join(f"{c} = OLD.{c}" for c in KEY)
    add_new = (
        f"INSERT INTO {TABLE} ({_KEY_LIST}, n) VALUES ({new_key}, 1) "
        f"ON CONFLICT ({_KEY_LIST}) DO UPDATE SET n = {TABLE}.n + 1;"
    )
    take_old = f"UPDATE {TABLE} SET n = n - 1 WHERE {match_old};"
    return f"""
CREATE OR REPLACE FUNCTION {TABLE}_tally() RETURNS trigger AS $$
DECLARE
    was_open boolean := TG_OP <> 'INSERT' AND OLD.state IN {work};
    is_open boolean := TG_OP <> 'DELETE' AND NEW.state IN {work};
BEGIN
    IF was_open AND is_open AND ROW({new_key}) < ROW({old_key}) THEN
        {add_new}
        {take_old}
    ELSE
        IF was_open THEN {take_old} END IF;
        IF is_open THEN {add_new} END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {TABLE}_insert AFTER INSERT ON {SOURCE}
    FOR EACH ROW WHEN (NEW.state IN {work}) EXECUTE FUNCTION {TABLE}_tally();
CREATE TRIGGER {TABLE}_delete AFTER DELETE ON {SOURCE}
    FOR EACH ROW WHEN (OLD.state IN {work}) EXECUTE FUNCTION {TABLE}_tally();
CREATE TRIGGER {TABLE}_update AFTER UPDATE ON {SOURCE}
    FOR EACH ROW WHEN ({_changed("IS DISTINCT FROM")})
    EXECUTE FUNCTION {TABLE}_tally();
"""


def pg_uninstall() -> str:
    return (
        "".join(
            f"DROP TRIGGER IF EXISTS {TABLE}_{op} ON {SOURCE};"
            for op in ("insert", "delete", "update")
        )
        + f"DROP FUNCTION IF EXISTS {TABLE}_tally();"
    )


def backfill_sql(states: Iterable[str]) -> str:
    """The tally computed from the dossiers already there (the installing migration)."""
    return (
        f"INSERT INTO {TABLE} ({_KEY_LIST}, n) SELECT {_KEY_LIST}, COUNT(*) FROM {SOURCE} "
        f"WHERE state IN {_in(states)} GROUP BY {_KEY_LIST}"
    )
