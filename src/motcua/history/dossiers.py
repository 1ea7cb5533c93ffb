"""History import of dossiers: columns, row-by-row validation into ready-to-write rows, and
the bulk write into the engine's own tables (``Dossier``, ``Pause``, ``FeeCharge``,
``DossierDocument``), so the statistics read one model for live and imported dossiers.

Decisions (docs/history-import.md):
- the old system's code is kept as ``legacy_code``; the dossier gets a motcua code from the
  same counters as live intake (``{agency}-{yymmdd of submission}-{NNNN}``), so a live
  dossier can never be given a code an imported one holds;
- ``effective_due_at`` is computed as the engine does (``services._reset_effective_due``):
  the re-dated due, else the due, moved by the working time of the closed pauses;
- no ``AuditEvent`` per dossier: motcua did not witness those actions and would have to
  invent their actors; the dossier is marked ``imported`` and the import is audited once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure, Workflow
from motcua.catalog.queries import NoActiveWorkflow, workflow_for_dossier
from motcua.core.text import normalize_search
from motcua.dossiers.models import (
    STATE_CHOICES,
    ApplicantKind,
    Channel,
    Dossier,
    DossierDocument,
    FeeCharge,
    Outcome,
    Pause,
)
from motcua.dossiers.rules import STATE_LABELS_VI, State
from motcua.history import bulk
from motcua.history.parsing import (
    ICT,
    ICT_FROM_YEAR,
    VN,
    CellError,
    Column,
    Problem,
    Table,
    header_key,
    parse_bool,
    parse_choice,
    parse_datetime,
    parse_int,
    parse_pauses,
    parse_text,
)
from motcua.workcalendar.queries import get_calendar
from motcua.workcalendar.rules import WorkingCalendar

C = Column
COLUMNS: tuple[Column, ...] = (
    C("code", "Mã hồ sơ", "text", True, "mã hồ sơ trên hệ thống cũ (duy nhất)", max_length=60),
    C("procedure", "Mã thủ tục", "code", True, "mã TTHC trong CSDL quốc gia, vd 1.001193",
      ("Mã TTHC",)),
    C("agency", "Mã cơ quan tiếp nhận", "code", True, "mã định danh nơi tiếp nhận",
      ("Nơi tiếp nhận", "Mã đơn vị tiếp nhận", "Đơn vị tiếp nhận")),
    C("deciding_agency", "Mã cơ quan giải quyết", "code", False,
      "mã định danh cơ quan giải quyết (mặc định: nơi tiếp nhận)", ("Cơ quan giải quyết",)),
    C("channel", "Kênh nộp", "choice", True,
      "desk, post, city_portal, national_portal, kiosk; hoặc KenhThucHien 1/2/3",
      ("Kênh thực hiện", "KenhThucHien")),
    C("state", "Trạng thái", "choice", True, "trạng thái cuối cùng", ("Tình trạng",)),
    C("submitted_at", "Ngày nộp", "datetime", True, "thời điểm nộp"),
    C("received_at", "Ngày tiếp nhận", "datetime", False,
      "thời điểm tiếp nhận (bắt buộc khi hồ sơ đã được tiếp nhận)"),
    C("due_at", "Ngày hẹn trả", "due", False, "ngày hẹn trả ban đầu (bắt buộc khi đã tiếp nhận)",
      ("NgayHenTra",)),
    C("extended_due_at", "Ngày hẹn trả lại", "due", False,
      "ngày hẹn trả mới sau văn bản xin lỗi (Mẫu 04)", ("Ngày hẹn trả mới",)),
    C("pauses", "Tạm dừng", "pauses", False,
      "các lần yêu cầu bổ sung: “yêu cầu/bổ sung; …”", ("Các lần bổ sung", "Bổ sung hồ sơ")),
    C("ended_at", "Ngày kết thúc", "datetime", False,
      "thời điểm có kết quả / dừng / rút (bắt buộc khi đã kết thúc)",
      ("Ngày có kết quả", "Ngày xử lý xong")),
    C("returned_at", "Ngày trả kết quả", "datetime", False, "bắt buộc khi đã trả kết quả"),
    C("outcome", "Kết quả", "choice", False, "approved (giải quyết) / refused (từ chối)",
      ("Kết quả giải quyết",)),
    C("result_electronic", "Kết quả điện tử", "bool", False, "có trả kết quả điện tử"),
    C("applicant_kind", "Loại người nộp", "choice", False,
      "individual (cá nhân, mặc định) / organisation (tổ chức)"),
    C("applicant_name", "Người nộp", "text", True, "họ tên / tên tổ chức",
      ("Tên người nộp", "Chủ hồ sơ", "Họ tên"), max_length=255),
    C("applicant_id_number", "Số định danh", "text", False,
      "CCCD 12 số (bắt buộc với cá nhân)", ("Số CCCD", "Số định danh cá nhân"), max_length=12),
    C("applicant_tax_code", "Mã số thuế", "text", False, "tổ chức", max_length=14),
    C("applicant_phone", "Số điện thoại", "text", False, "", ("Điện thoại",), max_length=20),
    C("applicant_address", "Địa chỉ", "text", False, "", max_length=500),
    C("vneid", "Xác thực VNeID", "bool", False, "người nộp xác thực qua VNeID", ("VNeID",)),
    C("paid_online", "Thanh toán trực tuyến", "bool", False,
      "nghĩa vụ tài chính đã thanh toán trực tuyến (DuocThanhToanTrucTuyen 1/2)",
      ("DuocThanhToanTrucTuyen",)),
    C("paid_at", "Ngày thanh toán", "datetime", False, "thời điểm thanh toán thành công"),
    C("fee_vnd", "Phí, lệ phí", "int", False, "số tiền (đồng)", ("Số tiền", "Lệ phí")),
    C("digitised", "Số hóa thành phần", "bool", False, "thành phần hồ sơ đã được số hóa",
      ("Đã số hóa", "HoSoCoThanhPhanSoHoa", "DuocSoHoa")),
    C("from_national_db", "Tái sử dụng dữ liệu", "bool", False,
      "thành phần lấy từ CSDL quốc gia / kho dữ liệu", ("DuocLayTuKhoDMQG", "Khai thác CSDL")),
    C("national_synced_at", "Đồng bộ Cổng DVCQG", "datetime", False,
      "lần đồng bộ thành công đầu tiên lên Cổng DVC quốc gia", ("Ngày đồng bộ",)),
    C("note", "Ghi chú", "text", False, "lý do / ghi chú kết quả", max_length=2000),
)  # fmt: skip
BY_KEY = {c.key: c for c in COLUMNS}


def _choices(pairs: dict[str, object]) -> dict[str, str]:
    return {header_key(k): str(v) for k, v in pairs.items()}


CHANNELS = _choices(
    {
        **{c.value: c.value for c in Channel},
        **{c.label: c.value for c in Channel},
        "1": Channel.DESK,  # KenhThucHien: 1 direct
        "2": Channel.CITY_PORTAL,  # 2 online (the province's portal unless said otherwise)
        "3": Channel.POST,  # 3 public post
        "truc tiep": Channel.DESK,
        "buu chinh": Channel.POST,
        "truc tuyen": Channel.CITY_PORTAL,
        "kiosk": Channel.KIOSK,
    }
)
STATES = _choices(
    {
        **{s.value: s.value for s in State},
        **{label: s.value for s, label in STATE_LABELS_VI.items()},
        **{label: value for value, label in STATE_CHOICES},
        "in_progress": State.IN_PROCESS,
        "dang giai quyet": State.IN_PROCESS,
        "da tra ket qua": State.RETURNED,
        "rut ho so": State.WITHDRAWN,
        "da rut": State.WITHDRAWN,
        "dung giai quyet": State.STOPPED,
    }
)
OUTCOMES = _choices(
    {
        **{o.value: o.value for o in Outcome},
        **{o.label: o.value for o in Outcome},
        "duoc giai quyet": Outcome.APPROVED,
        "tu choi": Outcome.REFUSED,
    }
)
KINDS = _choices(
    {**{k.value: k.value for k in ApplicantKind}, **{k.label: k.value for k in ApplicantKind}}
)

ZERO = dt.timedelta(0)
_STATE = {s.value: s for s in State}
NOT_RECEIVED_STATES = {State.REGISTERED, State.COMPLETION_REQUESTED, State.NOT_RECEIVED}
OPEN = {State.RECEIVED, State.IN_PROCESS, State.SUPPLEMENT_REQUESTED}
DECIDED = {State.DECIDED, State.AWAITING_PAYMENT, State.RETURNED}
SUMMARY_COMPONENT = "Thành phần hồ sơ (dữ liệu lịch sử)"
FEE_NAME = "Phí, lệ phí (dữ liệu lịch sử)"
GATEWAY = "history"

# the columns written, in the order of the tuples below
DOSSIER_FIELDS = (
    *("id", "code", "version", "state", "procedure", "workflow", "receiving_agency"),
    *("deciding_agency", "current_agency", "current_step", "channel", "idempotency_key"),
    *("applicant_user", "applicant_kind", "applicant_name", "applicant_name_search"),
    *("applicant_id_number", "applicant_birth_date", "applicant_tax_code"),
    *("applicant_representative", "applicant_phone", "applicant_email", "applicant_address"),
    *("applicant_vneid", "submitted_at", "received_at", "due_at", "extended_due_at"),
    *("effective_due_at", "paused_total", "paused_working_seconds", "supplement_count"),
    *("ended_at", "returned_at", "outcome", "decision_note", "result_electronic"),
    *("result_delivery", "field_values", "created_at", "updated_at", "imported"),
    *("legacy_code", "national_synced_at"),
)
PAUSE_FIELDS = ("dossier", "started_at", "ended_at", "reason")
FEE_FIELDS = (
    *("dossier", "name", "amount_vnd", "paid_vnd", "paid_at", "payment_channel", "gateway"),
    "transaction_ref",
)
DOCUMENT_FIELDS = (
    *("dossier", "required_document", "name", "originals", "copies", "digitised"),
    *("from_national_db", "on_paper"),
)


@dataclass
class Row:
    """One valid file row, ready to be written once it has its id and motcua code."""

    legacy_code: str
    agency: Agency
    submitted_at: dt.datetime
    values: list  # in DOSSIER_FIELDS order; id and code (None here) are set when written
    pauses: list[tuple[dt.datetime, dt.datetime | None]]
    fee: tuple | None  # FEE_FIELDS[1:]
    document: tuple | None  # DOCUMENT_FIELDS[1:]


@dataclass
class Prepared:
    rows: list[Row] = field(default_factory=list)
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)


_search = lru_cache(maxsize=65536)(normalize_search)  # names repeat across a province's files


class _Lookups:
    """Agencies, procedures, workflows and calendars of a file, each read once."""

    def __init__(self, table: Table) -> None:
        codes = {str(r[k]) for _, r in table.rows for k in ("agency", "deciding_agency") if k in r}
        self.agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
        procedure_codes = {str(r["procedure"]) for _, r in table.rows if "procedure" in r}
        self.procedures = {p.code: p for p in Procedure.objects.filter(code__in=procedure_codes)}
        self.workflows: dict[int, int | None] = {}
        self.calendars: dict[int, WorkingCalendar] = {}

    # ``.id``, not ``.pk``: the property costs a metadata look-up, hundreds of thousands of times
    def workflow_id(self, procedure: Procedure) -> int | None:
        try:
            return self.workflows[procedure.id]
        except KeyError:
            try:
                self.workflows[procedure.id] = workflow_for_dossier(procedure).id
            except NoActiveWorkflow:
                self.workflows[procedure.id] = None
            return self.workflows[procedure.id]

    def calendar(self, agency: Agency) -> WorkingCalendar:
        if agency.id not in self.calendars:
            self.calendars[agency.id] = get_calendar(agency.effective_office_hours())
        return self.calendars[agency.id]


def existing_legacy_codes(codes: list[str]) -> set[str]:
    """The codes already imported. Raw SQL: the ORM prepares each of the 5,000 parameters of
    an ``__in`` through the field (about 10 µs a row on a large file)."""
    found: set[str] = set()
    table = connection.ops.quote_name(Dossier._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(codes), 5000):
            chunk = codes[start : start + 5000]
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT legacy_code FROM {table} WHERE legacy_code = ANY(%s)",  # noqa: S608
                    [chunk],
                )
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT legacy_code FROM {table} WHERE legacy_code IN ({marks})",  # noqa: S608
                    chunk,
                )
            found.update(code for (code,) in cursor.fetchall())
    return found


def prepare(table: Table, *, now: dt.datetime) -> Prepared:
    """Validate every new row; the rows to write, the rows already there (skipped, not
    validated again: they were valid when imported), every problem."""
    out = Prepared(problems=list(table.problems))
    if table.problems:
        return out
    lookups = _Lookups(table)
    # compared with local cells: the same tzinfo object, the fast comparison
    now = now.astimezone(VN)
    if now.year >= ICT_FROM_YEAR:
        now = now.astimezone(ICT)
    codes = [str(r["code"]) for _, r in table.rows if "code" in r]
    existing = existing_legacy_codes(codes)
    seen: dict[str, int] = {}
    parsers = _parsers(int(getattr(settings, "MOTCUA_FEE_MAX_VND", 500_000_000)))
    with_document = bool({"digitised", "from_national_db"} & table.columns)
    for line, raw in table.rows:
        errors: list[Problem] = []
        code = str(raw.get("code", ""))
        row = None
        if code not in existing:
            row = _row(line, raw, lookups, errors, now=now, parsers=parsers, document=with_document)
        if code:
            if code in seen:
                errors.append(
                    Problem(line, "Mã hồ sơ", f"trùng mã “{code}” ở dòng {seen[code]} của tệp.")
                )
            else:
                seen[code] = line
        if errors:
            out.problems.extend(errors)
        elif code in existing:
            out.skipped += 1
        elif row is not None:
            out.rows.append(row)
    return out


def _memo(parse):
    """``parse`` remembered by cell value: choice and yes/no cells repeat a few values."""
    cache: dict = {}

    def parsed(value):
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = parse(value)
            return result
        except TypeError:  # an unhashable cell: parse it as it is
            return parse(value)

    return parsed


def _parsers(fee_max: int) -> dict[str, object]:
    """Each column's cell parser (a fresh set per import: the memo lives as long as it)."""

    def text(max_length):
        return lambda v: parse_text(v, max_length)

    def choice(choices, what):
        return _memo(lambda v: parse_choice(v, choices, what))

    out: dict[str, object] = {}
    for column in COLUMNS:
        if column.kind in ("text", "code"):
            out[column.key] = text(column.max_length)
        elif column.kind == "datetime":
            out[column.key] = parse_datetime
        elif column.kind == "due":
            out[column.key] = lambda v: parse_datetime(v, end_of_day=True)
        elif column.kind == "bool":
            out[column.key] = _memo(parse_bool)
        elif column.kind == "pauses":
            out[column.key] = parse_pauses
    out["channel"] = choice(CHANNELS, "kênh nộp")
    out["state"] = choice(STATES, "trạng thái")
    out["outcome"] = choice(OUTCOMES, "kết quả")
    out["applicant_kind"] = choice(KINDS, "loại người nộp")
    out["fee_vnd"] = _memo(lambda v: parse_int(v, maximum=fee_max))
    return out


