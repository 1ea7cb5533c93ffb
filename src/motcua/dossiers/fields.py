"""A procedure's declaration fields (catalog.FormField) on a dossier: check the answers and
show them.

The portal and the desk build their inputs from the same ``FieldSpec`` list (``fieldforms``);
the services check the answers again here, so a dossier never stores a missing required value,
a date that is not a date or a choice the procedure does not offer. Answers are kept as strings
by key (dates as ``YYYY-MM-DD``) in ``Dossier.field_values``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from motcua.catalog.models import FormField, FormFieldKind

MAX_TEXT = 500
MAX_LONG_TEXT = 2000
DATE_INPUTS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    label_en: str
    kind: str
    required: bool
    choices: tuple[str, ...] = ()
    help: str = ""


def specs_for(procedure_id: int) -> list[FieldSpec]:
    return [
        FieldSpec(
            key=f.key,
            label=f.label_vi,
            label_en=f.label_en,
            kind=f.kind,
            required=f.required,
            choices=tuple(f.choice_list),
            help=f.help_vi,
        )
        for f in FormField.objects.filter(procedure_id=procedure_id).order_by("order", "pk")
    ]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_date(text: str) -> dt.date | None:
    for fmt in DATE_INPUTS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _check(spec: FieldSpec, text: str) -> tuple[str, str | None]:
    """(stored value, error message or None) for one answer that is not empty."""
    if spec.kind == FormFieldKind.DATE:
        day = parse_date(text)
        if day is None:
            return "", f"{spec.label}: ngày không hợp lệ (nhập theo dạng dd/mm/yyyy)."
        return day.isoformat(), None
    if spec.kind == FormFieldKind.INTEGER:
        digits = text.replace(".", "").replace(" ", "")
        if not digits.lstrip("-").isdigit() or len(digits) > 15:
            return "", f"{spec.label}: phải là một số nguyên."
        return str(int(digits)), None
    if spec.kind == FormFieldKind.CHOICE:
        if text not in spec.choices:
            return "", f"{spec.label}: vui lòng chọn một giá trị trong danh sách."
        return text, None
    limit = MAX_LONG_TEXT if spec.kind == FormFieldKind.LONG_TEXT else MAX_TEXT
    if len(text) > limit:
        return "", f"{spec.label}: tối đa {limit} ký tự."
    return text, None


def clean_values(
    specs: list[FieldSpec], raw: Mapping[str, object], *, require: bool = True
) -> tuple[dict[str, str], dict[str, str]]:
    """(values to store, key → Vietnamese message). Keys the procedure does not declare are
    dropped; ``require=False`` checks types only (a draft may be saved incomplete)."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        text = _as_text(raw.get(spec.key))
        if not text:
            if require and spec.required:
                errors[spec.key] = f"Vui lòng nhập {spec.label[:1].lower()}{spec.label[1:]}."
            continue
        value, error = _check(spec, text)
        if error:
            errors[spec.key] = error
        else:
            values[spec.key] = value
    return values, errors


def display(specs: list[FieldSpec], values: Mapping[str, str], *, english: bool = False) -> list:
    """(label, text) of every answered field, in the procedure's order, dates as dd/mm/yyyy;
    answers to fields the procedure no longer declares are shown under their key."""
    rows = []
    known = set()
    for spec in specs:
        known.add(spec.key)
        if spec.key not in values:
            continue
        text = values[spec.key]
        if spec.kind == FormFieldKind.DATE and (day := parse_date(text)):
            text = day.strftime("%d/%m/%Y")
        rows.append(((spec.label_en if english and spec.label_en else spec.label), text))
    rows.extend((key, str(value)) for key, value in values.items() if key not in known)
    return rows
