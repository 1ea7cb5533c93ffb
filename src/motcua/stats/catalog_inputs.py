"""The 766 inputs that come from the procedure catalogue alone (1.1, 1.2, 1.3, 3.1) and the
procedure sets the dossier indicators filter on (fee-bearing, citizen-facing).

Which procedures a scope covers: the province (the root agency, with its subtree) covers the
whole catalogue; any other unit the procedures it implements, i.e. whose
``Procedure.implementing_agencies`` include the unit (or, with the subtree, a unit under it).

What motcua cannot know yet is reported, never invented (``Counts.missing``):
- 1.1 and 1.2 need the announcement decisions (QĐCB: number, date, type), the latest
  effective date of the legal basis and the "publish" clicks on the national TTHC database;
  motcua records none of them, so both are N/A with the missing inputs named.
- 1.3 checks six of the seven constituent parts (kpi-766.md §1.3): name; steps (an active
  internal workflow with at least one step); method (the online mode, confirmed); dossier
  components (at least one required document); time limit (confirmed); implementing agency
  (at least one). Target subjects are not recorded in the catalogue, so that part is not
  checked and is named as missing.
- 3.1 is a catalogue snapshot: active procedures offered as a partial or full online service
  over all active procedures of the scope (each procedure once, whatever its levels).
1.1–1.3 are province-level (kpi-766.md §0.4): every unit shows the province's values.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from motcua.catalog.models import (
    FeeLine,
    OnlineMode,
    Procedure,
    RequiredDocument,
    Workflow,
    WorkflowStatus,
    WorkflowStep,
)
from motcua.stats.scope_filter import agency_q, is_root, scope_agency
from motcua.stats.types import Counts, Period, Scope

MISSING_1_1 = (
    "quyết định công bố TTHC (số, ngày, loại: mới, sửa đổi, bãi bỏ)",
    "ngày có hiệu lực của văn bản quy phạm pháp luật quy định TTHC",
)
MISSING_1_2 = (
    "ngày công khai TTHC trên Cơ sở dữ liệu quốc gia về TTHC",
    "quyết định công bố TTHC (ngày quyết định)",
)
MISSING_TARGET_SUBJECTS = "đối tượng thực hiện TTHC (chưa ghi nhận trong danh mục)"


def scoped_procedures(scope: Scope, *, active_only: bool = True) -> QuerySet[Procedure]:
    """Procedures of the scope (module docstring); active ones unless told."""
    agency = scope_agency(scope)
    qs = Procedure.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    if is_root(agency) and scope.subtree:
        return qs
    implemented = Procedure.implementing_agencies.through.objects.filter(
        Q(procedure_id=OuterRef("pk")) & agency_q("agency", agency, subtree=scope.subtree)
    )
    return qs.filter(Exists(implemented))


def _province_scope(scope: Scope) -> Scope:
    root = scope_agency(scope)
    while root.parent_id is not None:
        root = root.parent
    return Scope(root.code, subtree=True)


def constituent_parts(procedures: QuerySet[Procedure]) -> QuerySet[Procedure]:
    """``procedures`` annotated with one boolean per checkable constituent part."""
    active_flow = Workflow.objects.filter(
        procedure_id=OuterRef("pk"), status=WorkflowStatus.ACTIVE
    ).filter(Exists(WorkflowStep.objects.filter(workflow_id=OuterRef("pk"))))
    return procedures.annotate(
        has_steps=Exists(active_flow),
        has_documents=Exists(RequiredDocument.objects.filter(procedure_id=OuterRef("pk"))),
        has_agency=Exists(
            Procedure.implementing_agencies.through.objects.filter(procedure_id=OuterRef("pk"))
        ),
    )


COMPLETE_Q = (
    ~Q(name_vi="")
    & Q(has_steps=True)
    & Q(online_mode_unconfirmed=False)
    & Q(has_documents=True)
    & Q(processing_amount__isnull=False, processing_unconfirmed=False)
    & Q(has_agency=True)
)


def province_counts(scope: Scope) -> dict[str, Counts]:
    """Inputs "1.1", "1.2", "1.3": computed once for the province, every unit shows them
    (kpi-766.md §0.4)."""
    parts = constituent_parts(scoped_procedures(_province_scope(scope)))
    row = parts.aggregate(total=Count("pk"), complete=Count("pk", filter=COMPLETE_Q))
    c13 = Counts(
        row["complete"],
        row["total"],
        missing=(MISSING_TARGET_SUBJECTS,),
        note="ảnh chụp danh mục hiện tại; kiểm tra 6/7 bộ phận tạo thành",
    )
    return {
        "1.1": Counts(None, None, missing=MISSING_1_1),
        "1.2": Counts(None, None, missing=MISSING_1_2),
        "1.3": c13,
    }


def index_counts(
    scope: Scope, period: Period, *, province: dict[str, Counts] | None = None
) -> dict[str, Counts]:
    """Inputs "1.1", "1.2", "1.3" (province-level: ``province`` when the caller has them
    already) and "3.1" (the scope's catalogue)."""
    offered = Q(online_mode__in=[OnlineMode.PARTIAL, OnlineMode.FULL])
    row = scoped_procedures(scope).aggregate(total=Count("pk"), offered=Count("pk", filter=offered))
    c31 = Counts(row["offered"], row["total"], note="ảnh chụp danh mục hiện tại")
    return {**(province or province_counts(scope)), "3.1": c31}


def incomplete_procedures(scope: Scope) -> QuerySet[Procedure]:
    """The province's active procedures missing a checkable constituent part (1.3 drill-down)."""
    return constituent_parts(scoped_procedures(_province_scope(scope))).exclude(COMPLETE_Q)


def fee_bearing_procedure_ids(scope: Scope, *, active_only: bool = True) -> set[int]:
    """Procedures of the scope with at least one fee line of a known amount above 0 (3.5, 3.5b,
    3.6). A line of unknown amount (unconfirmed) does not make a procedure fee-bearing."""
    fee = FeeLine.objects.filter(procedure_id=OuterRef("pk"), amount_vnd__gt=0)
    qs = scoped_procedures(scope, active_only=active_only).filter(Exists(fee))
    return set(qs.values_list("pk", flat=True))


def citizen_procedure_ids(scope: Scope, *, active_only: bool = True) -> set[int]:
    """Procedures whose target subjects include citizens (4.5a's denominator). The catalogue
    does not record target subjects yet, so every procedure of the scope counts (documented in
    docs/statistics-index766.md); ``CITIZEN_SUBJECTS_RECORDED`` says so to callers."""
    return set(scoped_procedures(scope, active_only=active_only).values_list("pk", flat=True))


CITIZEN_SUBJECTS_RECORDED = False
