"""State changes of the working calendar: saving, deleting and importing overrides."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from motcua.core.audit import record_change
from motcua.workcalendar.models import CalendarOverride
from motcua.workcalendar.overrides import OverrideRow, RowError, parse_csv, parse_rows


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


class OverrideImportError(ValueError):
    """Some rows are invalid; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"Không nhập dữ liệu nào: có {len(errors)} dòng lỗi.")


@transaction.atomic
def save_override(override: CalendarOverride, *, actor: Any = None) -> CalendarOverride:
    """Validate and save one override (admin form or code)."""
    override.full_clean()
    override.save()
    record_change(
        "save",
        override,
        f"Ngày {override.date:%d/%m/%Y}: {override.get_kind_display()}"
        f" — {override.name} ({override.reference})",
        actor=actor,
    )
    return override


@transaction.atomic
def delete_override(override: CalendarOverride, *, actor: Any = None) -> None:
    record_change("delete", override, f"Xóa điều chỉnh ngày {override.date:%d/%m/%Y}", actor=actor)
    override.delete()


def _read(source: str | Path | TextIO | Iterable[Mapping[str, str]]):
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8-sig", newline="") as stream:
            return parse_csv(stream)
    if isinstance(source, io.TextIOBase) or hasattr(source, "read"):
        return parse_csv(source)  # type: ignore[arg-type]
    return parse_rows(source)  # type: ignore[arg-type]


@transaction.atomic
def import_overrides(
    source: str | Path | TextIO | Iterable[Mapping[str, str]],
) -> ImportResult:
    """Import ``date,kind,name,reference`` rows: a CSV path, an open text file, or dict rows.

    All or nothing: any bad row raises ``OverrideImportError`` (errors by line number) and
    nothing is written. Re-importing is idempotent: a row updates the override of its date.
    """
    rows, errors = _read(source)
    if errors:
        raise OverrideImportError(errors)
    existing = {
        o.date: o
        for o in CalendarOverride.objects.select_for_update().filter(
            date__in=[r.date for r in rows]
        )
    }
    created = updated = unchanged = 0
    for row in rows:
        current = existing.get(row.date)
        if current is None:
            CalendarOverride.objects.create(**_fields(row), date=row.date)
            created += 1
        elif (current.kind, current.name, current.reference) == (row.kind, row.name, row.reference):
            unchanged += 1
        else:
            for attr, value in _fields(row).items():
                setattr(current, attr, value)
            current.save()
            updated += 1
    if created or updated:
        record_change(
            "import",
            None,
            f"Nhập lịch làm việc: {created} mới, {updated} cập nhật",
            object_type="workcalendar.calendaroverride",
            data={"created": created, "updated": updated, "dates": [str(r.date) for r in rows]},
        )
    return ImportResult(created, updated, unchanged)


def _fields(row: OverrideRow) -> dict[str, str]:
    return {"kind": row.kind, "name": row.name, "reference": row.reference}