def _row(line, raw, lookups: _Lookups, errors: list[Problem], *, now, parsers, document):
    """One row's values, or None with ``errors`` filled."""
    cells: dict[str, object] = {}
    for key, value in raw.items():
        try:
            cells[key] = parsers[key](value)
        except CellError as exc:
            errors.append(Problem(line, BY_KEY[key].header, str(exc)))
    if errors:
        return None
    get = cells.get

    def need(key: str, why: str) -> None:
        errors.append(Problem(line, BY_KEY[key].header, why))

    code = get("code", "")
    agency_code = get("agency", "")
    agency = lookups.agencies.get(agency_code) if agency_code else None
    if agency_code and agency is None:
        need("agency", f"không có cơ quan mã “{agency_code}”.")
    deciding = agency
    if "deciding_agency" in cells:
        deciding_code = cells["deciding_agency"]
        deciding = lookups.agencies.get(deciding_code)
        if deciding is None:
            need("deciding_agency", f"không có cơ quan mã “{deciding_code}”.")
    procedure_code = get("procedure", "")
    procedure = lookups.procedures.get(procedure_code) if procedure_code else None
    workflow_id = None
    if procedure_code and procedure is None:
        need("procedure", f"không có thủ tục mã “{procedure_code}” trong danh mục.")
    elif procedure is not None:
        workflow_id = lookups.workflow_id(procedure)
        if workflow_id is None:
            need(
                "procedure",
                f"thủ tục “{procedure_code}” chưa có quy trình nội bộ đang áp dụng: kích hoạt"
                " một quy trình trước khi nhập.",
            )
    channel, state = get("channel"), get("state")
    submitted, received = get("submitted_at"), get("received_at")
    due, extended = get("due_at"), get("extended_due_at")
    pauses = get("pauses") or []
    ended, returned = get("ended_at"), get("returned_at")
    outcome = get("outcome", "")
    kind = get("applicant_kind") or ApplicantKind.INDIVIDUAL
    name, id_number = get("applicant_name", ""), get("applicant_id_number", "")
    tax_code = get("applicant_tax_code", "")
    paid_online = get("paid_online", False)
    paid_at, fee, synced = get("paid_at"), get("fee_vnd"), get("national_synced_at")
    phone, address = get("applicant_phone", ""), get("applicant_address", "")
    note = get("note", "")
    vneid, electronic = get("vneid", False), get("result_electronic", False)
    digitised, reused = get("digitised", False), get("from_national_db", False)
    if errors:
        return None
    # -- the row as a whole: the lifecycle's order of events ----------------------------------
    for key, moment in (
        ("submitted_at", submitted),
        ("received_at", received),
        ("ended_at", ended),
        ("returned_at", returned),
        ("paid_at", paid_at),
        ("national_synced_at", synced),
    ):
        if moment is not None and moment > now:
            need(key, "thời điểm ở tương lai: chỉ nhập dữ liệu đã xảy ra.")
    state = _STATE[state]
    if id_number and not (id_number.isdigit() and len(id_number) == 12):
        need("applicant_id_number", "số CCCD phải gồm 12 chữ số.")
    if kind == ApplicantKind.INDIVIDUAL and not id_number:
        need("applicant_id_number", "cá nhân phải có số định danh cá nhân (12 chữ số).")
    if state in NOT_RECEIVED_STATES:
        if received is not None:
            need("received_at", f"hồ sơ “{STATE_LABELS_VI[state]}” chưa được tiếp nhận.")
    elif received is None and state != State.WITHDRAWN:
        need("received_at", "bắt buộc với hồ sơ đã tiếp nhận.")
    if received is not None:
        if received < submitted:
            need("received_at", "trước ngày nộp.")
        if due is None:
            need("due_at", "bắt buộc với hồ sơ đã tiếp nhận.")
        elif due < received:
            need("due_at", "trước ngày tiếp nhận.")
    elif due is not None or extended is not None:
        need("due_at", "chỉ có ngày hẹn trả khi hồ sơ đã được tiếp nhận.")
    if extended is not None and due is not None and extended <= due:
        need("extended_due_at", "phải sau ngày hẹn trả ban đầu.")
    start = received or submitted
    if state in OPEN or state in (State.REGISTERED, State.COMPLETION_REQUESTED):
        if ended is not None:
            need("ended_at", f"hồ sơ “{STATE_LABELS_VI[state]}” chưa kết thúc.")
    elif ended is None and state != State.NOT_RECEIVED:
        need("ended_at", f"bắt buộc với hồ sơ “{STATE_LABELS_VI[state]}”.")
    if ended is not None and ended < start:
        need("ended_at", "trước ngày tiếp nhận." if received else "trước ngày nộp.")
    if state == State.RETURNED:
        if returned is None:
            need("returned_at", "bắt buộc với hồ sơ đã trả kết quả.")
        elif ended is not None and returned < ended:
            need("returned_at", "trước ngày kết thúc xử lý.")
    elif returned is not None:
        need("returned_at", "chỉ hồ sơ “Đã trả kết quả” có ngày trả kết quả.")
    if state in DECIDED and not outcome:
        need("outcome", "bắt buộc (approved hoặc refused) với hồ sơ đã có kết quả.")
    if state not in DECIDED and outcome:
        need("outcome", f"hồ sơ “{STATE_LABELS_VI[state]}” không có kết quả giải quyết.")
    if pauses:
        if received is None:
            need("pauses", "chỉ hồ sơ đã tiếp nhận mới tạm dừng được.")
        elif pauses[0][0] < received:
            need("pauses", "lần tạm dừng đầu tiên trước ngày tiếp nhận.")
        still_open = pauses[-1][1] is None
        if still_open and state != State.SUPPLEMENT_REQUESTED:
            need("pauses", "chỉ hồ sơ đang chờ bổ sung mới có lần tạm dừng chưa kết thúc.")
        last = pauses[-1][1] or pauses[-1][0]
        if ended is not None and last > ended:
            need("pauses", "tạm dừng sau ngày kết thúc.")
    if state == State.SUPPLEMENT_REQUESTED and (not pauses or pauses[-1][1] is not None):
        need("pauses", "hồ sơ đang chờ bổ sung cần lần tạm dừng cuối chưa kết thúc (“…/”).")
    if paid_online and paid_at is None:
        need("paid_at", "bắt buộc khi đã thanh toán trực tuyến.")
    if paid_at is not None and paid_at < submitted:
        need("paid_at", "trước ngày nộp.")
    if synced is not None and synced < submitted:
        need("national_synced_at", "trước ngày nộp.")
    if errors:
        return None
    # -- the values, as the engine would have them -----------------------------------------------
    base = extended or due
    effective = base
    paused_seconds, paused_total = 0, ZERO
    if pauses:
        cal = lookups.calendar(agency)
        closed = [(s, e) for s, e in pauses if e is not None]
        paused_seconds = sum(int(cal.working_time(s, e).total_seconds()) for s, e in closed)
        paused_total = sum((e - s for s, e in closed), ZERO)
        if base is not None and paused_seconds > 0:
            effective = cal.add_time(base, dt.timedelta(seconds=paused_seconds))
    agency_id = agency.id
    values = dict(
        id=None,
        code=None,
        version=1,
        state=state.value,
        procedure=procedure.id,
        workflow=workflow_id,
        receiving_agency=agency_id,
        deciding_agency=deciding.id if deciding is not None else agency_id,
        current_agency=agency_id,
        current_step=0,
        channel=channel,
        idempotency_key=None,
        applicant_user=None,
        applicant_kind=kind,
        applicant_name=name,
        applicant_name_search=_search(name),
        applicant_id_number=id_number,
        applicant_birth_date=None,
        applicant_tax_code=tax_code,
        applicant_representative="",
        applicant_phone=phone,
        applicant_email="",
        applicant_address=address,
        applicant_vneid=vneid,
        submitted_at=submitted,
        received_at=received,
        due_at=due,
        extended_due_at=extended,
        effective_due_at=effective,
        paused_total=paused_total,
        paused_working_seconds=paused_seconds,
        supplement_count=len(pauses),
        ended_at=ended,
        returned_at=returned,
        outcome=outcome,
        decision_note=note,
        result_electronic=electronic,
        result_delivery="",
        field_values={},
        created_at=now,
        updated_at=now,
        imported=True,
        legacy_code=code,
        national_synced_at=synced,
    )
    fee_row = None
    if fee or paid_online or paid_at is not None:
        amount = fee or 0
        paid = paid_online or paid_at is not None
        fee_row = (
            FEE_NAME,
            amount,
            amount if paid else 0,
            paid_at,
            FeeCharge.PaymentChannel.ONLINE if paid_online else "",
            GATEWAY,
            "",
        )
    document_row = None
    if document:
        document_row = (None, SUMMARY_COMPONENT, 0, 0, digitised, reused, False)
    return Row(code, agency, submitted, list(values.values()), pauses, fee_row, document_row)


