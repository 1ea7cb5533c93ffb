"""Audit events are append-only: the database itself refuses UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE). ``motcua flush`` (a whole-database reset, also used between
transactional tests) lifts the triggers for its duration: see
``motcua/core/management/commands/flush.py``.
"""

from django.db import migrations

from motcua.core.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [append_only("dossiers_auditevent")]
