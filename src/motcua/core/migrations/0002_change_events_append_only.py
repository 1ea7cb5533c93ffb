from django.db import migrations

from motcua.core.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("core", "0001_change_events")]

    operations = [append_only("core_changeevent")]