# -- writing ------------------------------------------------------------------------------------


def allocate_codes(rows: list[Row]) -> list[str]:
    """motcua codes for ``rows`` from the live intake's counters (``dossier:{agency}:{day}``),
    each counter advanced once by what the import takes, in one statement per 500 counters."""
    tz = timezone.get_current_timezone()
    days = [(row.agency, row.submitted_at.astimezone(tz).strftime("%y%m%d")) for row in rows]
    needed: dict[str, int] = {}
    for agency, day in days:
        key = f"dossier:{agency.id}:{day}"
        needed[key] = needed.get(key, 0) + 1
    last: dict[str, int] = {}
    keys = sorted(needed)  # the same lock order as core.counters.next_values
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO dossiers_counter (key, last) VALUES {values} "  # noqa: S608
                "ON CONFLICT (key) DO UPDATE SET last = dossiers_counter.last + excluded.last "
                "RETURNING key, last",
                [v for key in chunk for v in (key, needed[key])],
            )
            last.update(dict(cursor.fetchall()))
    next_number = {key: last[key] - needed[key] for key in needed}
    codes = []
    for agency, day in days:
        key = f"dossier:{agency.id}:{day}"
        next_number[key] += 1
        codes.append(f"{agency.code}-{day}-{next_number[key]:04d}")
    return codes


