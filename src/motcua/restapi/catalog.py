"""Public catalog: agencies and procedures (documents, fees, workflow summary), rate limited."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field as PydanticField

from motcua.agencies import queries as agency_queries
from motcua.agencies.models import Agency
from motcua.catalog.models import FeeLine, Procedure, RequiredDocument
from motcua.catalog.queries import active_workflow, search_procedures
from motcua.restapi.problems import ProblemDetails
from motcua.restapi.ratelimit import PublicRateLimit

router = Router(tags=["catalog"], throttle=[PublicRateLimit("catalog")])
ERRORS = {400: ProblemDetails, 404: ProblemDetails, 422: ProblemDetails, 429: ProblemDetails}

Level = Literal["commune", "district", "province"]
OnlineMode = Literal["full", "partial", "none"]


class AgencyOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None


class AgencyPage(Schema):
    count: int
    items: list[AgencyOut]


class ProcedureOut(Schema):
    code: str | None
    name: str
    name_en: str
    field: str
    levels: list[str]
    legal_time: str
    processing_amount: int | None
    processing_unit: str
    online_mode: str


class ProcedurePage(Schema):
    count: int
    items: list[ProcedureOut]


class DocumentOut(Schema):
    order: int
    name: str
    originals: int
    copies: int
    present_only: bool
    mandatory: bool


class FeeOut(Schema):
    name: str
    amount_vnd: int | None
    unconfirmed: bool
    note: str


class StepOut(Schema):
    order: int
    name: str
    role: str
    performer: str
    agency: str | None
    allotted_hours: float


class WorkflowOut(Schema):
    version: int
    legal_time: str
    steps: list[StepOut]


class ProcedureDetail(ProcedureOut):
    result_type: str
    legal_basis: str
    documents: list[DocumentOut]
    fees: list[FeeOut]
    workflow: WorkflowOut | None
    agencies: list[str]


class ListParams(Schema):
    q: str = PydanticField("", max_length=200, description="Accent-insensitive words")
    limit: int = PydanticField(20, ge=1, le=100)
    offset: int = PydanticField(0, ge=0, le=100_000)


class AgencyParams(ListParams):
    level: str | None = PydanticField(None, max_length=20)


class ProcedureParams(ListParams):
    level: Level | None = None
    online_mode: OnlineMode | None = None


def agency_out(a: Agency) -> AgencyOut:
    return AgencyOut(
        code=a.code,
        name=a.name_vi,
        name_en=a.name_en,
        level=a.level,
        parent=a.parent.code if a.parent_id else None,
        valid_from=a.valid_from,
        valid_to=a.valid_to,
    )


def procedure_out(p: Procedure) -> dict:
    return {
        "code": p.code or None,
        "name": p.name_vi,
        "name_en": p.name_en,
        "field": p.field.name_vi,
        "levels": p.levels,
        "legal_time": p.legal_time_display,
        "processing_amount": p.processing_amount,
        "processing_unit": p.processing_unit,
        "online_mode": p.online_mode,
    }


@router.get("/agencies", response={200: AgencyPage, **ERRORS}, summary="Agencies in force today")
def list_agencies(request: HttpRequest, params: Query[AgencyParams]) -> AgencyPage:
    qs = agency_queries.active_on(timezone.localdate()).select_related("parent")
    if params.q.strip():
        q = agency_queries.search_filter(params.q)
        if q is not None:
            qs = qs.filter(q)
    if params.level:
        qs = qs.filter(level=params.level)
    qs = qs.order_by("path")
    page = qs[params.offset : params.offset + params.limit]
    return AgencyPage(count=qs.count(), items=[agency_out(a) for a in page])


@router.get("/agencies/{code}", response={200: AgencyOut, **ERRORS}, summary="One agency")
def get_agency(request: HttpRequest, code: str) -> AgencyOut:
    agency = Agency.objects.select_related("parent").filter(code=code).first()
    if agency is None:
        raise Http404
    return agency_out(agency)


@router.get(
    "/procedures",
    response={200: ProcedurePage, **ERRORS},
    summary="Search procedures (accent- and case-insensitive)",
)
def list_procedures(request: HttpRequest, params: Query[ProcedureParams]) -> ProcedurePage:
    qs = search_procedures(params.q, level=params.level, online_mode=params.online_mode)
    page = qs[params.offset : params.offset + params.limit]
    return ProcedurePage(count=qs.count(), items=[procedure_out(p) for p in page])


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetail, **ERRORS},
    summary="A procedure with its documents, fees and internal workflow",
)
def get_procedure(request: HttpRequest, code: str) -> ProcedureDetail:
    procedure = (
        Procedure.objects.select_related("field")
        .prefetch_related(
            Prefetch("required_documents", queryset=RequiredDocument.objects.order_by("order")),
            Prefetch("fee_lines", queryset=FeeLine.objects.order_by("order")),
            "implementing_agencies",
        )
        .filter(code=code, is_active=True)
        .exclude(code="")
        .first()
    )
    if procedure is None:
        raise Http404
    workflow = active_workflow(procedure)
    return ProcedureDetail(
        **procedure_out(procedure),
        result_type=procedure.result_type,
        legal_basis=procedure.legal_basis,
        documents=[
            DocumentOut(
                order=d.order,
                name=d.name,
                originals=d.originals,
                copies=d.copies,
                present_only=d.present_only,
                mandatory=d.mandatory,
            )
            for d in procedure.required_documents.all()
        ],
        fees=[
            FeeOut(name=f.name, amount_vnd=f.amount_vnd, unconfirmed=f.unconfirmed, note=f.note)
            for f in procedure.fee_lines.all()
        ],
        workflow=None
        if workflow is None
        else WorkflowOut(
            version=workflow.version,
            legal_time=workflow.legal_time_display,
            steps=[
                StepOut(
                    order=s.order,
                    name=s.name,
                    role=s.role,
                    performer=s.performer,
                    agency=s.agency.code if s.agency_id else None,
                    allotted_hours=float(s.allotted_hours),
                )
                for s in workflow.steps.all()
            ],
        ),
        agencies=sorted(a.code for a in procedure.implementing_agencies.all()),
    )
