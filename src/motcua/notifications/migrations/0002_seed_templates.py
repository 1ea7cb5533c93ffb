"""The default wording of every event and channel (notifications.defaults), which
administrators then edit."""

from django.db import migrations


def seed(apps, schema_editor):
    from motcua.notifications import defaults

    Template = apps.get_model("notifications", "Template")
    for row in defaults.rows():
        Template.objects.get_or_create(event=row["event"], channel=row["channel"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_notifications")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
