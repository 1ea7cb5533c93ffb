"""Registers from/to Excel: one sheet per register, a header row with the register's column
labels (the desk form's labels), one record per row.

Import checks every row first — types, bounds, the register's rules, that the agency exists
and the importer may file records for it — and reports each problem as "Dòng N, cột X: …";
nothing is saved unless the whole sheet is valid (one transaction, each record through the
services, so each is audited, plus one event for the import). ``dry_run`` stops after the
checks: the desk's preview.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core.audit import record_change
from motcua.core.text import normalize_search
from motcua.dossiers.errors import InvalidInput as UploadRefused
from motcua.dossiers.uploads import XLSX, check_bytes
from motcua.reform.excel import (
    Problem,  # one "Dòng N, cột X" problem, as reform's import reports it
)
from motcua.registers import permissions as perm
from motcua.registers import services
from motcua.registers.registry import AGENCY, BOOL, CHOICE, PROCEDURES, Register
from motcua.registers.rules import InvalidInput

MAX_ROWS = 5000
MAX_ERRORS = 100
MAX_CELL = 2000
AMBIGUOUS = object()  # a name several agencies share: the sheet must give the code


class ImportFailed(InvalidInput):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            _("Tệp có %(n)d lỗi; chưa nhập dữ liệu nào.") % {"n": len(problems)},
            {"file": "invalid"},
        )
        self.problems = problems


@dataclass(frozen=True)
class Parsed:
    row: int
    values: dict[str, object]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# -- export ---------------------------------------------------------------------------------


def _cell(field, obj) -> object:
    if field.type == AGENCY:
        return obj.agency.code
    if field.type == PROCEDURES:
        return ", ".join(p.code for p in obj.procedures.all())
    value = getattr(obj, field.name)
    if field.type == BOOL:
        return "x" if value else ""
    if field.type == CHOICE:
        return str(field.choices(value).label)
    return value


def export(register: Register, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = str(register.title)[:31]
    ws.append([str(f.label) for f in register.fields])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for obj in rows:
        ws.append([_cell(f, obj) for f in register.fields])
    for i, field in enumerate(register.fields):
        ws.column_dimensions[_letter(i)].width = 40 if field.max_length >= 255 else 18
        if field.type == "date" or field.name == "end_date":
            for (cell,) in ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
                cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- import ---------------------------------------------------------------------------------


def _agency_index() -> dict[str, Agency | object]:
    """Agencies by normalised name, electronic code and local reference."""
    index: dict[str, Agency | object] = {}
    for agency in Agency.objects.all():
        for key in {
            normalize_search(k) for k in (agency.name_vi, agency.code, agency.local_ref) if k
        }:
            found = index.get(key)
            index[key] = agency if found is None or found == agency else AMBIGUOUS
    return index


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse(register: Register, data: bytes, *, by: User) -> list[Parsed]:
    """Every row's checked values, or ``ImportFailed`` with every problem found."""
    try:
        mime = check_bytes(data)
    except UploadRefused as exc:
        raise InvalidInput(exc.message, {"file": "bad"}) from None
    if mime != XLSX:
        raise InvalidInput(_("Vui lòng chọn tệp Excel (.xlsx)."), {"file": "bad_type"})
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True, max_col=len(register.fields) + 20)
        header = next(rows, None) or ()
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(_("Không đọc được tệp Excel."), {"file": "unreadable"}) from None
    problems: list[Problem] = []
    wanted = {normalize_search(str(f.label)): f for f in register.fields}
    position: dict[str, int] = {}
    for i, title in enumerate(header):
        field = wanted.get(normalize_search(_text(title)[:200]))
        if field is not None and field.name not in position:
            position[field.name] = i
    for field in register.fields:
        if field.name not in position and field.required:
            problems.append(
                Problem(1, "", _("thiếu cột “%(label)s” ở dòng tiêu đề") % {"label": field.label})
            )
    if problems:
        raise ImportFailed(problems)
    agencies = _agency_index()
    editable = set(perm.editable_agencies(by).values_list("pk", flat=True))
    parsed: list[Parsed] = []
    try:
        for row_no, row in enumerate(rows, start=2):
            if row_no > MAX_ROWS + 1:
                problems.append(
                    Problem(row_no, "", _("tệp quá dài: tối đa %(n)d dòng") % {"n": MAX_ROWS})
                )
                break
            cells = {name: (row[i] if i < len(row) else None) for name, i in position.items()}
            if all(_text(v) == "" for v in cells.values()):
                continue
            values, row_problems = _row(register, row_no, cells, position, agencies, editable)
            problems.extend(row_problems)
            if not row_problems:
                parsed.append(Parsed(row_no, values))
            if len(problems) >= MAX_ERRORS:
                break
    except Exception:  # a damaged sheet found while streaming it
        raise InvalidInput(_("Không đọc được tệp Excel."), {"file": "unreadable"}) from None
    if not problems and not parsed:
        problems.append(Problem(2, "", _("tệp không có dòng dữ liệu nào")))
    if problems:
        raise ImportFailed(problems)
    return parsed


def _row(register, row_no, cells, position, agencies, editable):
    problems: list[Problem] = []
    raw: dict[str, object] = {}
    for field in register.fields:
        value = cells.get(field.name)
        col = _letter(position[field.name]) if field.name in position else ""
        if isinstance(value, str) and len(value) > MAX_CELL:
            problems.append(Problem(row_no, col, _("nội dung quá dài")))
            continue
        if field.type == AGENCY:
            name = _text(value)
            agency = agencies.get(normalize_search(name)) if name else None
            if agency is AMBIGUOUS:
                problems.append(
                    Problem(
                        row_no,
                        col,
                        _("nhiều cơ quan cùng tên “%(v)s”: ghi mã định danh điện tử")
                        % {"v": name[:80]},
                    )
                )
            elif agency is None:
                problems.append(
                    Problem(row_no, col, _("không tìm thấy cơ quan “%(v)s”") % {"v": name[:80]})
                )
            elif agency.pk not in editable:
                problems.append(
                    Problem(
                        row_no,
                        col,
                        _("bạn không có quyền cập nhật sổ theo dõi của %(v)s")
                        % {"v": agency.name_vi},
                    )
                )
            else:
                raw[field.name] = agency
        else:
            raw[field.name] = _text(value) if field.type == PROCEDURES else value
    if problems:
        return {}, problems
    try:
        return services.clean(register, raw), []
    except InvalidInput as exc:
        for name, message in exc.fields.items():
            col = _letter(position[name]) if name in position else ""
            label = register.field(name).label
            problems.append(Problem(row_no, col, f"{label}: {message}"))
        return {}, problems


@transaction.atomic
def import_file(*, by: User, register: Register, data: bytes, dry_run: bool = False) -> int:
    """Create a record per row, all or nothing; the number of records (to be) created."""
    parsed = parse(register, data, by=by)
    if dry_run:
        return len(parsed)
    try:  # one audit event per record, as one at a time (services.create_entries)
        services.create_entries(
            by=by, register=register.slug, entries=[item.values for item in parsed]
        )
    except InvalidInput as exc:  # a rule the row checks could not see (a race)
        row = parsed[getattr(exc, "entry", 0)].row
        raise ImportFailed([Problem(row, "", exc.message)]) from None
    record_change(
        f"registers.{register.slug}.import",
        None,
        f"Nhập {len(parsed)} bản ghi từ Excel vào sổ {register.title}",
        actor=by,
        object_type=register.model._meta.label_lower,
        data={"before": {}, "after": {"rows": len(parsed)}},
    )
    return len(parsed)
