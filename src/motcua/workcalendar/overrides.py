"""Override rows (``date,kind,name,reference``): parsing and validation, no ORM."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TextIO

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
KINDS = (DAY_OFF, WORKING_DAY)
COLUMNS = ("date", "kind", "name", "reference")
REQUIRED = ("date", "kind", "name")
NAME_MAX = 200
# a typo such as 0225-01-01 would otherwise silently create an override nobody sees
YEAR_MIN, YEAR_MAX = 2000, 2100


@dataclass(frozen=True)
class OverrideRow:
    line: int
    date: date
    kind: str
    name: str
    reference: str


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"dòng {self.line}: {self.message}"


def _parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"ngày không hợp lệ {text!r} (dạng YYYY-MM-DD hoặc dd/mm/yyyy)")


def _parse_row(line: int, raw: Mapping[str, str | None]) -> OverrideRow:
    value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    for column in REQUIRED:
        if not value[column]:
            raise ValueError(f"thiếu giá trị cột {column}")
    day = _parse_date(value["date"])
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise ValueError(f"năm {day.year} nằm ngoài khoảng {YEAR_MIN}–{YEAR_MAX}")
    kind = value["kind"].lower()
    if kind not in KINDS:
        raise ValueError(f"loại không hợp lệ {value['kind']!r} (day_off hoặc working_day)")
    for column in ("name", "reference"):
        if len(value[column]) > NAME_MAX:
            raise ValueError(f"cột {column} dài quá {NAME_MAX} ký tự")
    return OverrideRow(line, day, kind, value["name"], value["reference"])


def _validate(
    numbered: Iterable[tuple[int, Mapping[str, str | None]]],
) -> tuple[list[OverrideRow], list[RowError]]:
    parsed: list[OverrideRow] = []
    errors: list[RowError] = []
    seen: dict[date, int] = {}
    for line, raw in numbered:
        try:
            row = _parse_row(line, raw)
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
            continue
        if row.date in seen:
            duplicate = f"ngày {row.date:%d/%m/%Y} trùng với dòng {seen[row.date]}"
            errors.append(RowError(line, duplicate))
            continue
        seen[row.date] = line
        parsed.append(row)
    return parsed, errors


def parse_rows(
    rows: Iterable[Mapping[str, str | None]], first_line: int = 2
) -> tuple[list[OverrideRow], list[RowError]]:
    """Validate dict rows; row i (0-based) is reported as line ``first_line + i``."""
    return _validate((first_line + i, raw) for i, raw in enumerate(rows))


def parse_csv(stream: TextIO) -> tuple[list[OverrideRow], list[RowError]]:
    """Read ``date,kind,name,reference`` CSV (header required); blank lines are skipped."""
    reader = csv.DictReader(stream)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [RowError(1, f"thiếu cột {', '.join(missing)} (cần: {','.join(COLUMNS)})")]
    reader.fieldnames = header
    extra: list[RowError] = []
    numbered: list[tuple[int, dict[str, str | None]]] = []
    for raw in reader:
        if None in raw:  # DictReader puts surplus fields under the key None
            extra.append(RowError(reader.line_num, "thừa cột so với dòng tiêu đề"))
        else:
            numbered.append((reader.line_num, raw))
    parsed, errors = _validate(numbered)
    return parsed, sorted(errors + extra, key=lambda e: e.line)
