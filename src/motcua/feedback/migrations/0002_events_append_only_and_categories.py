"""Feedback events are append-only (the database refuses UPDATE and DELETE), and the default
category tree exists from the start (editable afterwards)."""

from django.db import migrations

from motcua.core.appendonly import append_only

DEFAULT_CATEGORIES = [
    ("urban-order", "Trật tự đô thị"),
    ("environment", "Môi trường, vệ sinh"),
    ("traffic", "Giao thông"),
    ("infrastructure", "Hạ tầng kỹ thuật"),
    ("administrative-procedures", "Thủ tục hành chính"),
    ("officials-conduct", "Thái độ, hành vi của cán bộ, công chức"),
    ("other", "Khác"),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("feedback", "Category")
    for position, (code, name) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name_vi": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [
        append_only("feedback_feedbackevent"),
        migrations.RunPython(add_categories, migrations.RunPython.noop),
    ]
