"""PostgreSQL only: pg_trgm and a trigram index on procedure names, so the portal's search
tolerates small typos. SQLite has no trigram support; the portal falls back to word prefixes."""

from django.db import migrations

INDEX = "portal_procedure_name_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_procedure "
        "USING gin (name_search gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
