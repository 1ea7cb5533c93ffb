"""``flush`` that also empties the append-only audit trails.

The audit tables refuse UPDATE and DELETE through database triggers, so Django's ``flush``
(which wipes every table: test isolation, or an operator resetting a demo) would be refused.
Flushing is a whole-database reset, not an edit of the trail: the triggers are lifted for the
duration of the flush, inside its own connection, and put back exactly as they were.
"""

from __future__ import annotations

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections


def _pg_tables_with_user_triggers(cursor) -> list[str]:
    cursor.execute(
        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
    )
    return [row[0] for row in cursor.fetchall()]


class Command(DjangoFlush):
    def handle(self, **options) -> None:
        connection = connections[options["database"]]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tables = _pg_tables_with_user_triggers(cursor)
                for table in tables:
                    cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
                try:
                    super().handle(**options)
                finally:
                    for table in tables:
                        cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            elif connection.vendor == "sqlite":
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                triggers = cursor.fetchall()
                for name, _sql in triggers:
                    cursor.execute(f'DROP TRIGGER "{name}"')
                try:
                    super().handle(**options)
                finally:
                    for _name, sql in triggers:
                        cursor.execute(sql)
            else:
                super().handle(**options)