class ReferenceGone(Exception):
    """An agency, procedure or workflow validated before the write is no longer there."""

    def __init__(self, what: str, ids: set[int]) -> None:
        super().__init__(f"{what} {sorted(ids)[:10]}")
        self.what, self.ids = what, ids


_AT = {name: i for i, name in enumerate(DOSSIER_FIELDS)}
_REFERENCES = (
    (Agency, "cơ quan", (_AT["receiving_agency"], _AT["deciding_agency"])),
    (Procedure, "thủ tục", (_AT["procedure"],)),
    (Workflow, "quy trình", (_AT["workflow"],)),
)


def lock_references(rows: list[Row]) -> None:
    """Check, inside the writing transaction, that every agency, procedure and workflow the
    rows refer to still exists, and on PostgreSQL lock them ``FOR KEY SHARE`` (what the
    foreign-key check itself takes) until the commit: nobody can delete them or change their
    id meanwhile, while live work on them (updates of other columns) goes on."""
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    for model, what, positions in _REFERENCES:
        wanted = {row.values[i] for row in rows for i in positions} - {None}
        found: set[int] = set()
        table = connection.ops.quote_name(model._meta.db_table)
        ordered = sorted(wanted)
        with connection.cursor() as cursor:
            for start in range(0, len(ordered), 5000):
                chunk = ordered[start : start + 5000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT id FROM {table} WHERE id IN ({marks}) ORDER BY id{lock}",  # noqa: S608
                    chunk,
                )
                found.update(pk for (pk,) in cursor.fetchall())
        if wanted - found:
            raise ReferenceGone(what, wanted - found)


