"""Turn a validated snapshot into the strings the templates print.

All formatting happens here, so the templates only lay text out and the printed wording can be
tested without a PDF. Absent optional values print as a dotted blank, as on the paper forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from motcua.dossiers.legalforms import formatting as fmt
from motcua.dossiers.legalforms import wording as wording_rules
from motcua.dossiers.legalforms.schema import (
    CHANNEL_LABELS,
    FORM_TITLES,
    RESULT_DELIVERY_LABELS,
    TEMPLATE_DIRS,
)

BLANK = "……………"
DEFAULT_DESK = "Bộ phận Một cửa"
DEFAULT_COPIES_TO = ("Như trên", "Lưu: VT")
# Default signature titles: officer-signed slips and agency-signed letters.
OFFICER_TITLES = {
    "01": "NGƯỜI TIẾP NHẬN HỒ SƠ",
    "02": "NGƯỜI HƯỚNG DẪN",
    "03": "NGƯỜI TIẾP NHẬN HỒ SƠ",
    "07": "NGƯỜI GHI SỔ",
}
LEADER_TITLE = "THỦ TRƯỞNG CƠ QUAN"


def _text(data: Mapping[str, Any] | None, key: str, blank: str = BLANK) -> str:
    value = (data or {}).get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return blank
    return str(value).strip()


def _moment(value: str | None, style: str = "long", blank: str = BLANK) -> str:
    if not value:
        return blank
    moment = fmt.parse_moment(value)
    return {
        "long": fmt.long_moment,
        "short": fmt.short_moment,
        "date": fmt.short_date,
        "long_date": fmt.long_date,
    }[style](moment)


def build_context(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The template context for ``snapshot`` (which ``validate_snapshot`` has accepted)."""
    form = snapshot["form"]
    agency = snapshot["agency"]
    issued = fmt.parse_moment(snapshot["issued_at"])
    title = FORM_TITLES[form]
    dossier = snapshot.get("dossier") or {}
    context: dict[str, Any] = {
        "form": form,
        "template_dir": TEMPLATE_DIRS[snapshot["template_version"]],
        "template_version": snapshot["template_version"],
        "title_upper": title.upper(),
        "doc_title": f"Mẫu số {form} – {title}"
        + (f" – {dossier['code']}" if dossier.get("code") else ""),
        "created": issued.value.isoformat(timespec="seconds"),
        "landscape": form == "07",
        "parent_lines": header_lines(
            _text(agency, "governing", "") or _text(agency, "parent_name", "")
        )
        if "issuer" in agency
        else header_lines(_text(agency, "parent_name", "")),
        "agency_lines": header_lines(_text(agency, "issuer", "") or agency["name"]),
        "agency_name": agency["name"].strip(),
        "agency_phone": _text(agency, "phone"),
        "number": _text(snapshot, "number", ""),
        "place_date": f"{snapshot['place'].strip()}, {fmt.long_date(issued)}",
        "desk": f"{_text(agency, 'desk', DEFAULT_DESK)} {agency['name'].strip()}",
        "note": _text(snapshot, "note", ""),
        "officer_title": _text(snapshot.get("officer"), "title", OFFICER_TITLES.get(form, "")),
        "officer_name": _text(snapshot.get("officer"), "name", ""),
        "officer_phone": _text(snapshot.get("officer"), "phone", "") or _text(agency, "phone"),
        "signer_titles": _text(snapshot.get("signer"), "title", LEADER_TITLE).upper().splitlines(),
        "signer_name": _text(snapshot.get("signer"), "name", ""),
        "copies_to": list(snapshot.get("copies_to") or DEFAULT_COPIES_TO),
    }
    if dossier:
        context["dossier"] = _dossier(dossier)
        context["applicant"] = _applicant(dossier.get("applicant") or {})
    context.update(_FORM_PARTS.get(form, lambda _s: {})(snapshot))
    context["online"] = dossier.get("channel") == "online"
    context["w"] = _wording(snapshot, context)
    return context


def _wording(snapshot: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, str]:
    """The form's fixed sentences (stored with the snapshot, else the built-in ones), filled in
    and HTML-escaped; each paragraph of a multi-line text is a list item of ``<key>_lines``."""
    form = snapshot["form"]
    texts = wording_rules.wording_for(form, snapshot.get("wording"))
    dossier = context.get("dossier") or {}
    values = {
        "desk": context["desk"],
        "agency": context["agency_name"],
        "officer": context["officer_name"] or BLANK,
        "phone": context["officer_phone"] if form == "02" else context["agency_phone"],
        "sets": dossier.get("sets", BLANK),
        "legal_duration": dossier.get("legal_duration", BLANK),
        "received": dossier.get("received", BLANK),
        "received_date": dossier.get("received_date", BLANK),
        "due": dossier.get("due", BLANK),
        "result_delivery": dossier.get("result_delivery", BLANK),
        "book": dossier.get("log_book") or BLANK,
        "entry": dossier.get("log_entry") or BLANK,
        "procedure": dossier.get("procedure", BLANK),
        "code": dossier.get("code") or BLANK,
        "reason": context.get("reason") or BLANK,
        "old_due": context.get("old_due", BLANK),
        "new_due": context.get("new_due", BLANK),
    }
    escaped = {key: str(conditional_escape(value)) for key, value in values.items()}
    out: dict[str, Any] = {}
    for key, text in texts.items():
        filled = wording_rules.fill(str(conditional_escape(text)), escaped)
        out[key] = mark_safe(filled)  # noqa: S308 - text and values escaped above
        out[f"{key}_lines"] = [mark_safe(line) for line in filled.splitlines() if line.strip()]  # noqa: S308
    return out


