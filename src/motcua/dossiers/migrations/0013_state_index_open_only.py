"""The state index covers open dossiers only, in queue order (``dossier_open_state``): the
index over every dossier's state served no query the partial indexes do not, and misled
PostgreSQL into intersecting it with better ones (issue 11, docs/benchmarks.md)."""

import importlib

from django.conf import settings
from django.db import migrations, models

import motcua.dossiers.models
from motcua.dossiers import openwork

# SQLite rebuilds the table to drop the index, and the rebuild drops the tally's triggers
TALLY = importlib.import_module("motcua.dossiers.migrations.0011_open_work_tally")


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0005_agency_signer_user"),
        ("catalog", "0003_procedure_origin_national_portal"),
        ("dossiers", "0012_running_overdue_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="dossier",
            name="state",
            field=models.CharField(
                choices=[
                    ("registered", "Mới đăng ký"),
                    ("completion_requested", "Yêu cầu hoàn thiện hồ sơ"),
                    ("not_received", "Không được tiếp nhận"),
                    ("received", "Đã tiếp nhận"),
                    ("in_process", "Đang xử lý"),
                    ("supplement_requested", "Yêu cầu bổ sung giấy tờ"),
                    ("decided", "Đã xử lý xong"),
                    ("awaiting_payment", "Yêu cầu thực hiện nghĩa vụ tài chính"),
                    ("returned", "Đã trả kết quả"),
                    ("withdrawn", "Công dân yêu cầu rút hồ sơ"),
                    ("stopped", "Dừng xử lý"),
                ],
                max_length=24,
                verbose_name="trạng thái",
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
                fields=["state", "effective_due_at", "submitted_at", "id"],
                name="dossier_open_state",
            ),
        ),
        openwork.reinstalled_on_sqlite(TALLY.WORK_STATES),
    ]