def _skip_fk_triggers() -> bool:
    """Whether this session may stop firing the foreign-key triggers of its own writes
    (``session_replication_role = replica``: a superuser, or PostgreSQL 15's
    ``GRANT SET ON PARAMETER session_replication_role``). Other sessions are not affected."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        return bool(cursor.fetchone()[0])


def write(rows: list[Row]) -> list[int]:
    """Write ``rows`` (inside the caller's transaction); the ids of the new dossiers.

    Foreign keys (docs/history-import.md, "The bulk path and performance"): every reference
    of a row was checked against the lookups when it was validated, and ``lock_references``
    checks them again in this transaction and locks them ``FOR KEY SHARE`` until the commit;
    the child rows refer to dossiers written just before in the same transaction. So the
    per-row foreign-key checks PostgreSQL would run at the commit (five a dossier, one a child
    row: about 40 % of the server's time) can only confirm what is already guaranteed; when
    the session may, they are not queued for these COPYs (``SET LOCAL
    session_replication_role = replica`` around them, back to ``origin`` right after, never
    for another session or statement). Unique indexes (``code``, ``legacy_code``) and NOT
    NULL/CHECK constraints are not triggers and still apply.
    """
    if not rows:
        return []
    lock_references(rows)
    codes = allocate_codes(rows)
    ids = bulk.reserve_ids(Dossier, len(rows))
    replica = _skip_fk_triggers()
    if replica:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        _copy(rows, ids, codes)
    finally:
        if replica:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
    return ids


def _copy(rows: list[Row], ids: list[int], codes: list[str]) -> None:
    def dossiers() -> Iterator[tuple]:
        for pk, code, row in zip(ids, codes, rows, strict=True):
            row.values[0], row.values[1] = pk, code
            yield row.values

    bulk.write(Dossier, DOSSIER_FIELDS, dossiers())
    bulk.write(
        Pause,
        PAUSE_FIELDS,
        (
            (pk, start, end, "Yêu cầu bổ sung (dữ liệu lịch sử)")
            for pk, row in zip(ids, rows, strict=True)
            for start, end in row.pauses
        ),
    )
    bulk.write(
        FeeCharge,
        FEE_FIELDS,
        ((pk, *row.fee) for pk, row in zip(ids, rows, strict=True) if row.fee),
    )
    bulk.write(
        DossierDocument,
        DOCUMENT_FIELDS,
        ((pk, *row.document) for pk, row in zip(ids, rows, strict=True) if row.document),
    )


__all__ = ["COLUMNS", "prepare", "write"]
