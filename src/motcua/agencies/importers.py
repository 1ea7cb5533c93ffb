"""CSV import and export of the agency tree (format of data/agencies_cantho_2021.csv).

Import is idempotent and all-or-nothing: rows match existing agencies on ``code``, else on
``ref`` (local_ref); any bad row aborts the whole file with a Vietnamese error naming its line.
The export adds ``valid_from,valid_to,successor_code,is_demo_code`` and re-imports as is.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.agencies import rules
from motcua.agencies.models import Agency, AgencyLevel, agency_code_validator
from motcua.agencies.queries import tree_as_of
from motcua.core import pagecache
from motcua.core.audit import record_change

COLUMNS = ["code", "name_vi", "name_en", "level", "parent_code", "ref", "parent_ref"]
HISTORY_COLUMNS = ["valid_from", "valid_to", "successor_code", "is_demo_code"]
EXPORT_COLUMNS = COLUMNS + HISTORY_COLUMNS

# levels that take a department slot (k = 01–20) when directly under the province
_DEPARTMENT_LIKE = {AgencyLevel.DEPARTMENT, AgencyLevel.SERVICE_CENTRE, AgencyLevel.OTHER}
_TRUE = {"1", "true", "yes", "x", "có"}
_FALSE = {"", "0", "false", "no", "không"}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    created_codes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


class _RowError(Exception):
    pass


@contextmanager
def _text(path_or_file: str | Path | IO[Any]):
    if isinstance(path_or_file, str | Path):
        with open(path_or_file, encoding="utf-8-sig", newline="") as fh:
            yield fh
    elif isinstance(path_or_file, io.TextIOBase) or hasattr(path_or_file, "encoding"):
        yield path_or_file
    else:  # a binary stream (an uploaded file)
        yield io.TextIOWrapper(path_or_file, encoding="utf-8-sig", newline="")


def import_agencies_csv(
    path_or_file: str | Path | IO[Any], *, valid_from: date | None = None
) -> ImportResult:
    """Import agencies; ``valid_from`` applies to rows when the file has no validity columns."""
    with _text(path_or_file) as fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lstrip("\ufeff") for h in reader.fieldnames or []]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise ValidationError(f"Tệp CSV thiếu cột: {', '.join(missing)} (dòng 1).")
        reader.fieldnames = header
        rows = [
            (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader
        ]
    has_history = all(c in header for c in HISTORY_COLUMNS)
    return _Importer(valid_from, has_history).run(rows)


class _Importer:
    def __init__(self, valid_from: date | None, has_history: bool) -> None:
        self.province = settings.MOTCUA_PROVINCE_CODE
        self.valid_from = valid_from
        self.has_history = has_history
        self.departments = 0
        self.districts = rules.DISTRICT_SLOTS.start - 1
        self.communes: Counter[int] = Counter()
        self.seen: dict[str, int] = {}  # code/ref in this file → its line
        self.status: dict[int, tuple[str, str]] = {}  # pk → (code, created|updated|unchanged)
        self.deferred: list[tuple[int, Agency, str]] = []

    @transaction.atomic
    def run(self, rows: list[tuple[int, dict[str, str]]]) -> ImportResult:
        with pagecache.batched():  # one catalogue version bump, not one per agency saved
            return self._run(rows)

    def _run(self, rows: list[tuple[int, dict[str, str]]]) -> ImportResult:
        errors: list[str] = []
        for line, row in rows:
            try:
                self._row(line, row)
            except (_RowError, ValidationError) as exc:
                detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                errors.append(f"Dòng {line}: {detail}")
        # successors may come later in the file than their predecessors
        for line, agency, successor_code in self.deferred:
            successor = Agency.objects.filter(code=successor_code).first()
            if successor is None:
                errors.append(f"Dòng {line}: không tìm thấy đơn vị kế thừa mã {successor_code}.")
                continue
            agency.successor = successor
            agency.save(update_fields=["successor"])
            self._mark(agency, "updated")
        if errors:
            raise ValidationError(errors)  # the transaction rolls back: nothing is imported
        result = ImportResult(created_codes=[c for c, s in self.status.values() if s == "created"])
        for _code, state in self.status.values():
            setattr(result, state, getattr(result, state) + 1)
        if result.created or result.updated:  # a re-import that changes nothing leaves no trace
            record_change(
                "import",
                None,
                f"Nhập danh sách cơ quan: {result.created} mới, {result.updated} cập nhật",
                object_type="agencies.agency",
                data={"created": result.created, "updated": result.updated},
            )
        return result

    def _row(self, line: int, row: dict[str, str]) -> None:
        code, ref, level = row["code"], row["ref"], row["level"]
        if level not in AgencyLevel.values:
            raise _RowError(
                f"cấp {level!r} không hợp lệ (province, department, district, commune, "
                "service_centre, other)."
            )
        if not row["name_vi"]:
            raise _RowError("thiếu tên tiếng Việt (name_vi).")
        for key in (code, ref):
            if key and key in self.seen:
                raise _RowError(f"mã {key} trùng với dòng {self.seen[key]}.")
        self.seen.update({k: line for k in (code, ref) if k})
        if code:
            _validate_code(code)
        parent = self._parent(row)
        demo_code = self._next_demo_code(level, parent)  # every row counts: slots follow CSV order

        existing = Agency.objects.filter(code=code).first() if code else None
        by_ref = Agency.objects.filter(local_ref=ref).first() if ref else None
        if existing and by_ref and existing.pk != by_ref.pk:
            raise _RowError(f"mã tham chiếu {ref} đã thuộc đơn vị khác ({by_ref.code}).")
        agency = existing or by_ref

        values: dict[str, Any] = {
            "name_vi": row["name_vi"],
            "name_en": row["name_en"],
            "level": level,
            "parent_id": parent.pk if parent else None,
            "local_ref": ref,
            "gso_code": rules.official_gso_code(level, ref),
        }
        is_demo = False
        if self.has_history:
            is_demo = self._history_values(row, values)
        elif self.valid_from is not None:
            values["valid_from"] = self.valid_from
        if code:  # a given code wins over a demo code (real codes replace demo ones)
            values.update(code=code, is_demo_code=is_demo)

        if agency is None:
            if not code:
                if isinstance(demo_code, _RowError):
                    raise demo_code
                if Agency.objects.filter(code=demo_code).exists():
                    raise _RowError(f"mã minh họa {demo_code} đã thuộc một đơn vị khác.")
                values.update(code=demo_code, is_demo_code=True)
            agency = Agency(**values)
            agency.full_clean()
            agency.save()
            self._mark(agency, "created")
        else:
            changed = {k: v for k, v in values.items() if getattr(agency, k) != v}
            for name, value in changed.items():
                setattr(agency, name, value)
            if changed:
                agency.full_clean()
                agency.save()
            self._mark(agency, "updated" if changed else "unchanged")
        successor_code = row.get("successor_code", "") if self.has_history else ""
        if successor_code and (agency.successor is None or agency.successor.code != successor_code):
            self.deferred.append((line, agency, successor_code))

    def _history_values(self, row: dict[str, str], values: dict[str, Any]) -> bool:
        """Validity and successor from the export columns; returns the demo-code flag."""
        values["valid_from"] = _parse_date(row["valid_from"])
        values["valid_to"] = _parse_date(row["valid_to"])
        if not row["successor_code"]:
            values["successor_id"] = None
        flag = row["is_demo_code"].lower()
        if flag not in _TRUE | _FALSE:
            raise _RowError(f"is_demo_code {row['is_demo_code']!r} không hợp lệ (true/false).")
        return flag in _TRUE

    def _parent(self, row: dict[str, str]) -> Agency | None:
        if row["parent_code"]:
            _validate_code(row["parent_code"])
            parent = Agency.objects.filter(code=row["parent_code"]).first()
            if parent is None:
                raise _RowError(f"không tìm thấy cơ quan cấp trên mã {row['parent_code']}.")
            return parent
        if row["parent_ref"]:
            parent = Agency.objects.filter(local_ref=row["parent_ref"]).first()
            if parent is None:
                raise _RowError(
                    f"không tìm thấy cơ quan cấp trên có mã tham chiếu {row['parent_ref']} "
                    "(cấp trên phải đứng trước trong tệp hoặc đã có trong hệ thống)."
                )
            return parent
        return None

    def _next_demo_code(self, level: str, parent: Agency | None) -> str | _RowError:
        """The demo code this row would get; advances the CSV-order counters."""
        try:
            if level == AgencyLevel.PROVINCE:
                return rules.province_demo_code(self.province)
            if level == AgencyLevel.DISTRICT:
                self.districts += 1
                return rules.district_demo_code(self.province, self.districts)
            if level == AgencyLevel.COMMUNE and parent is not None:
                self.communes[parent.pk] += 1
                return rules.commune_demo_code(parent.code, self.communes[parent.pk])
            if level in _DEPARTMENT_LIKE and (parent is None or parent.level == "province"):
                self.departments += 1
                return rules.department_demo_code(self.province, self.departments)
        except ValueError as exc:
            return _RowError(f"{exc} Hãy ghi mã định danh ở cột code.")
        return _RowError("không có quy ước mã minh họa cho đơn vị này: hãy ghi mã ở cột code.")

    def _mark(self, agency: Agency, state: str) -> None:
        previous = self.status.get(agency.pk, (agency.code, "unchanged"))[1]
        if previous == "created" or (previous == "updated" and state == "unchanged"):
            state = previous
        self.status[agency.pk] = (agency.code, state)


def _validate_code(code: str) -> None:
    try:
        agency_code_validator(code)
    except ValidationError as exc:
        raise _RowError(f"mã định danh {code!r} không hợp lệ: {exc.messages[0]}") from None


def _parse_date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _RowError(f"ngày {text!r} không hợp lệ (dạng YYYY-MM-DD).") from None


def export_agencies_csv(file: IO[str], *, as_of: date | None = None) -> int:
    """Write agencies (all, or those in existence on ``as_of``) in tree order; returns the count.

    Siblings are ordered by code, so the output does not depend on database keys.
    """
    agencies = list(
        (tree_as_of(as_of) if as_of else Agency.objects.all()).select_related("parent", "successor")
    )
    present = {a.pk for a in agencies}
    children: dict[int | None, list[Agency]] = {}
    for agency in agencies:
        key = agency.parent_id if agency.parent_id in present else None
        children.setdefault(key, []).append(agency)
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for agency in _depth_first(children, None):
        writer.writerow(_export_row(agency))
    return len(agencies)


def _depth_first(children: dict[int | None, list[Agency]], key: int | None) -> Iterable[Agency]:
    for agency in sorted(children.get(key, []), key=lambda a: a.code):
        yield agency
        yield from _depth_first(children, agency.pk)


def _export_row(agency: Agency) -> list[str]:
    parent, successor = agency.parent, agency.successor
    return [
        agency.code,
        agency.name_vi,
        agency.name_en,
        agency.level,
        parent.code if parent else "",
        agency.local_ref,
        parent.local_ref if parent else "",
        agency.valid_from.isoformat() if agency.valid_from else "",
        agency.valid_to.isoformat() if agency.valid_to else "",
        successor.code if successor else "",
        "true" if agency.is_demo_code else "false",
    ]
