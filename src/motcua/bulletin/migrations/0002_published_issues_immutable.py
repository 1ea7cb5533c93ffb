"""A published issue cannot change: its Publication row is append-only, and the Issue row
refuses UPDATE and DELETE once its status is "published" (a correction is a new issue)."""

from django.db import migrations

from motcua.core.appendonly import append_only

PG_UP = """
CREATE OR REPLACE FUNCTION bulletin_issue_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION USING
            MESSAGE = 'bulletin_issue: a published issue is immutable (' || TG_OP || ' refused)',
            ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER bulletin_issue_frozen BEFORE UPDATE OR DELETE ON bulletin_issue
    FOR EACH ROW EXECUTE FUNCTION bulletin_issue_frozen();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS bulletin_issue_frozen ON bulletin_issue;
DROP FUNCTION IF EXISTS bulletin_issue_frozen();
"""
SQLITE_UP = [
    f"CREATE TRIGGER bulletin_issue_frozen_{op.lower()} BEFORE {op} ON bulletin_issue "
    f"WHEN OLD.status = 'published' BEGIN "
    f"SELECT RAISE(ABORT, 'bulletin_issue: a published issue is immutable ({op} refused)'); END;"
    for op in ("UPDATE", "DELETE")
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS bulletin_issue_frozen_{op};" for op in ("update", "delete")]


def _run(statements):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("bulletin", "0001_issues_and_publications")]

    operations = [
        append_only("bulletin_publication"),
        migrations.RunPython(
            _run({"postgresql": [PG_UP], "sqlite": SQLITE_UP}),
            _run({"postgresql": [PG_DOWN], "sqlite": SQLITE_DOWN}),
        ),
    ]
