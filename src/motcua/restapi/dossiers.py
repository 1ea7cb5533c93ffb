"""Dossiers: submit (idempotent), scoped lists with cursor pagination, status, timeline,
attachments. Every change goes through ``motcua.dossiers.services``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Header, Query, Router, Schema, Status, UploadedFile
from pydantic import Field as PydanticField

from motcua.accounts.oidc import SESSION_VNEID
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core.dateparams import BoundedDateTime
from motcua.core.text import normalize_search
from motcua.dossiers import services
from motcua.dossiers.attachments import attach
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Attachment, Channel, Dossier
from motcua.dossiers.queries import (
    own_dossiers,
    scope_arms_by_agency,
    timeline,
    visible_dossiers,
)
from motcua.dossiers.rules import WORK_STATES, State
from motcua.restapi.auth import AUTH, Caller, caller
from motcua.restapi.cursor import MAX_LIMIT
from motcua.restapi.cursor import page as cursor_page
from motcua.restapi.problems import ApiProblem, ProblemDetails
from motcua.restapi.scopes import ATTEST_VNEID
from motcua.restapi.shapes import (
    LIST_COLUMNS,
    DossierOut,
    dossier_dict,
    dossier_out,
    find,
    with_list_columns,
    with_refs,
)

router = Router(tags=["dossiers"], auth=AUTH)
READ_ERRORS = {
    400: ProblemDetails,
    401: ProblemDetails,
    403: ProblemDetails,
    404: ProblemDetails,
    422: ProblemDetails,
}
WRITE_ERRORS = {409: ProblemDetails, **READ_ERRORS}

StateName = Literal[tuple(s.value for s in State)]  # type: ignore[valid-type]
ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]


class ApplicantIn(Schema):
    name: str = PydanticField(max_length=255)
    kind: Literal["individual", "organisation"] = "individual"
    id_number: str = PydanticField("", max_length=12, description="12-digit chip ID card")
    birth_date: dt.date | None = None
    phone: str = PydanticField("", max_length=20)
    email: str = PydanticField("", max_length=254)
    address: str = PydanticField("", max_length=500)
    tax_code: str = PydanticField("", max_length=14)
    representative: str = PydanticField("", max_length=255)
    vneid: bool = PydanticField(
        False,
        description="The applicant signed in with VNeID: only from a VNeID browser session or "
        "a token granted attest:vneid by name (otherwise 403)",
    )


class DocumentIn(Schema):
    name: str = PydanticField(min_length=1, max_length=500)
    required_document: int | None = PydanticField(
        None, ge=1, le=32767, description="Order number of the procedure's required document"
    )
    originals: int = PydanticField(1, ge=0, le=100)
    copies: int = PydanticField(0, ge=0, le=100)
    digitised: bool = False
    from_national_db: bool = False


class SubmitIn(Schema):
    procedure: str = PydanticField(max_length=40, description="Procedure code, e.g. 1.004884")
    receiving_agency: str = PydanticField(max_length=35, description="Agency code")
    deciding_agency: str | None = PydanticField(None, max_length=35)
    channel: ChannelName = Channel.CITY_PORTAL  # type: ignore[valid-type]
    applicant: ApplicantIn
    documents: list[DocumentIn] = PydanticField(default_factory=list, max_length=100)


class DossierPage(Schema):
    items: list[DossierOut]
    next_cursor: str | None


class ListParams(Schema):
    state: list[StateName] | None = None  # type: ignore[valid-type]
    procedure: str | None = PydanticField(None, max_length=40, description="Procedure code")
    agency: str | None = PydanticField(
        None, max_length=35, description="Agency code (receiving, deciding or current)"
    )
    applicant: str | None = PydanticField(None, max_length=200, description="Applicant name")
    due_before: BoundedDateTime | None = None  # years 2000–2100 (core.dateparams)
    cursor: str | None = PydanticField(None, max_length=500)
    limit: int = PydanticField(20, ge=1, le=MAX_LIMIT)


class FormRef(Schema):
    form: str
    number: str


class EventOut(Schema):
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    national_status: int
    reason: str | None = None
    actor: str | None = None
    agency: str | None = None
    form: FormRef | None = None


class AttachmentOut(Schema):
    sha256: str
    name: str
    content_type: str
    size: int
    purpose: str
    uploaded_at: dt.datetime


def document_inputs(procedure: Procedure, docs: list[DocumentIn]) -> list[services.DocumentInput]:
    orders = dict(procedure.required_documents.values_list("order", "pk"))
    result, errors = [], {}
    for i, doc in enumerate(docs):
        required_id = None
        if doc.required_document is not None:
            required_id = orders.get(doc.required_document)
            if required_id is None:
                errors[f"documents.{i}.required_document"] = "Không có thành phần hồ sơ này."
        result.append(
            services.DocumentInput(
                name=doc.name,
                required_document_id=required_id,
                originals=doc.originals,
                copies=doc.copies,
                digitised=doc.digitised,
                from_national_db=doc.from_national_db,
            )
        )
    if errors:
        raise InvalidInput("Thành phần hồ sơ không hợp lệ.", fields=errors)
    return result


def _agency(code: str | None, field: str, errors: dict[str, str]) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        errors[field] = "Không tìm thấy cơ quan có mã này."
    return agency


@router.post(
    "",
    response={200: DossierOut, 201: DossierOut, **WRITE_ERRORS},
    summary="Submit a dossier (201 created; 200 when the Idempotency-Key was already used)",
)
def submit(
    request: HttpRequest,
    body: SubmitIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=80),
):
    c = caller(request)
    c.require("dossiers:write")
    if body.applicant.vneid:
        _require_vneid_attestation(request, c)
    errors: dict[str, str] = {}
    procedure = Procedure.objects.filter(code=body.procedure).exclude(code="").first()
    if procedure is None:
        errors["procedure"] = "Không tìm thấy thủ tục có mã này."
    receiving = _agency(body.receiving_agency, "receiving_agency", errors)
    if receiving is None:
        errors.setdefault("receiving_agency", "Không tìm thấy cơ quan có mã này.")
    deciding = _agency(body.deciding_agency, "deciding_agency", errors)
    if errors:
        raise InvalidInput("Hồ sơ chưa hợp lệ.", fields=errors)
    now = timezone.now()
    dossier = services.submit(
        by=c.user,
        procedure=procedure,
        receiving_agency=receiving,
        deciding_agency=deciding,
        applicant=services.ApplicantData(**body.applicant.dict()),
        documents=document_inputs(procedure, body.documents),
        channel=body.channel,
        idempotency_key=idempotency_key or None,
        now=now,
    )
    created = dossier.submitted_at == now
    out = dossier_out(with_refs(type(dossier).objects.filter(pk=dossier.pk)).get())
    return Status(201 if created else 200, out)


def _require_vneid_attestation(request: HttpRequest, c: Caller) -> None:
    """``applicant.vneid`` claims the applicant was authenticated by VNeID: true only from a
    browser session that signed in with VNeID, or from a token granted ``attest:vneid`` by
    name (a system that authenticated the citizen itself, e.g. the national portal's link)."""
    if c.token is not None:
        c.require(ATTEST_VNEID)
        return
    if c.kind == "session" and request.session.get(SESSION_VNEID):
        return
    raise ApiProblem(
        403,
        "vneid_not_attested",
        "Phiên đăng nhập này không xác thực qua VNeID nên không thể đánh dấu hồ sơ là đã xác "
        "thực VNeID.",
        {"applicant.vneid": "not attested"},
    )


@router.get("", response={200: DossierPage, **READ_ERRORS}, summary="Dossiers in scope")
def list_dossiers(request: HttpRequest, params: Query[ListParams]):
    c = caller(request)
    c.require("dossiers:read")
    officer = c.is_officer  # one membership check per request
    qs = visible_dossiers(c.user) if officer else own_dossiers(c.user)  # as shapes.scoped
    if params.state:
        qs = qs.filter(state__in=params.state)
    if params.procedure:
        qs = qs.filter(procedure__code=params.procedure)
    if params.agency:
        qs = qs.filter(
            Q(receiving_agency__code=params.agency)
            | Q(deciding_agency__code=params.agency)
            | Q(current_agency__code=params.agency)
        )
    if params.applicant:
        for word in normalize_search(params.applicant).split():
            qs = qs.filter(applicant_name_search__contains=word)
    if params.due_before:
        qs = qs.filter(effective_due_at__lte=params.due_before)
    # Per-agency index walks in list order (restapi/cursor.py) unless only open states are
    # asked for: those few rows (open work, not history) come from the partial open indexes.
    only_open = bool(params.state) and set(params.state) <= {s.value for s in WORK_STATES}
    arms = scope_arms_by_agency(c.user) if officer and not only_open else None
    rows, next_cursor = cursor_page(
        with_list_columns(qs),
        params.cursor,
        params.limit,
        arms=arms,
        fetch=with_list_columns(Dossier.objects.all()),
        columns=LIST_COLUMNS,
    )
    # Rendered directly (the same JSON as DossierPage): see shapes.dossier_dict
    body = {"items": [dossier_dict(d) for d in rows], "next_cursor": next_cursor}
    from motcua.api import api  # the NinjaAPI imports this module

    return api.create_response(request, body, status=200)


@router.get("/{code}", response={200: DossierOut, **READ_ERRORS}, summary="A dossier's status")
def get_dossier(request: HttpRequest, code: str) -> DossierOut:
    c = caller(request)
    c.require("dossiers:read")
    return dossier_out(find(c, code))


@router.get(
    "/{code}/timeline", response={200: list[EventOut], **READ_ERRORS}, summary="Audit timeline"
)
def get_timeline(request: HttpRequest, code: str) -> list[EventOut]:
    c = caller(request)
    c.require("dossiers:read")
    dossier = find(c, code)
    officer = c.is_officer
    events = timeline(dossier, for_citizen=not officer).select_related("form")
    if officer:
        events = events.select_related("actor", "agency")
    return [
        EventOut(
            at=e.at,
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            national_status=e.national_status,
            reason=e.reason if officer else None,
            actor=(e.actor.display_name() if e.actor_id else None) if officer else None,
            agency=(e.agency.code if e.agency_id else None) if officer else None,
            form=FormRef(form=e.form.form, number=e.form.number) if e.form_id else None,
        )
        for e in events
    ]


def attachment_out(a: Attachment) -> AttachmentOut:
    return AttachmentOut(
        sha256=a.sha256,
        name=a.original_name,
        content_type=a.content_type,
        size=a.size,
        purpose=a.purpose,
        uploaded_at=a.uploaded_at,
    )


@router.get(
    "/{code}/attachments",
    response={200: list[AttachmentOut], **READ_ERRORS},
    summary="A dossier's uploaded files",
)
def list_attachments(request: HttpRequest, code: str) -> list[AttachmentOut]:
    c = caller(request)
    c.require("dossiers:read")
    dossier = find(c, code)
    return [attachment_out(a) for a in dossier.attachments.order_by("uploaded_at", "pk")]


@router.post(
    "/{code}/attachments",
    response={201: AttachmentOut, **WRITE_ERRORS},
    summary="Upload a file (PDF, PNG, JPEG, TIFF, DOCX, XLSX; checked by content)",
)
def upload_attachment(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    purpose: Form[Literal["component", "supplement", "result"]] = "component",
):
    c = caller(request)
    c.require("dossiers:write")
    dossier = find(c, code)
    attachment = attach(
        dossier.pk, by=c.user, upload=file, name=file.name or "tep", purpose=purpose
    )
    return Status(201, attachment_out(attachment))
