"""The open-work tally (``dossiers/openwork.py``) stays equal to a live count of the open
dossiers through every kind of write: the engine's services, ``QuerySet.update`` over many
rows, single and multi-row inserts, deletions, and writes that change nothing it counts."""

from __future__ import annotations

import importlib
import random

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.catalog.services import create_default_workflow
from motcua.dossiers import openwork
from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier, OpenWork
from motcua.dossiers.queries import queue_summary
from motcua.dossiers.rules import WORK_STATES, State

from .conftest import at, submit

WORK = [s.value for s in WORK_STATES]


def _live() -> dict[tuple, int]:
    rows = Dossier.objects.filter(state__in=WORK).order_by().values_list(*openwork.KEY)
    return {tuple(r[:-1]): r[-1] for r in rows.annotate(n=Count("*"))}


def _tally() -> dict[tuple, int]:
    assert not OpenWork.objects.filter(n__lt=0).exists()
    rows = OpenWork.objects.filter(n__gt=0).values_list(*openwork.KEY, "n")
    return {tuple(r[:-1]): r[-1] for r in rows}


def _check() -> None:
    assert _tally() == _live()


def test_the_installing_migration_froze_todays_work_states():
    migration = importlib.import_module("motcua.dossiers.migrations.0011_open_work_tally")
    assert tuple(WORK) == migration.WORK_STATES


def test_the_engine_keeps_the_tally_through_whole_lifecycles(world):
    first = submit(world, when=at(2025, 1, 24, 8, 30))
    _check()
    assert _tally() == {(world.a.pk, world.a.pk, world.a.pk, "registered", world.procedure.pk): 1}
    S.receive(first, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(first, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    _check()
    S.request_supplement(
        first, by=world.specialist_a, now=at(2025, 2, 3, 9), missing=[S.MissingItem("Tờ khai")]
    )
    _check()
    S.supplement(first, by=world.citizen1, now=at(2025, 2, 5, 9))
    S.hand_over(first, by=world.specialist_a, now=at(2025, 2, 6, 9))
    S.approve(first, by=world.leader_a, result_documents=["Trích lục"], now=at(2025, 2, 7, 8))
    _check()
    S.request_payment(first, by=world.desk_officer_a, fees=[("Phí", 8000)], now=at(2025, 2, 10))
    S.confirm_payment(first, by=world.desk_officer_a, channel="online", now=at(2025, 2, 10, 11))
    _check()
    S.return_result(first, by=world.desk_officer_a, delivery="desk", now=at(2025, 2, 10, 14))
    assert _tally() == {} == _live()

    withdrawn, stopped, forwarded = (submit(world) for _ in range(3))
    S.withdraw(withdrawn, by=world.citizen1, reason="Không còn nhu cầu")
    S.receive(stopped, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.stop(stopped, by=world.leader_a, reason="Lý do", legal_basis="NĐ 118", now=at(2025, 1, 24))
    S.receive(forwarded, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(forwarded, by=world.desk_officer_a, now=at(2025, 1, 24, 9, 30))
    S.forward(forwarded, by=world.specialist_a, to_agency=world.b, now=at(2025, 1, 24, 10))
    _check()
    key = (world.a.pk, world.a.pk, world.b.pk, "in_process", world.procedure.pk)
    assert _tally() == {key: 1}


def test_bulk_and_direct_writes_keep_the_tally(world):
    """Random writes of every kind, the tally compared with a live count after each batch.
    Keys move both ways between agencies, so both lock orders of the PostgreSQL trigger run."""
    other = Procedure.objects.create(
        code="1.000002",
        name_vi="Thủ tục khác",
        field=world.procedure.field,
        at_commune=True,
        processing_amount=3,
        processing_unit="d",
    )
    create_default_workflow(other)
    template = Dossier.objects.get(pk=submit(world))
    copies = []
    for i in range(40):
        copy = Dossier.objects.get(pk=template.pk)
        copy.pk, copy.code, copy.idempotency_key = None, f"COPY-{i:03d}", None
        copies.append(copy)
    Dossier.objects.bulk_create(copies[:30])  # one multi-row INSERT
    for copy in copies[30:]:
        copy.save()
    _check()

    agencies = list(Agency.objects.values_list("pk", flat=True))
    procedures = [world.procedure.pk, other.pk]
    states = [s.value for s in State]
    rnd = random.Random(20261201)
    for batch in range(12):
        for _ in range(15):
            pk = rnd.choice(list(Dossier.objects.values_list("pk", flat=True)))
            one = Dossier.objects.filter(pk=pk)
            op = rnd.randrange(6)
            if op == 0:
                one.update(state=rnd.choice(states))
            elif op == 1:
                one.update(current_agency_id=rnd.choice(agencies), state=rnd.choice(WORK))
            elif op == 2:
                one.update(deciding_agency_id=rnd.choice(agencies))
            elif op == 3:
                one.update(procedure_id=rnd.choice(procedures))
            elif op == 4:
                one.update(applicant_name=f"Tên {rnd.random()}")  # nothing counted changes
            else:
                one.update(receiving_agency_id=rnd.choice(agencies))
        # many rows in one statement, half of them leaving the work states
        Dossier.objects.filter(pk__in=[c.pk for c in copies[batch::6]]).update(
            state=rnd.choice([*WORK, "returned"])
        )
        _check()
    Dossier.objects.filter(code__startswith="COPY-0").delete()
    _check()
    assert sum(_tally().values()) == Dossier.objects.filter(state__in=WORK).count() > 0


def test_queue_counts_read_the_tally_and_only_the_officers_own_dossiers(world):
    for _ in range(3):
        submit(world)
    with CaptureQueriesContext(connection) as captured:
        summary = queue_summary(world.admin_d)
    assert summary.by_state() == {"registered": 3}
    (sql,) = [q["sql"] for q in captured.captured_queries if "dossiers_" in q["sql"]]
    assert "dossiers_openwork" in sql
    # the dossier table is read only for the officer's own applications outside the scope
    dossier_part = sql.split("dossiers_openwork")[0]
    assert "applicant_user_id" in dossier_part and "receiving_agency_id" in dossier_part
