"""Workflow versions: drafts, activation, immutability, database constraints."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from motcua.agencies.models import Agency
from motcua.catalog import rules, services
from motcua.catalog.models import Field, Procedure, Workflow, WorkflowStep
from motcua.catalog.queries import NoActiveWorkflow, active_workflow, workflow_for_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure() -> Procedure:
    field = Field.objects.create(name_vi="Hộ tịch")
    return Procedure.objects.create(
        code="1.004837",
        name_vi="Thủ tục đăng ký giám hộ",
        field=field,
        at_commune=True,
        processing_amount=3,
        processing_unit="d",
    )


def steps(*hours: str) -> list[rules.StepSpec]:
    roles = ["reception", "specialist", "leader", "return"]
    return [rules.StepSpec(f"Bước {i}", roles[i % 4], D(h)) for i, h in enumerate(hours)]


def test_default_workflow_is_active_version_1(procedure):
    wf = services.create_default_workflow(procedure)
    assert (wf.version, wf.status) == (1, "active")
    found = workflow_for_dossier(procedure)
    assert found.pk == wf.pk
    ordered = list(found.steps.all())
    assert [s.role for s in ordered] == ["reception", "specialist", "leader", "return"]
    assert sum(s.allotted_hours for s in ordered) == 24


def test_new_version_is_a_draft_until_activated(procedure):
    v1 = services.create_default_workflow(procedure)
    v2 = services.new_workflow_version(procedure, steps("2", "18", "2", "2"), approved_ref="12/QĐ")
    assert (v2.version, v2.status) == (2, "draft")
    assert active_workflow(procedure).pk == v1.pk
    services.activate_workflow(v2)
    v1.refresh_from_db()
    assert v1.status == "retired" and v1.retired_at is not None
    assert workflow_for_dossier(procedure).pk == v2.pk
    assert Workflow.objects.filter(procedure=procedure, status="active").count() == 1


def test_step_sum_is_checked_with_a_clear_message(procedure):
    with pytest.raises(ValidationError) as exc:
        services.new_workflow_version(procedure, steps("4", "20", "4", "2"))
    assert "30 giờ làm việc" in exc.value.messages[0]
    assert "3 ngày làm việc (24 giờ làm việc)" in exc.value.messages[0]
    assert not Workflow.objects.exists()


def test_active_and_retired_versions_are_immutable(procedure):
    v1 = services.create_default_workflow(procedure)
    before = list(v1.steps.values_list("name", "allotted_hours"))
    with pytest.raises(ValidationError, match="không thể sửa"):
        services.replace_draft_steps(v1, steps("4", "12", "4", "4"))
    with pytest.raises(ValidationError, match="không thể sửa"):
        services.delete_draft_workflow(v1)
    with pytest.raises(ValidationError):
        services.activate_workflow(v1)
    v2 = services.new_workflow_version(procedure, steps("4", "12", "4", "4"))
    services.activate_workflow(v2)
    v1.refresh_from_db()
    with pytest.raises(ValidationError, match="không thể sửa"):
        services.replace_draft_steps(v1, steps("3", "15", "3", "3"))
    assert list(v1.steps.values_list("name", "allotted_hours")) == before


def test_drafts_can_be_edited_and_deleted(procedure):
    draft = services.new_workflow_version(procedure, steps("3", "15", "3", "3"))
    services.replace_draft_steps(draft, steps("1", "21", "1", "1"))
    assert list(draft.steps.values_list("allotted_hours", flat=True)) == [1, 21, 1, 1]
    services.delete_draft_workflow(draft)
    assert not Workflow.objects.exists() and not WorkflowStep.objects.exists()


def test_activation_refuses_a_draft_sized_for_an_old_time(procedure):
    draft = services.new_workflow_version(procedure, steps("3", "15", "3", "3"))
    services.set_processing_time(procedure, 5)
    with pytest.raises(ValidationError, match="3 ngày làm việc"):
        services.activate_workflow(draft)


def test_setting_time_gives_a_workflow_to_a_procedure_without_one(procedure):
    Procedure.objects.filter(pk=procedure.pk).update(
        processing_amount=None, processing_unconfirmed=True
    )
    procedure.refresh_from_db()
    with pytest.raises(NoActiveWorkflow, match="chưa có quy trình"):
        workflow_for_dossier(procedure)
    services.set_processing_time(procedure, 2)
    assert workflow_for_dossier(procedure).legal_amount == 2


def test_database_allows_one_active_workflow_per_procedure(procedure):
    services.create_default_workflow(procedure)
    with pytest.raises(IntegrityError), transaction.atomic():
        Workflow.objects.create(procedure=procedure, version=2, status="active", legal_amount=3)


def test_database_refuses_duplicate_versions(procedure):
    Workflow.objects.create(procedure=procedure, version=1, legal_amount=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Workflow.objects.create(procedure=procedure, version=1, legal_amount=3)


def test_step_agency_required_iff_specific_performer(procedure):
    wf = Workflow.objects.create(procedure=procedure, version=1, legal_amount=3)
    agency = Agency.objects.create(code="000.00.05.H13", name_vi="Sở Tư pháp", level="department")
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkflowStep.objects.create(
            workflow=wf, order=1, name="x", role="other", performer="specific", allotted_hours=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkflowStep.objects.create(
            workflow=wf,
            order=1,
            name="x",
            role="other",
            performer="deciding",
            agency=agency,
            allotted_hours=1,
        )
    WorkflowStep.objects.create(
        workflow=wf,
        order=1,
        name="x",
        role="other",
        performer="specific",
        agency=agency,
        allotted_hours=1,
    )


def test_steps_protect_their_workflow_from_deletion(procedure):
    wf = services.create_default_workflow(procedure)
    with pytest.raises(ProtectedError):
        wf.delete()


def test_specific_agency_steps_are_stored(procedure):
    agency = Agency.objects.create(code="000.00.05.H13", name_vi="Sở Tư pháp", level="department")
    spec = [
        rules.StepSpec("Tiếp nhận", "reception", D(2), "receiving"),
        rules.StepSpec("Thẩm định liên thông", "specialist", D(20), "specific", agency.pk),
        rules.StepSpec("Trả kết quả", "return", D(2), "receiving"),
    ]
    wf = services.activate_workflow(services.new_workflow_version(procedure, spec))
    assert [s.agency_id for s in wf.steps.all()] == [None, agency.pk, None]


def test_link_agencies_by_level(procedure):
    ward = Agency.objects.create(
        code="000.01.21.H13", name_vi="UBND phường Cái Khế", level="commune"
    )
    assert services.link_agencies_by_level("commune", [ward]) == 1
    assert list(procedure.implementing_agencies.all()) == [ward]
    assert services.link_agencies_by_level("province", [ward]) == 0
