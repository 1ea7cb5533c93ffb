"""``services.create_entries`` (the Excel import and the demo's 1,975 records go through it):
each record checked and audited as ``create_entry`` alone would, all or none, the failing
record named, and a cost that does not grow by an INSERT, a permission check and a savepoint
per record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core.models import ChangeEvent
from motcua.registers import services
from motcua.registers.models import LegalDocument
from motcua.registers.rules import InvalidInput, NotAllowed


def _legal(w, i: int, **extra):
    return {
        "date": dt.date(2021, 3, 1) + dt.timedelta(days=i),
        "agency": w.justice,
        "kind": "self_check",
        "number": f"{i}/2021/QĐ-UBND",
        "title": f"Quyết định số {i}",
        **extra,
    }


def _written(docs: list[LegalDocument]):
    """The records and their audit events, with ids relative to the first record."""
    events = ChangeEvent.objects.filter(
        action="registers.legal.create", object_id__in=[str(d.pk) for d in docs]
    ).order_by("pk")
    first = docs[0].pk
    return (
        [(d.agency_id, d.date, d.kind, d.number, d.title, d.errors_found) for d in docs],
        [(e.actor_id, int(e.object_id) - first, e.summary.split("#")[0], e.data) for e in events],
    )


def test_a_batch_writes_what_one_record_at_a_time_writes(world):
    entries = [_legal(world, i) for i in range(5)]
    for values in entries:
        services.create_entry(by=world.justice_officer, register="legal", values=values)
    made = services.create_entries(by=world.justice_officer, register="legal", entries=entries)
    docs = list(LegalDocument.objects.order_by("pk"))
    assert [d.pk for d in made] == [d.pk for d in docs[5:]]
    assert _written(docs[5:]) == _written(docs[:5])


def test_a_batch_is_all_or_none_and_names_its_bad_record(world):
    entries = [_legal(world, 0), _legal(world, 1, error_notes="Sai", errors_found=False)]
    with pytest.raises(InvalidInput) as exc:
        services.create_entries(by=world.justice_officer, register="legal", entries=entries)
    assert exc.value.entry == 1 and "error_notes" in exc.value.fields
    with pytest.raises(NotAllowed):  # one record of another agency: none is filed
        services.create_entries(
            by=world.justice_officer,
            register="legal",
            entries=[_legal(world, 0), _legal(world, 1, agency=world.home)],
        )
    assert not LegalDocument.objects.exists() and not ChangeEvent.objects.exists()


def test_a_batchs_cost_does_not_grow_with_its_records(world):
    def cost(n: int) -> int:
        entries = [_legal(world, i) for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            services.create_entries(by=world.office, register="legal", entries=entries)
        return len(ctx.captured_queries)

    cost(1)  # the first call also reads the officer's roles
    assert cost(20) == cost(3)
