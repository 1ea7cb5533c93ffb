"""Audit events are append-only: the database itself refuses UPDATE and DELETE.

``motcua flush`` (a whole-database reset, also used between transactional tests) lifts the
triggers for its duration: see ``motcua/core/management/commands/flush.py``.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION dossiers_auditevent_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit events are append-only (' || TG_OP || ' refused)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dossiers_auditevent_append_only
    BEFORE UPDATE OR DELETE ON dossiers_auditevent
    FOR EACH ROW EXECUTE FUNCTION dossiers_auditevent_refuse();
CREATE TRIGGER dossiers_auditevent_no_truncate
    BEFORE TRUNCATE ON dossiers_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION dossiers_auditevent_refuse();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS dossiers_auditevent_no_truncate ON dossiers_auditevent;
DROP TRIGGER IF EXISTS dossiers_auditevent_append_only ON dossiers_auditevent;
DROP FUNCTION IF EXISTS dossiers_auditevent_refuse();
"""
SQLITE_UP = [
    "CREATE TRIGGER dossiers_auditevent_no_update BEFORE UPDATE ON dossiers_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER dossiers_auditevent_no_delete BEFORE DELETE ON dossiers_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only (DELETE refused)'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS dossiers_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS dossiers_auditevent_no_delete;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": [PG_UP], "sqlite": SQLITE_UP}),
            _run({"postgresql": [PG_DOWN], "sqlite": SQLITE_DOWN}),
        ),
    ]
