"""Snapshots for the legal forms, built from a dossier at the moment a form is issued.

The snapshot is plain JSON (schema in ``legalforms.schema``) stored with the dossier and never
changed; HTML and PDF are rendered from it later by ``legalforms.render_html/render_pdf``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.utils import timezone

from motcua.agencies import letterhead
from motcua.agencies.models import Agency, AgencyLevel, AgencySigner
from motcua.catalog.rules import UNIT_LABELS
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.formtexts import current_texts
from motcua.dossiers.legalforms import TEMPLATE_VERSION, validate_snapshot
from motcua.dossiers.models import ONLINE_CHANNELS
from motcua.dossiers.rules import D118

#: Forms the one-stop unit issues (Forms 04 and 05 are the competent agency's letters).
DESK_FORMS = frozenset({"01", "02", "03", "06", "07"})
# Units whose letters print their governing authority above their name (Decree 30/2020: "tên
# cơ quan chủ quản trực tiếp"); People's Committees have none.
_GOVERNED_LEVELS = frozenset(
    {AgencyLevel.DEPARTMENT, AgencyLevel.SERVICE_CENTRE, AgencyLevel.OTHER}
)
#: The first citation of the decree (number, date, issuer, title), as Form 05 prints it.
D118_CITATION = (
    "Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025 của Chính phủ về thực hiện thủ tục"
    " hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ"
    " công quốc gia"
)

CHANNEL_TO_FORM = {
    "desk": "direct",
    "post": "post",
    "city_portal": "online",
    "national_portal": "online",
    "kiosk": "kiosk",
}


def _iso(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def place_of(agency: Agency) -> str:
    """The place in the date line: the administrative unit where the agency sits (its own
    ``place_name``, else its name's unit, else its superior's), else ``PLACE_NAME``."""
    seen = 0
    unit: Agency | None = agency
    while unit is not None and seen < 10:
        place = unit.place_name.strip() or letterhead.place_from_name(unit.name_vi)
        if place:
            return place
        unit, seen = unit.parent, seen + 1
    return settings.MOTCUA_PLACE_NAME


def desk_name(agency: Agency) -> str:
    return agency.desk_name.strip() or letterhead.DEFAULT_DESK


def symbol_of(form: str, agency: Agency) -> str:
    """The issuer's abbreviation in the document symbol ("GTN-BPMC", "VBXL-UBND")."""
    if form in DESK_FORMS and agency.level != AgencyLevel.SERVICE_CENTRE:
        return letterhead.desk_symbol(desk_name(agency))
    return agency.symbol.strip() or letterhead.symbol_from_name(agency.name_vi)


def _agency(agency: Agency, form: str = "01") -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": agency.name_vi,
        "code": agency.code,
        "desk": desk_name(agency),
    }
    if agency.phone:
        data["phone"] = agency.phone
    parent = agency.parent if agency.parent_id else None
    if form in DESK_FORMS and agency.level != AgencyLevel.SERVICE_CENTRE:
        # a slip of the one-stop unit: the unit under the agency it belongs to
        data["governing"], data["issuer"] = agency.name_vi, data["desk"]
    else:
        data["issuer"] = agency.name_vi
        if parent is not None and agency.level in _GOVERNED_LEVELS:
            data["governing"] = parent.name_vi
    if parent is not None:
        data["parent_name"] = parent.name_vi
    return data


def signer_block(agency: Agency, signer_id: int | None) -> dict[str, str]:
    """Who signs a letter (Forms 04, 05): the agency's configured signer ``signer_id`` (default:
    its head), printed with the authority marks; with no signer configured, the head's position
    and a blank name to write by hand — never the officer who clicked."""
    signers = AgencySigner.objects.filter(agency=agency, active=True)
    if signer_id is not None:
        signer = signers.filter(pk=signer_id).first()
        if signer is None:
            raise InvalidInput(
                "Người ký không thuộc cơ quan giải quyết hồ sơ hoặc không còn thẩm quyền ký.",
                fields={"signer": "invalid"},
            )
    else:
        signer = signers.filter(role="head").order_by("order", "pk").first()
    lines = letterhead.signature_lines(
        role=signer.role if signer else "head",
        position=signer.position if signer else "",
        head_title=agency.head_title,
        agency_name=agency.name_vi,
    )
    block = {"title": "\n".join(lines), "name": signer.name if signer else ""}
    if signer is not None:
        block["id"] = str(signer.pk)
    return block