def header_lines(name: str) -> list[str]:
    """An agency name as the header prints it: capitals, on the lines the snapshot gives, or
    "ỦY BAN NHÂN DÂN" on a line of its own as administrative documents set it."""
    name = name.strip().upper()
    if not name:
        return []
    if "\n" in name:
        return [line.strip() for line in name.splitlines() if line.strip()]
    head = "ỦY BAN NHÂN DÂN"
    if name.startswith(head + " "):
        return [head, name[len(head) :].strip()]
    return [name]


def _applicant(applicant: Mapping[str, Any]) -> dict[str, str]:
    return {
        "name": _text(applicant, "name"),
        "id_number": _text(applicant, "id_number"),
        "address": _text(applicant, "address"),
        "phone": _text(applicant, "phone"),
        "email": _text(applicant, "email"),
    }


def _dossier(dossier: Mapping[str, Any]) -> dict[str, Any]:
    procedure = _text(dossier, "procedure_name")
    if dossier.get("procedure_code"):
        procedure = f"{procedure} (mã thủ tục: {dossier['procedure_code']})"
    log = dossier.get("log") or {}
    documents = [
        {
            "no": str(index),
            "name": _text(doc, "name"),
            "originals": fmt.count(doc.get("originals", 0)),
            "copies": fmt.count(doc.get("copies", 0)),
            "note": _text(doc, "note", ""),
            "present_only": bool(doc.get("present_only")),
        }
        for index, doc in enumerate(dossier.get("documents") or [], start=1)
    ]
    return {
        "code": _text(dossier, "code", ""),
        "procedure": procedure,
        "received": _moment(dossier.get("received_at")),
        "received_date": _moment(dossier.get("received_at"), "long_date"),
        "due": _moment(dossier.get("due_at")),
        "channel": CHANNEL_LABELS.get(dossier.get("channel") or "", BLANK),
        "result_delivery": RESULT_DELIVERY_LABELS.get(dossier.get("result_delivery") or "", BLANK),
        "documents": documents,
        "sets": fmt.count(dossier.get("sets") or 1),
        "legal_duration": _text(dossier, "legal_duration"),
        "handling_agency": _text(dossier, "handling_agency"),
        "coordinating": ", ".join(dossier.get("coordinating_agencies") or []) or "",
        "log_book": _text(log, "book", ""),
        "log_entry": _text(log, "entry", ""),
    }


def _form_02(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    missing = [
        {"no": str(i), "name": item["name"].strip(), "instruction": _text(item, "instruction", "")}
        for i, item in enumerate(snapshot["missing"], start=1)
    ]
    texts = wording_rules.wording_for("02", snapshot.get("wording"))
    return {"missing": missing, "reason": _text(snapshot, "reason", texts["default_reason"])}


def _form_03(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    reasons = [{"no": str(i), "text": r.strip()} for i, r in enumerate(snapshot["reasons"], 1)]
    return {"reasons": reasons}


def _form_04(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "reason": snapshot["reason"].strip(),
        "old_due": _moment(snapshot["old_due_at"]),
        "new_due": _moment(snapshot["new_due_at"]),
    }


def _form_05(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    return {"reason": snapshot["reason"].strip(), "legal_basis": snapshot["legal_basis"].strip()}


def _clock_and_date(value: str | None) -> list[str]:
    """["08 giờ 45 phút", "24/01/2025"] for a narrow table cell; [] when absent."""
    if not value:
        return []
    moment = fmt.parse_moment(value)
    date = fmt.short_date(moment)
    return [fmt.clock(moment), date] if moment.has_time else [date]


def _form_06(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    steps = [
        {
            "no": str(i),
            "from_unit": _text(step, "from_unit"),
            "from_name": _text(step, "from_name", ""),
            "to_unit": _text(step, "to_unit"),
            "to_name": _text(step, "to_name", ""),
            "handed": _clock_and_date(step.get("handed_at")),
            "due": _clock_and_date(step.get("due_at")),
            "done": _clock_and_date(step.get("done_at")),
            "result": _text(step, "result", ""),
            "note": _text(step, "note", ""),
        }
        for i, step in enumerate(snapshot["steps"], start=1)
    ]
    return {"steps": steps}


def _form_07(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    rows = []
    for index, row in enumerate(snapshot["rows"], start=1):
        contact = " – ".join(
            part for part in (_text(row, "address", ""), _text(row, "phone", "")) if part
        )
        rows.append(
            {
                "no": str(row.get("no") or index),
                "code": row["code"].strip(),
                "procedure": row["procedure_name"].strip(),
                "sets": fmt.count(row.get("sets") or 1),
                "applicant": row["applicant_name"].strip(),
                "contact": contact,
                "handling_agency": _text(row, "handling_agency", ""),
                "received": _moment(row.get("received_at"), "date", ""),
                "due": _moment(row.get("due_at"), "date", ""),
                "forwarded": _moment(row.get("forwarded_at"), "date", ""),
                "result": _moment(row.get("result_at"), "date", ""),
                "returned": _moment(row.get("returned_at"), "date", ""),
                "note": _text(row, "note", ""),
            }
        )
    period = snapshot["period"]
    return {
        "rows": rows,
        "book": _text(snapshot, "book", ""),
        "period_start": _moment(period["start"], "date"),
        "period_end": _moment(period["end"], "date"),
    }


_FORM_PARTS = {
    "02": _form_02,
    "03": _form_03,
    "04": _form_04,
    "05": _form_05,
    "06": _form_06,
    "07": _form_07,
}
