"""Partial indexes of open dossiers decided, or held, elsewhere than where they were received:
the work queue counts' second and third arms read these instead of every open dossier of the
scope (issue 11, docs/benchmarks.md)."""

from django.conf import settings
from django.db import migrations, models

import motcua.dossiers.models


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0005_agency_signer_user"),
        ("catalog", "0003_procedure_origin_national_portal"),
        ("dossiers", "0009_api_list_keyset_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
                    ),
                    models.Q(("deciding_agency", models.F("receiving_agency")), _negated=True),
                ),
                fields=["deciding_agency", "effective_due_at"],
                include=("state", "procedure", "current_agency", "receiving_agency"),
                name="dossier_away_deciding",
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
                    ),
                    models.Q(("current_agency", models.F("receiving_agency")), _negated=True),
                ),
                fields=["current_agency", "effective_due_at"],
                include=("state", "procedure", "deciding_agency", "receiving_agency"),
                name="dossier_away_current",
            ),
        ),
    ]
