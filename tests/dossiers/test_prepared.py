"""core.prepared.PreparedGet builds the same objects as the queryset it was compiled from."""

from __future__ import annotations

from django.forms.models import model_to_dict

from motcua.core.prepared import PreparedGet
from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier

from .conftest import at, submit

RELATED = ("procedure", "workflow", "receiving_agency__parent", "current_agency")


def test_same_objects_as_the_queryset(world, django_assert_num_queries):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    prepared = PreparedGet(lambda: Dossier.objects.select_related(*RELATED))
    expected = Dossier.objects.select_related(*RELATED).get(pk=pk)
    with django_assert_num_queries(1):  # related objects come with the row
        got = prepared.get(pk)
        related = [got.procedure, got.workflow, got.receiving_agency.parent, got.current_agency]
    assert model_to_dict(got) == model_to_dict(expected)
    assert got.due_at == expected.due_at and got.due_at.tzinfo is not None
    assert [model_to_dict(r) for r in related] == [
        model_to_dict(r)
        for r in (
            expected.procedure,
            expected.workflow,
            expected.receiving_agency.parent,
            expected.current_agency,
        )
    ]
    assert got.workflow.steps.count() == 4
    assert not got._state.adding and got._state.db == "default"


def test_other_keys_and_missing_rows(world):
    first, second = submit(world), submit(world, agency=world.b)
    prepared = PreparedGet(lambda: Dossier.objects.select_related("receiving_agency"))
    assert prepared.get(first).receiving_agency == world.a
    assert prepared.get(second).receiving_agency == world.b
    assert prepared.get(10**9) is None


def test_lookup_by_another_field_sees_a_new_version_at_once(world):
    from decimal import Decimal

    from motcua.catalog import rules
    from motcua.catalog.models import Workflow, WorkflowStatus
    from motcua.catalog.services import activate_workflow, new_workflow_version

    active = PreparedGet(
        lambda: Workflow.objects.filter(status=WorkflowStatus.ACTIVE).order_by("pk"),
        key="procedure_id",
    )
    v1 = active.get(world.procedure.pk)
    assert v1 == Workflow.objects.get(procedure=world.procedure, status="active")
    specs = [
        rules.StepSpec(name, role, Decimal(hours))
        for name, role, hours in (
            ("Tiếp nhận", "reception", 4),
            ("Thẩm định", "specialist", 32),
            ("Trả kết quả", "return", 4),
        )
    ]
    v2 = new_workflow_version(world.procedure, specs)
    assert active.get(world.procedure.pk) == v1  # a draft is not in force
    activate_workflow(v2)
    assert active.get(world.procedure.pk) == v2
    assert active.get(10**9) is None
    # a dossier received now follows version 2 and its three steps
    d = S.receive(submit(world), by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    assert d.workflow_id == v2.pk
    assert [s.name for s in d.steps.order_by("order")] == ["Tiếp nhận", "Thẩm định", "Trả kết quả"]
