"""Covering work-queue indexes (PostgreSQL INCLUDE; SQLite ignores it): the queue's counts
by state and procedure are index-only scans (issue 11, docs/benchmarks.md)."""

from django.conf import settings
from django.db import migrations, models

import motcua.dossiers.models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0004_agency_edxml_organ_id"),
        ("catalog", "0003_procedure_origin_national_portal"),
        ("dossiers", "0007_sync_outbox_state"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="dossier",
            name="dossier_open_receiving",
        ),
        migrations.RemoveIndex(
            model_name="dossier",
            name="dossier_open_deciding",
        ),
        migrations.RemoveIndex(
            model_name="dossier",
            name="dossier_open_current",
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=motcua.dossiers.models.QueueIndex(
                condition=models.Q(
                    (
                        "state__in",
                        [
                            "registered",
                            "completion_requested",
                            "received",
                            "in_process",
                            "supplement_requested",
                            "decided",
                            "awaiting_payment",
                        ],
                    )
                ),
                fields=["receiving_agency", "effective_due_at"],
                include=("state", "procedure", "current_agency", "deciding_agency"),
                name="dossier_open_receiving",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=motcua.dossiers.models.QueueIndex(
                condition=models.Q(
                    (
                        "state__in",
                        [
                            "registered",
                            "completion_requested",
                            "received",
                            "in_process",
                            "supplement_requested",
                            "decided",
                            "awaiting_payment",
                        ],
                    )
                ),
                fields=["deciding_agency", "effective_due_at"],
                include=("state", "procedure", "current_agency", "receiving_agency"),
                name="dossier_open_deciding",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=motcua.dossiers.models.QueueIndex(
                condition=models.Q(
                    (
                        "state__in",
                        [
                            "registered",
                            "completion_requested",
                            "received",
                            "in_process",
                            "supplement_requested",
                            "decided",
                            "awaiting_payment",
                        ],
                    )
                ),
                fields=["current_agency", "effective_due_at"],
                include=("state", "procedure", "deciding_agency", "receiving_agency"),
                name="dossier_open_current",
            ),
        ),
    ]
