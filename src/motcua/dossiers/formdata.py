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

from motcua.agencies.models import Agency
from motcua.dossiers.legalforms import TEMPLATE_VERSION, validate_snapshot

CHANNEL_TO_FORM = {
    "desk": "direct",
    "post": "post",
    "city_portal": "online",
    "national_portal": "online",
    "kiosk": "kiosk",
}


def _iso(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _agency(agency: Agency) -> dict[str, Any]:
    data: dict[str, Any] = {"name": agency.name_vi, "code": agency.code}
    if agency.parent_id:
        data["parent_name"] = agency.parent.name_vi
    return data


def _person(user) -> dict[str, str]:
    if user is None:
        return {"name": "Hệ thống"}
    return {"name": user.display_name()}


class DocumentLine(NamedTuple):
    name: str
    originals: int
    copies: int


def documents_of(dossier_id: int) -> list[DocumentLine]:
    """A dossier's components as the forms list them, in the order they were recorded (a plain
    query: forms are issued inside the engine's busiest transactions)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, originals, copies FROM dossiers_dossierdocument"
            " WHERE dossier_id = %s ORDER BY id",
            [dossier_id],
        )
        return [DocumentLine(*row) for row in cursor.fetchall()]


def dossier_block(d, documents: Sequence | None = None) -> dict[str, Any]:
    """``documents``: the dossier's documents when the caller holds them (saves a query)."""
    if documents is None:
        documents = documents_of(d.pk)
    return {
        "code": d.code,
        "procedure_code": d.procedure.code,
        "procedure_name": d.procedure.name_vi,
        "received_at": _iso(d.received_at or d.submitted_at),
        "due_at": _iso(d.effective_due_at or d.due_at),
        "channel": CHANNEL_TO_FORM.get(d.channel, "direct"),
        "applicant": {
            "name": d.applicant_name,
            "address": d.applicant_address or "—",
            "id_number": d.applicant_id_number or d.applicant_tax_code,
            "phone": d.applicant_phone,
            "email": d.applicant_email,
        },
        "documents": [
            {"name": doc.name, "originals": doc.originals, "copies": doc.copies}
            for doc in documents
        ]
        or [{"name": "(không có thành phần hồ sơ kèm theo)", "originals": 0, "copies": 0}],
        "handling_agency": d.deciding_agency.name_vi,
    }


def _steps(d) -> list[dict[str, Any]]:
    rows = []
    steps = list(d.steps.select_related("agency", "handled_by").order_by("order"))
    for prev, step in itertools.pairwise(steps):
        if not step.started_at:
            break
        result = ""
        if prev.finished_at and prev.due_at:
            result = "Đúng hạn" if prev.finished_at <= prev.due_at else "Quá hạn"
        rows.append(
            {
                "from_name": prev.handled_by.display_name() if prev.handled_by else "",
                "from_unit": f"{prev.name} — {prev.agency.name_vi}",
                "to_unit": f"{step.name} — {step.agency.name_vi}",
                "handed_at": _iso(step.started_at),
                "due_at": _iso(step.due_at),
                "done_at": _iso(step.finished_at),
                "result": result,
                "note": step.note,
            }
        )
    if not rows:  # nothing handed over yet: the reception itself is the first line
        first = steps[0] if steps else None
        rows.append(
            {
                "from_unit": "Người nộp hồ sơ",
                "to_unit": f"{first.name} — {first.agency.name_vi}" if first else "Bộ phận Một cửa",
                "handed_at": _iso(d.received_at),
                "due_at": _iso(first.due_at if first else d.due_at),
            }
        )
    return rows


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
        "place": settings.MOTCUA_PLACE_NAME,
        "issued_at": _iso(issued_at),
        "agency": _agency(agency),
        "dossier": dossier_block(d, documents),
        "officer": _person(officer),
        "signer": {**_person(officer), "title": "Thủ trưởng cơ quan"},
        **extra,
    }
    if form == "06":
        snapshot["steps"] = _steps(d)
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
        "place": settings.MOTCUA_PLACE_NAME,
        "issued_at": _iso(issued_at),
        "agency": _agency(agency),
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
