"""core.rows stores instances exactly as Model.save() does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms.models import model_to_dict

from motcua.core import rows
from motcua.dossiers.models import AuditEvent, Dossier

from .conftest import at, submit


def test_insert_matches_orm_save(world):
    dossier = Dossier.objects.get(pk=submit(world))
    kw = dict(
        dossier=dossier,
        at=at(2025, 1, 24, 10),
        actor=world.desk_officer_a,
        agency=world.a,
        action="issue_form",
        to_state="registered",
        national_status=1,
        data={"số": "1/2025/GTN", "items": [1, 2]},
    )
    by_orm = AuditEvent.objects.create(**kw)
    lean = AuditEvent(**kw)
    rows.insert([lean])
    assert lean.pk and lean.pk != by_orm.pk and not lean._state.adding
    stored = AuditEvent.objects.get(pk=lean.pk)
    expected = AuditEvent.objects.get(pk=by_orm.pk)
    assert {**model_to_dict(stored), "id": 0} == {**model_to_dict(expected), "id": 0}


def test_insert_without_returning_and_update_with_auto_now(world):
    dossier = Dossier.objects.get(pk=submit(world))
    events = [
        AuditEvent(dossier=dossier, at=at(2025, 1, 24), action=a, to_state="x", national_status=1)
        for a in ("a", "b", "c")
    ]
    rows.insert(events, returning=False)
    assert [e.pk for e in events] == [None, None, None]
    assert list(dossier.events.filter(to_state="x").values_list("action", flat=True)) == [
        "a",
        "b",
        "c",
    ]
    before = dossier.updated_at
    dossier.applicant_phone = "0911111111"
    dossier.due_at = at(2025, 2, 7)
    rows.update(dossier)
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.applicant_phone == "0911111111"
    assert fresh.due_at == at(2025, 2, 7).astimezone(dt.UTC)
    assert fresh.updated_at > before  # auto_now applied, as save() would


@pytest.mark.postgres_only
def test_only_key_lookups_and_writes_are_prepared(world):
    """A generic plan cannot use the work queue's partial indexes: lists stay unprepared."""
    from django.db import connection, transaction

    from motcua.dossiers.queries import work_queue
    from motcua.dossiers.services._engine import _lock

    pk = submit(world, by=world.desk_officer_a, channel="desk")
    connection.ensure_connection()
    assert connection.connection.prepare_threshold is None
    for _ in range(rows.PREPARE_AFTER + 2):
        list(work_queue(world.desk_officer_a)[:20])
        with transaction.atomic():
            _lock(pk, None)
    with rows.prepared():
        assert connection.connection.prepare_threshold == rows.PREPARE_AFTER
    assert connection.connection.prepare_threshold is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("NOWAIT" in sql for sql in prepared)  # the dossier lock
    assert not any("LIMIT 20" in sql for sql in prepared)  # the queue's first page
