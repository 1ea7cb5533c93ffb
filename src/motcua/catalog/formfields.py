"""Declaration fields of procedures (``FormField``) from a CSV file: the demo's birth, marriage
and death registrations ask for the child / spouses / deceased, not only for the applicant.

``procedure_code,order,key,label_vi,label_en,kind,required,choices,help_vi``: ``kind`` is one
of ``FormFieldKind``; ``required`` yes/no; ``choices`` separated by ``|``. Idempotent: fields
are matched by procedure and key; rows of unknown procedures are reported, not guessed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from motcua.catalog.models import FormField, FormFieldKind, Procedure
from motcua.core.audit import record_change


@dataclass
class FieldImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def _row_values(row: dict[str, str]) -> dict:
    kind = (row.get("kind") or "text").strip()
    if kind not in FormFieldKind.values:
        raise ValueError(f"kiểu trường không hợp lệ: {kind}")
    return {
        "order": int(row["order"]),
        "label_vi": row["label_vi"].strip(),
        "label_en": (row.get("label_en") or "").strip(),
        "kind": kind,
        "required": (row.get("required") or "yes").strip().lower() in {"yes", "1", "true", "có"},
        "choices": "\n".join(c.strip() for c in (row.get("choices") or "").split("|") if c.strip()),
        "help_vi": (row.get("help_vi") or "").strip(),
    }


def import_form_fields_csv(path: str | Path) -> FieldImportResult:
    result = FieldImportResult()
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    procedures = {
        p.code: p for p in Procedure.objects.filter(code__in={r["procedure_code"] for r in rows})
    }
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            procedure = procedures.get(row["procedure_code"])
            if procedure is None:
                result.skipped.append(f"Dòng {line}: không có thủ tục {row['procedure_code']}.")
                continue
            values = _row_values(row)
            current = FormField.objects.filter(procedure=procedure, key=row["key"]).first()
            if current is None:
                FormField.objects.create(procedure=procedure, key=row["key"], **values)
                result.created += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                current.save()
                result.updated += 1
            else:
                result.unchanged += 1
        if result.created or result.updated:
            record_change(
                "import_form_fields",
                None,
                f"Trường tờ khai: {result.created} mới, {result.updated} cập nhật",
                object_type="catalog.formfield",
            )
    return result
