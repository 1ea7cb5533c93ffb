"""The issuer's certificate lists in Excel: import (all or nothing, idempotent by issuer and
serial) and export in the same columns.

Issuers' lists differ in wording and often carry a title above the table: the header row is
the first row where at least three cells name known columns, matched ignoring case,
diacritics and punctuation ("Số hiệu chứng thư", "SO HIEU CHUNG THU" and "serial" are the
same column; see ``history.parsing``). Every problem is reported as "Dòng N, cột “…”: …";
nothing is written unless the whole sheet is valid. A second import of the same list changes
nothing; a later list updates the status and validity of the certificates already known
(``services.apply_import``), never adds them twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.certificates import permissions, services
from motcua.certificates.models import Certificate
from motcua.certificates.rules import CertificateError, Device, Kind, Status, can_move
from motcua.core.audit import record_change
from motcua.core.text import normalize_search
from motcua.history.parsing import (
    CellError,
    Column,
    Problem,
    header_key,
    header_map,
    parse_choice,
    parse_datetime,
    parse_text,
)

MAX_ROWS = 20000
MAX_PROBLEMS = 200
MAX_BYTES = 20 * 1024 * 1024

COLUMNS = (
    Column("kind", "Loại chứng thư", "choice", True, aliases=("Loại", "Đối tượng")),
    Column(
        "holder_name",
        "Tên thuê bao",
        "text",
        True,
        aliases=("Chủ thể", "Họ và tên", "Tên cơ quan, tổ chức, cá nhân", "Tên chủ thể"),
        max_length=255,
    ),
    Column("holder_position", "Chức vụ", "text", aliases=("Chức danh",), max_length=255),
    Column(
        "agency",
        "Cơ quan",
        "text",
        True,
        aliases=("Cơ quan, đơn vị", "Đơn vị", "Mã cơ quan", "Đơn vị quản lý"),
        max_length=255,
    ),
    Column(
        "serial",
        "Số hiệu chứng thư",
        "text",
        True,
        aliases=("Số serial", "Serial", "Số sê-ri", "Số hiệu", "Serial number"),
        max_length=200,
    ),
    Column(
        "issuer",
        "Tổ chức cấp",
        "text",
        aliases=("Nhà cung cấp", "CA", "Đơn vị cấp"),
        max_length=255,
    ),
    Column("subject_dn", "Tên phân biệt", "text", aliases=("DN", "Subject"), max_length=1000),
    Column(
        "valid_from", "Hiệu lực từ ngày", "datetime", True, aliases=("Ngày hiệu lực", "Ngày cấp")
    ),
    Column("valid_to", "Hiệu lực đến ngày", "datetime", True, aliases=("Ngày hết hạn", "Hết hạn")),
    Column(
        "token_serial",
        "Số serial USB token",
        "text",
        aliases=("Serial token", "Số hiệu token", "USB token"),
        max_length=64,
    ),
    Column("device", "Thiết bị lưu khóa", "choice", aliases=("Thiết bị",)),
    Column("status", "Trạng thái", "choice", aliases=("Tình trạng",)),
    Column("revoked_on", "Ngày thu hồi", "datetime"),
    Column("revocation_reason", "Lý do thu hồi", "text", max_length=500),
    Column("returned_on", "Ngày nộp lại", "datetime", aliases=("Ngày trả lại",)),
    Column("username", "Tài khoản", "text", aliases=("Tên đăng nhập",), max_length=150),
    Column("notes", "Ghi chú", "text", max_length=2000),
)
BY_KEY = {c.key: c for c in COLUMNS}
EXPORT_KEYS = [c.key for c in COLUMNS]

KINDS = {header_key(str(k.label)): k.value for k in Kind} | {k.value: k.value for k in Kind}
KINDS |= {"to chuc": Kind.ORGANISATION, "co quan": Kind.ORGANISATION, "ca nhan": Kind.PERSONAL}
DEVICES = {header_key(str(d.label)): d.value for d in Device} | {d.value: d.value for d in Device}
DEVICES |= {"usb token": Device.USB_TOKEN, "token": Device.USB_TOKEN, "ky so tu xa": Device.REMOTE}
DEVICES |= {"remote": Device.REMOTE, "usb_token": Device.USB_TOKEN}
STATUSES = {header_key(str(s.label)): s.value for s in Status} | {s.value: s.value for s in Status}
STATUSES |= {
    "hoat dong": Status.ACTIVE,
    "con hieu luc": Status.ACTIVE,
    "thu hoi": Status.REVOKED,
    "het hieu luc": Status.EXPIRED,
    "tra lai": Status.RETURNED,
    "da tra lai": Status.RETURNED,
    "nop lai": Status.RETURNED,
}


class ImportFailed(CertificateError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            _("Tệp có %(n)d lỗi; chưa nhập dữ liệu nào.") % {"n": len(problems)}, ("file",)
        )
        self.problems = problems


@dataclass
class Result:
    rows: int
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    sha256: str
    ignored_columns: list[str] = field(default_factory=list)


# -- reading --------------------------------------------------------------------------------


def _rows(data: bytes):
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise CertificateError(_("Tệp quá lớn (tối đa 20 MB)."), ("file",))
    if not data.startswith(b"PK"):
        raise CertificateError(_("Vui lòng chọn tệp Excel (.xlsx)."), ("file",))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = wb.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 20:
                break
            rows.append((number, list(cells)))
        wb.close()
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise CertificateError(_("Không đọc được tệp Excel."), ("file",)) from None
    return rows


def _agency_index() -> dict[str, Agency | None]:
    """Agencies by code, local reference and normalised name; a name several agencies share
    maps to None (the sheet must then give the code)."""
    index: dict[str, Agency | None] = {}
    for agency in Agency.objects.all():
        for key in {normalize_search(k) for k in (agency.code, agency.local_ref) if k}:
            index[key] = agency
        name = normalize_search(agency.name_vi)
        index[name] = agency if name not in index else None
    return index


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return parse_datetime(value).date()


def parse(data: bytes, *, issuer: str = "") -> tuple[list[services.Entry], list[str]]:
    """The rows of an issuer's list as checked entries, or ImportFailed with every problem.
    ``issuer`` names the issuer for lists without an issuer column."""
    rows = _rows(data)
    by_header = header_map(COLUMNS)
    problems: list[Problem] = []
    header_line, index, ignored = 0, [], []
    for number, cells in rows[:20]:
        keys = [by_header.get(header_key(str(c))) if c not in (None, "") else None for c in cells]
        if sum(k is not None for k in keys) >= 3:
            header_line = number
            seen = set()
            for i, (cell, column) in enumerate(zip(cells, keys, strict=True)):
                if column is None:
                    if cell not in (None, "") and header_key(str(cell)) not in ("stt", "tt"):
                        ignored.append(str(cell).strip()[:60])
                elif column.key in seen:
                    problems.append(Problem(number, column.header, _("cột bị lặp lại.")))
                else:
                    seen.add(column.key)
                    index.append((i, column))
            for column in COLUMNS:
                if column.required and column.key not in seen:
                    problems.append(Problem(number, column.header, _("thiếu cột bắt buộc.")))
            if "issuer" not in seen and not issuer.strip():
                problems.append(
                    Problem(number, BY_KEY["issuer"].header, _("thiếu tên tổ chức cấp."))
                )
            break
    if not header_line:
        raise ImportFailed(
            [Problem(1, "", _("không tìm thấy dòng tiêu đề (Loại chứng thư, Tên thuê bao…)."))]
        )
    if problems:
        raise ImportFailed(problems)
    agencies = _agency_index()
    users: dict[str, User | None] = {}
    entries: list[services.Entry] = []
    seen_keys: dict[tuple[str, str], int] = {}
    data_rows = [(n, c) for n, c in rows if n > header_line]
    if len(data_rows) > MAX_ROWS:
        too_long = _("tệp quá dài: tối đa %(n)d dòng.") % {"n": MAX_ROWS}
        raise ImportFailed([Problem(header_line + MAX_ROWS + 1, "", too_long)])
    for number, cells in data_rows:
        raw = {}
        for i, column in index:
            value = cells[i] if i < len(cells) else None
            if isinstance(value, str):
                value = value.strip()
            if value is not None and value != "":
                raw[column.key] = value
        if not raw:
            continue
        entry = _entry(number, raw, issuer, agencies, users, problems)
        if entry is not None:
            key = (entry.issuer, entry.serial)
            if key in seen_keys:
                problems.append(
                    Problem(
                        number,
                        BY_KEY["serial"].header,
                        _("trùng với dòng %(n)d (cùng tổ chức cấp và số hiệu).")
                        % {"n": seen_keys[key]},
                    )
                )
            else:
                seen_keys[key] = number
                entry.line = number  # for the problems found against the register
                entries.append(entry)
        if len(problems) >= MAX_PROBLEMS:
            break
    if not problems and not entries:
        problems.append(Problem(header_line, "", _("tệp không có chứng thư nào.")))
    if problems:
        raise ImportFailed(problems)
    return entries, ignored


def _entry(number, raw, issuer, agencies, users, problems) -> services.Entry | None:
    before = len(problems)
    values: dict[str, object] = {}

    def cell(key: str, parse):
        if key not in raw:
            return None
        try:
            return parse(raw[key])
        except CellError as exc:
            problems.append(Problem(number, BY_KEY[key].header, str(exc)))
        except CertificateError as exc:
            problems.append(Problem(number, BY_KEY[key].header, exc.message))
        return None

    def text(key: str) -> str:
        return cell(key, lambda v: parse_text(_plain(v), BY_KEY[key].max_length)) or ""

    for key in BY_KEY:
        column = BY_KEY[key]
        if column.required and key not in raw:
            problems.append(Problem(number, column.header, _("ô bắt buộc để trống.")))
    values["kind"] = cell("kind", lambda v: parse_choice(v, KINDS, _("loại")))
    values["device"] = cell("device", lambda v: parse_choice(v, DEVICES, _("thiết bị"))) or ""
    values["status"] = (
        cell("status", lambda v: parse_choice(v, STATUSES, _("trạng thái"))) or Status.ACTIVE
    )
    for key in ("valid_from", "valid_to", "revoked_on", "returned_on"):
        values[key] = cell(key, _date)
    for key in ("holder_name", "holder_position", "subject_dn", "token_serial"):
        values[key] = text(key)
    values["revocation_reason"], values["notes"] = text("revocation_reason"), text("notes")
    values["serial"] = text("serial")
    values["issuer"] = text("issuer") or issuer.strip()
    name = text("agency")
    agency = agencies.get(normalize_search(name)) if name else None
    if name and agency is None:
        message = (
            _("nhiều cơ quan cùng tên “%(v)s”: ghi mã định danh điện tử")
            if normalize_search(name) in agencies
            else _("không tìm thấy cơ quan “%(v)s”")
        )
        problems.append(Problem(number, BY_KEY["agency"].header, message % {"v": name[:80]}))
    username = text("username")
    user = None
    if username:
        if username not in users:
            users[username] = User.objects.filter(username=username).first()
        user = users[username]
        if user is None:
            problems.append(
                Problem(
                    number,
                    BY_KEY["username"].header,
                    _("không có tài khoản “%(v)s”") % {"v": username[:80]},
                )
            )
    if len(problems) > before:
        return None
    try:
        return services.check_entry(services.Entry(agency=agency, user=user, **values))
    except CertificateError as exc:
        key = exc.fields[0] if exc.fields and exc.fields[0] in BY_KEY else ""
        problems.append(Problem(number, BY_KEY[key].header if key else "", exc.message))
        return None


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


# -- import ---------------------------------------------------------------------------------


def import_bytes(
    data: bytes, *, by: User | None, issuer: str = "", dry_run: bool = False
) -> Result:
    """Check the whole list, then write it in one transaction (or, with ``dry_run``, only say
    what would change). ``by`` None is the command line or the demo (no person)."""
    if by is not None:
        permissions.require_office(by)
    sha = hashlib.sha256(data).hexdigest()
    entries, ignored = parse(data, issuer=issuer)
    with transaction.atomic():
        existing = _existing(entries)
        problems = []
        for number, entry in zip(_lines(entries), entries, strict=True):
            cert = existing.get((entry.issuer, entry.serial))
            if cert is not None and not can_move(cert.status, entry.status):
                problems.append(
                    Problem(
                        number,
                        BY_KEY["status"].header,
                        _("chứng thư đã “%(a)s”, không thể chuyển sang “%(b)s”.")
                        % {"a": Status(cert.status).label, "b": Status(entry.status).label},
                    )
                )
        if problems:
            raise ImportFailed(problems)
        if dry_run:
            created = sum((e.issuer, e.serial) not in existing for e in entries)
            return Result(len(entries), created, len(entries) - created, 0, True, sha, ignored)
        created, updated, unchanged = services.apply_import(by, entries, existing)
        record_change(
            "certificate.import",
            None,
            f"Nhập danh sách chứng thư số: {created} mới, {updated} cập nhật, "
            f"{unchanged} không đổi",
            actor=by,
            object_type=services.OBJECT,
            data={"sha256": sha, "created": created, "updated": updated, "unchanged": unchanged},
        )
    return Result(len(entries), created, updated, unchanged, False, sha, ignored)


def _lines(entries: list[services.Entry]) -> list[int]:
    return [getattr(e, "line", 0) for e in entries]


def _existing(entries: list[services.Entry]) -> dict[tuple[str, str], Certificate]:
    """The certificates the list already names, locked for the import's transaction."""
    found: dict[tuple[str, str], Certificate] = {}
    by_issuer: dict[str, list[str]] = {}
    for e in entries:
        by_issuer.setdefault(e.issuer, []).append(e.serial)
    for issuer_name, serials in by_issuer.items():
        for start in range(0, len(serials), 500):
            chunk = serials[start : start + 500]
            for cert in Certificate.objects.select_for_update().filter(
                issuer=issuer_name, serial__in=chunk
            ):
                found[(cert.issuer, cert.serial)] = cert
    return found


