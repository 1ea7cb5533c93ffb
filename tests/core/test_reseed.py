"""tests/reseed.py restores, after a transactional test's flush, exactly the rows the
``post_migrate`` handlers would make (content types, permissions, the roles' groups)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.commands import flush
from django.db import connection

from tests import reseed


def _natural(alias: str) -> dict[str, set[tuple]]:
    """The tables' content without their ids (which differ from one rebuild to the next)."""
    out: dict[str, set[tuple]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        types = {pk: (app, model) for pk, app, model in cursor.fetchall()}
        out["types"] = set(types.values())
        cursor.execute("SELECT id, content_type_id, codename, name FROM auth_permission")
        perms = {pk: (types[ct], code, name) for pk, ct, code, name in cursor.fetchall()}
        out["permissions"] = set(perms.values())
        cursor.execute("SELECT id, name FROM auth_group")
        groups = dict(cursor.fetchall())
        out["groups"] = set(groups.values())
        cursor.execute("SELECT group_id, permission_id FROM auth_group_permissions")
        out["grants"] = {(groups[g], perms[p]) for g, p in cursor.fetchall()}
    return out


@pytest.mark.django_db(transaction=True)
def test_the_restored_rows_are_what_post_migrate_makes():
    assert flush.emit_post_migrate_signal is reseed.emit_post_migrate_signal  # installed
    call_command("flush", verbosity=0, interactive=False)  # a copy exists from here on
    call_command("flush", verbosity=0, interactive=False)  # ... and is written back
    restored = _natural("default")
    assert restored["permissions"] and restored["groups"] and restored["grants"]

    reseed._real_emit(0, False, "default")  # the handlers on the restored rows: nothing to add
    assert _natural("default") == restored

    with connection.cursor() as cursor:  # the handlers from nothing, as a plain flush leaves it
        for table in reversed(reseed.TABLES):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    reseed._real_emit(0, False, "default")
    assert _natural("default") == restored