def _person(user) -> dict[str, str]:
    if user is None:
        return {"name": "Hệ thống"}
    return {"name": user.display_name()}


class DocumentLine(NamedTuple):
    name: str
    originals: int
    copies: int
    present_only: bool = False


def documents_of(dossier_id: int) -> list[DocumentLine]:
    """A dossier's components as the forms list them, in the order they were recorded (a plain
    query: forms are issued inside the engine's busiest transactions)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.name, d.originals, d.copies, COALESCE(r.present_only, %s)"
            " FROM dossiers_dossierdocument d"
            " LEFT JOIN catalog_requireddocument r ON r.id = d.required_document_id"
            " WHERE d.dossier_id = %s ORDER BY d.id",
            [False, dossier_id],
        )
        return [DocumentLine(n, o, c, bool(p)) for n, o, c, p in cursor.fetchall()]


def _present_only_ids(documents: Sequence) -> set[int]:
    """Of model documents given by the caller, the catalog documents that are shown only."""
    from motcua.catalog.models import RequiredDocument

    ids = {
        doc.required_document_id
        for doc in documents
        if not isinstance(doc, DocumentLine) and getattr(doc, "required_document_id", None)
    }
    if not ids:
        return set()
    return set(
        RequiredDocument.objects.filter(pk__in=ids, present_only=True).values_list("pk", flat=True)
    )


def _document(doc, shown_only: set[int]) -> dict[str, Any]:
    if isinstance(doc, DocumentLine):
        present_only = doc.present_only
    else:
        present_only = getattr(doc, "required_document_id", None) in shown_only
    if present_only:  # shown to the officer, not submitted: no original or copy is kept
        return {"name": doc.name, "originals": 0, "copies": 0, "present_only": True}
    return {"name": doc.name, "originals": doc.originals, "copies": doc.copies}


def legal_duration(d) -> str:
    """ "05 ngày làm việc" from the workflow version the dossier was received under."""
    workflow = d.workflow
    amount = workflow.legal_amount
    if not amount:
        return "Trong ngày làm việc"
    return f"{amount:02d} {UNIT_LABELS.get(workflow.legal_unit, 'ngày làm việc')}"


def result_delivery(d) -> str:
    """Where the applicant registered to receive the result; an online dossier without a choice
    gets it online, any other at the desk (the receipt's item 6 is never blank)."""
    if d.result_delivery:
        return d.result_delivery
    return "online" if d.channel in ONLINE_CHANNELS else "desk"


def dossier_block(d, documents: Sequence | None = None) -> dict[str, Any]:
    """``documents``: the dossier's documents when the caller holds them (saves a query)."""
    if documents is None:
        documents = documents_of(d.pk)
    shown_only = _present_only_ids(documents)
    return {
        "code": d.code,
        "procedure_code": d.procedure.code,
        "procedure_name": d.procedure.name_vi,
        "received_at": _iso(d.received_at or d.submitted_at),
        "due_at": _iso(d.effective_due_at or d.due_at),
        "channel": CHANNEL_TO_FORM.get(d.channel, "direct"),
        "legal_duration": legal_duration(d),
        "result_delivery": result_delivery(d),
        "applicant": {
            "name": d.applicant_name,
            "address": d.applicant_address or "—",
            "id_number": d.applicant_id_number or d.applicant_tax_code,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
        },
        "documents": [_document(doc, shown_only) for doc in documents]
        or [{"name": "(không có thành phần hồ sơ kèm theo)", "originals": 0, "copies": 0}],
        "handling_agency": d.deciding_agency.name_vi,
    }


def step_result(done: dt.datetime | None, due: dt.datetime | None) -> str:
    """Form 06's result of a hand-over: "Trước hạn" when finished on a day before its due day,
    "Đúng hạn" when finished by the due time on that day, "Quá hạn" after it."""
    if done is None or due is None:
        return ""
    if done > due:
        return "Quá hạn"
    if timezone.localtime(done).date() < timezone.localtime(due).date():
        return "Trước hạn"
    return "Đúng hạn"


def _unit(step) -> str:
    return f"{step.name} — {step.agency.name_vi}"


def _steps(d) -> list[dict[str, Any]]:
    """The hand-overs, starting at the one-stop desk that received the dossier."""
    rows = []
    steps = list(d.steps.select_related("agency", "handled_by").order_by("order"))
    desk = f"{desk_name(d.receiving_agency)} — {d.receiving_agency.name_vi}"
    for index, (prev, step) in enumerate(itertools.pairwise(steps)):
        if not step.started_at:
            break
        rows.append(
            {
                "from_name": prev.handled_by.display_name() if prev.handled_by else "",
                "from_unit": desk if index == 0 else _unit(prev),
                "to_unit": _unit(step),
                "to_name": step.handled_by.display_name() if step.handled_by else "",
                "handed_at": _iso(step.started_at),
                "due_at": _iso(step.due_at),
                "done_at": _iso(step.finished_at),
                "result": step_result(step.finished_at, step.due_at),
                "note": step.note,
            }
        )
    if not rows:  # nothing handed over yet: the slip starts at the desk that received it
        nxt = steps[1] if len(steps) > 1 else None
        rows.append(
            {
                "from_unit": desk,
                "to_unit": _unit(nxt) if nxt else d.deciding_agency.name_vi,
                "handed_at": _iso(d.received_at),
                "due_at": _iso(nxt.due_at if nxt else d.due_at),
            }
        )
    return rows


def coordinating_agencies(d) -> list[str]:
    """Agencies that take part in the dossier besides the receiving and deciding ones."""
    names: list[str] = []
    skip = {d.receiving_agency_id, d.deciding_agency_id}
    for step in d.steps.select_related("agency").order_by("order"):
        if step.agency_id not in skip and step.agency.name_vi not in names:
            names.append(step.agency.name_vi)
    return names


def _wording(form: str) -> dict[str, Any]:
    texts, versions = current_texts(form)
    if not texts:
        return {}
    return {"wording": texts, "wording_versions": versions} if versions else {"wording": texts}


def _officer(user, agency: Agency) -> dict[str, str]:
    person = _person(user)
    phone = getattr(user, "phone", "") or agency.phone
    if phone:
        person["phone"] = phone
    return person


def log_reference(number: str, issued_at: dt.datetime) -> dict[str, str]:
    """The receipt's line in the dossier log (Form 07): the book is the year's, the entry the
    receipt's own number (receipts and log lines are counted by the same yearly counter)."""
    entry = number.split("/", 1)[0]
    return {"book": str(timezone.localtime(issued_at).year), "entry": entry}


def build(
    d,
    form: str,
    *,
    number: str,
    issued_at: dt.datetime,
    agency: Agency,
    officer,
    extra: dict[str, Any],
    documents: Sequence | None = None,
) -> dict[str, Any]:
    """The snapshot of ``form`` for dossier ``d`` (validated before it is stored)."""
    snapshot: dict[str, Any] = {
        "form": form,
        "template_version": TEMPLATE_VERSION,
        "number": number,
        "place": place_of(agency),
        "issued_at": _iso(issued_at),
        "agency": _agency(agency, form),
        "dossier": dossier_block(d, documents),
        "officer": _officer(officer, agency),
        **_wording(form),
        **extra,
    }
    if form in {"04", "05"} and "signer" not in snapshot:
        snapshot["signer"] = signer_block(agency, None)
    if form == "01":
        snapshot["dossier"]["log"] = log_reference(number, issued_at)
    if form == "05" and snapshot.get("legal_basis", "").strip() in {"", D118}:
        snapshot["legal_basis"] = D118_CITATION
    if form == "06":
        snapshot["steps"] = _steps(d)
        snapshot["dossier"]["coordinating_agencies"] = coordinating_agencies(d)
    validate_snapshot(snapshot)
    return snapshot


def build_log(
    agency: Agency,
    rows: list[dict[str, Any]],
    *,
    number: str,
    issued_at: dt.datetime,
    start: dt.date,
    end: dt.date,
    officer,
) -> dict[str, Any]:
    """Form 07: the desk's dossier log for a period."""
    snapshot = {
        "form": "07",
        "template_version": TEMPLATE_VERSION,
        "number": number,
        "place": place_of(agency),
        "issued_at": _iso(issued_at),
        "agency": _agency(agency, "07"),
        "officer": _person(officer),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "rows": rows,
    }
    validate_snapshot(snapshot)
    return snapshot


def log_row(no: int, d) -> dict[str, Any]:
    return {
        "no": no,
        "code": d.code,
        "procedure_name": d.procedure.name_vi,
        "applicant_name": d.applicant_name,
        "address": d.applicant_address,
        "phone": d.applicant_phone,
        "received_at": _iso(d.received_at),
        "due_at": _iso(d.effective_due_at),
        "handling_agency": d.deciding_agency.name_vi,
        "result_at": _iso(d.ended_at),
        "returned_at": _iso(d.returned_at),
    }
