"""Dossiers waiting for reception come first in the desk queue (issue 9 §5: new online dossiers
sorted to the bottom, below overdue ones), and the queue's partial indexes still serve that
order on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from motcua.dossiers.queries import with_deadline_status, work_queue
from tests.dossiers.conftest import at

from .conftest import login, new_dossier


def test_waiting_for_reception_comes_before_overdue(world):
    overdue = new_dossier(world, when=at(2025, 1, 24))
    fresh = new_dossier(world, when=timezone.now())
    waiting = new_dossier(world, state="registered")
    codes = list(work_queue(world.desk_officer_a).values_list("code", flat=True))
    assert codes == [waiting.code, overdue.code, fresh.code]
    page = login(world.desk_officer_a).get("/desk/").content.decode()
    assert page.index(waiting.code) < page.index(overdue.code) < page.index(fresh.code)


@pytest.mark.postgres_only
def test_queue_indexes_sort_nulls_first_and_serve_the_order(world):
    new_dossier(world, when=at(2025, 1, 24))
    new_dossier(world, state="registered")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'dossier_open_%'"
        )
        definitions = dict(cursor.fetchall())
    assert set(definitions) == {
        "dossier_open_due",
        "dossier_open_receiving",
        "dossier_open_deciding",
        "dossier_open_current",
        "dossier_open_state",
    }
    assert all("effective_due_at NULLS FIRST" in sql for sql in definitions.values())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = with_deadline_status(work_queue(world.root))[:20].explain()
    assert "dossier_open_due" in plan and "Sort" not in plan
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = with_deadline_status(work_queue(world.root, states=["received"]))[:20].explain()
    # a queue filtered by state walks that state's entries in queue order
    assert "dossier_open_state" in plan and "Sort" not in plan
