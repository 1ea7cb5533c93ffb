"""A partial index of received dossiers whose clock runs, by current agency and due date: the
desk dashboard's "overdue now" reads it alone (issue 11, docs/benchmarks.md)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0005_agency_signer_user"),
        ("catalog", "0003_procedure_origin_national_portal"),
        ("dossiers", "0011_open_work_tally"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("state__in", ["received", "in_process"])),
                fields=["current_agency", "effective_due_at"],
                name="dossier_running_current",
            ),
        ),
    ]
