"""Read paths of the catalog: search, the workflow in force, what needs an administrator."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet

from motcua.catalog import rules
from motcua.catalog.models import (
    FeeLine,
    Field,
    Procedure,
    Workflow,
    WorkflowStatus,
    WorkflowStep,
)
from motcua.core.prepared import PreparedGet
from motcua.core.text import normalize_search


class NoActiveWorkflow(ObjectDoesNotExist):
    """The procedure has no workflow in force, so no dossier can start."""


def search_procedures(
    text: str = "",
    *,
    field: Field | int | None = None,
    level: str | None = None,
    online_mode: str | None = None,
    active_only: bool = True,
) -> QuerySet[Procedure]:
    """Procedures whose name contains every word of ``text`` (accent- and case-insensitive),
    or whose code contains it."""
    qs = Procedure.objects.select_related("field")
    for word in normalize_search(text).split():
        qs = qs.filter(Q(name_search__contains=word) | Q(code__contains=word))
    if field is not None:
        qs = qs.filter(field=field)
    if level is not None:
        if level not in rules.LEVELS:
            raise ValueError(f"Cấp không hợp lệ: {level!r}.")
        qs = qs.filter(**{f"at_{level}": True})
    if online_mode is not None:
        qs = qs.filter(online_mode=online_mode)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name_search", "code")


def active_workflow(procedure: Procedure) -> Workflow | None:
    """The active version with its steps prefetched in order, or None."""
    return (
        Workflow.objects.filter(procedure=procedure, status=WorkflowStatus.ACTIVE)
        .select_related("procedure")
        .prefetch_related("steps__agency")
        .first()
    )


# compiled once: it runs for every new dossier, and building it cost more than running it
_IN_FORCE = PreparedGet(
    lambda: Workflow.objects.filter(status=WorkflowStatus.ACTIVE).order_by("pk"),
    key="procedure_id",
)


def workflow_for_dossier(procedure: Procedure) -> Workflow:
    """The version a new dossier must start with (keep a FK to it: it never changes); its
    steps are ``workflow_steps(workflow)``."""
    workflow = _IN_FORCE.get(procedure.pk)
    if workflow is None:
        raise NoActiveWorkflow(
            f"Thủ tục “{procedure.name_vi}” chưa có quy trình nội bộ đang áp dụng."
        )
    return workflow


# steps of workflows that are no longer drafts, by (id, created_at): the creation time tells a
# workflow from another that reuses its id after a rollback or a database reset
_FROZEN_STEPS: dict[tuple, tuple[WorkflowStep, ...]] = {}


def workflow_steps(workflow: Workflow) -> tuple[WorkflowStep, ...]:
    """The workflow's steps in order. Once a workflow leaves the draft state its steps never
    change (the services and the admin refuse it), so they are read once per process."""
    if workflow.status == WorkflowStatus.DRAFT:
        return tuple(workflow.steps.order_by("order"))
    key = (workflow.pk, workflow.created_at)
    steps = _FROZEN_STEPS.get(key)
    if steps is None:
        steps = _FROZEN_STEPS[key] = tuple(workflow.steps.order_by("order"))
    return steps


def procedures_needing_attention() -> QuerySet[Procedure]:
    """Procedures an administrator should check: any unconfirmed value, unknown time, an
    unconfirmed fee, no active workflow, or an active workflow sized for another time."""
    active = Workflow.objects.filter(procedure=OuterRef("pk"), status=WorkflowStatus.ACTIVE)
    matching = active.filter(
        legal_amount=OuterRef("processing_amount"), legal_unit=OuterRef("processing_unit")
    )
    return (
        Procedure.objects.select_related("field")
        .annotate(
            has_active_workflow=Exists(active),
            workflow_matches=Exists(matching),
            fee_unconfirmed=Exists(
                FeeLine.objects.filter(procedure=OuterRef("pk"), unconfirmed=True)
            ),
        )
        .filter(
            Q(code_unconfirmed=True)
            | Q(code="")
            | Q(processing_unconfirmed=True)
            | Q(processing_amount__isnull=True)
            | Q(online_mode_unconfirmed=True)
            | Q(fee_unconfirmed=True)
            | Q(workflow_matches=False)
        )
        .order_by("code", "name_vi")
    )


def attention_reasons(procedure: Procedure) -> list[str]:
    """Why a procedure (from ``procedures_needing_attention``) is listed, in Vietnamese."""
    reasons = []
    if not procedure.code:
        reasons.append("chưa có mã TTHC")
    elif procedure.code_unconfirmed:
        reasons.append("mã TTHC chưa xác nhận")
    if procedure.processing_amount is None:
        reasons.append("chưa có thời hạn giải quyết")
    elif procedure.processing_unconfirmed:
        reasons.append("thời hạn chưa xác nhận")
    if procedure.online_mode_unconfirmed:
        reasons.append("mức độ trực tuyến chưa xác nhận")
    if procedure.fee_lines.filter(unconfirmed=True).exists():
        reasons.append("phí, lệ phí chưa xác nhận")
    workflow = active_workflow(procedure)
    if workflow is None:
        reasons.append("chưa có quy trình nội bộ đang áp dụng")
    elif (workflow.legal_amount, workflow.legal_unit) != (
        procedure.processing_amount,
        procedure.processing_unit,
    ):
        reasons.append("quy trình không khớp thời hạn hiện hành")
    return reasons


__all__ = [
    "NoActiveWorkflow",
    "active_workflow",
    "attention_reasons",
    "procedures_needing_attention",
    "search_procedures",
    "workflow_for_dossier",
    "workflow_steps",
]