# -- export ---------------------------------------------------------------------------------


def export(certificates) -> bytes:
    """The given certificates in the import's columns (an export re-imports unchanged); the
    labels in Vietnamese whatever the page's language, as the import reads them."""
    with translation.override("vi"):
        return _export(certificates)


def _export(certificates) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Chung thu so"
    ws.append(["STT", *(BY_KEY[k].header for k in EXPORT_KEYS)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for number, c in enumerate(certificates.select_related("agency", "user"), start=1):
        ws.append(
            [
                number,
                str(Kind(c.kind).label),
                c.holder_name,
                c.holder_position,
                c.agency.code,
                c.serial.upper(),
                c.issuer,
                c.subject_dn,
                c.valid_from.strftime("%d/%m/%Y"),
                c.valid_to.strftime("%d/%m/%Y"),
                c.token_serial,
                str(Device(c.device).label) if c.device else "",
                str(Status(c.status).label),
                c.revoked_on.strftime("%d/%m/%Y") if c.revoked_on else "",
                c.revocation_reason,
                c.returned_on.strftime("%d/%m/%Y") if c.returned_on else "",
                c.user.username if c.user else "",
                c.notes,
            ]
        )
    widths = (6, 12, 30, 20, 18, 36, 28, 30, 14, 14, 18, 14, 16, 14, 24, 14, 16, 24)
    for letter, width in zip("ABCDEFGHIJKLMNOPQR", widths, strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
