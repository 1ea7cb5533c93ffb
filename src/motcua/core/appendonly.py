"""Database triggers that make a table append-only (PostgreSQL and SQLite).

Used by the migrations of every audit trail. ``motcua flush`` (a whole-database reset) lifts
them for its duration; nothing else may update or delete a row of these tables.
"""

from __future__ import annotations

from django.db import migrations


def _pg_up(table: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = '{table} is append-only (' || TG_OP || ' refused)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_refuse();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse();
"""


def _pg_down(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_refuse();
"""


def _sqlite_up(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only ({op} refused)'); END;"
        for op in ("UPDATE", "DELETE")
    ]


def _sqlite_down(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for op in ("update", "delete")]


def append_only(table: str) -> migrations.RunPython:
    """A migration operation installing (and, reversed, removing) the triggers on ``table``."""

    def run(statements):
        def apply(apps, schema_editor):
            for sql in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(
        run({"postgresql": [_pg_up(table)], "sqlite": _sqlite_up(table)}),
        run({"postgresql": [_pg_down(table)], "sqlite": _sqlite_down(table)}),
    )
