"""The open-work tally and the triggers that keep it (``dossiers/openwork.py``): the desk
queue's counts read it instead of counting every open dossier of the scope (issue 11)."""

from django.db import migrations, models

from motcua.dossiers import openwork

# rules.WORK_STATES when this migration was written (a test compares them): changing the work
# states needs a migration that reinstalls the triggers with the new list
WORK_STATES = (
    "registered",
    "completion_requested",
    "received",
    "in_process",
    "supplement_requested",
    "decided",
    "awaiting_payment",
)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # triggers first: they lock the dossier table until this migration commits, so the
        # backfill below counts exactly the dossiers no trigger has counted
        schema_editor.execute(openwork.pg_install(WORK_STATES))
    elif vendor == "sqlite":
        for sql in openwork.sqlite_install(WORK_STATES):
            schema_editor.execute(sql)
    else:
        raise NotImplementedError(f"open-work triggers for {vendor}")
    schema_editor.execute(openwork.backfill_sql(WORK_STATES))


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(openwork.pg_uninstall())
    else:
        for sql in openwork.sqlite_uninstall():
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0010_queue_counts_away_indexes")]

    operations = [
        migrations.CreateModel(
            name="OpenWork",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("receiving_agency_id", models.BigIntegerField()),
                ("deciding_agency_id", models.BigIntegerField()),
                ("current_agency_id", models.BigIntegerField()),
                ("state", models.CharField(max_length=24)),
                ("procedure_id", models.BigIntegerField()),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "receiving_agency_id",
                            "deciding_agency_id",
                            "current_agency_id",
                            "state",
                            "procedure_id",
                        ),
                        name="openwork_key",
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
