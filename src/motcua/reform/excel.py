"""A plan from/to Excel in the layout plans are published in (phụ lục kế hoạch CCHC):

    STT | Nội dung nhiệm vụ | Sản phẩm | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành
        | Tình trạng | Văn bản cho phép hủy | Lý do hủy | Tuyên truyền

Rows are typed by their STT: a Roman numeral opens a reform area (its name in the content
column), a whole number an objective, "n.m" a task of objective n. Import checks every row
first and reports each problem with its line and column; nothing is saved unless the whole
sheet is valid (one transaction).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import dateparams
from motcua.core.audit import record_change
from motcua.core.text import normalize_search
from motcua.dossiers.errors import InvalidInput as UploadRefused
from motcua.dossiers.uploads import XLSX, check_bytes
from motcua.reform import services
from motcua.reform.models import ReformPlan
from motcua.reform.models.plans import MAX_TEXT
from motcua.reform.rules import AREA_ORDER, Area, InvalidInput, TaskStatus

HEADERS = (
    "STT",
    "Nội dung nhiệm vụ",
    "Sản phẩm",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời hạn hoàn thành",
    "Tình trạng",
    "Văn bản cho phép hủy",
    "Lý do hủy",
    "Tuyên truyền",
)
COLUMNS = "ABCDEFGHIJ"
MAX_ROWS = 5000
MAX_ERRORS = 100
CONTINUING = {"thuong xuyen", "hang nam", "ca nam", ""}
ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
STATUS_BY_TEXT = {normalize_search(str(s.label)): s.value for s in TaskStatus}
STATUS_BY_TEXT.update({s.value: s.value for s in TaskStatus})
AREA_BY_TEXT = {normalize_search(str(a.label)): a.value for a in Area}
AREA_BY_TEXT.update({a.value: a.value for a in Area})
ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # a letter, "" for the whole row
    message: str

    def __str__(self) -> str:
        return _("Dòng %(row)d, cột %(col)s: %(msg)s") % {
            "row": self.row,
            "col": self.column or "—",
            "msg": self.message,
        }


class ImportFailed(InvalidInput):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            _("Tệp có %(n)d lỗi; chưa nhập dữ liệu nào.") % {"n": len(problems)},
            {"file": "invalid"},
        )
        self.problems = problems


@dataclass
class ParsedTask:
    row: int
    number: int
    content: str
    output: str
    lead: Agency
    partners: list[Agency]
    deadline: dt.date | None
    status: str
    cancel_reference: str
    cancel_reason: str
    is_propaganda: bool


@dataclass
class ParsedObjective:
    area: str
    number: int
    title: str
    tasks: list[ParsedTask] = field(default_factory=list)


# -- export ---------------------------------------------------------------------------------


def export_plan(plan: ReformPlan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"KH CCHC {plan.year}"
    ws.append([f"KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {plan.year}"])
    ws.append(
        [
            f"(Kèm theo Kế hoạch số {plan.decision_number} ngày "
            f"{plan.decision_date:%d/%m/%Y} của {plan.agency.name_vi})"
        ]
    )
    ws.append([])
    ws.append(list(HEADERS))
    bold = Font(bold=True)
    for cell in ws[1] + ws[4]:
        cell.font = bold
    shared = _shared_names()
    objectives = plan.objectives.order_by("number")
    by_area: dict[str, list] = {}
    for objective in objectives:
        by_area.setdefault(objective.area, []).append(objective)
    for i, area in enumerate(sorted(by_area, key=AREA_ORDER.__getitem__)):
        ws.append([ROMANS[i], str(Area(area).label).upper()])
        for cell in ws[ws.max_row]:
            cell.font = bold
        for objective in by_area[area]:
            ws.append([str(objective.number), objective.title])
            ws[ws.max_row][1].font = Font(bold=True, italic=True)
            tasks = objective.tasks.select_related("lead_agency").prefetch_related("partners")
            for task in tasks.order_by("number"):
                ws.append(
                    [
                        f"{objective.number}.{task.number}",
                        task.content,
                        task.output,
                        _label(task.lead_agency, shared),
                        "; ".join(sorted(_label(a, shared) for a in task.partners.all())),
                        task.deadline.strftime("%d/%m/%Y") if task.deadline else "Thường xuyên",
                        str(TaskStatus(task.status).label),
                        task.cancel_reference,
                        task.cancel_reason,
                        "x" if task.is_propaganda else "",
                    ]
                )
    for letter, width in zip(COLUMNS, (7, 60, 35, 30, 30, 14, 16, 20, 30, 10), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- import ---------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


AMBIGUOUS = object()  # a name several agencies share (e.g. "Phường 1" in many districts)


def _agency_index() -> dict[str, Agency | object]:
    """Agencies by normalised name, electronic code and local reference. A name shared by
    several agencies maps to ``AMBIGUOUS``: the sheet must then give the code."""
    index: dict[str, Agency | object] = {}
    for agency in Agency.objects.all():
        for key in {
            normalize_search(k) for k in (agency.name_vi, agency.code, agency.local_ref) if k
        }:
            found = index.get(key)
            index[key] = agency if found is None or found == agency else AMBIGUOUS
    return index


def _label(agency: Agency, shared: set[str]) -> str:
    """How export names an agency: its name, or its code when the name is shared."""
    return agency.code if normalize_search(agency.name_vi) in shared else agency.name_vi


def _shared_names() -> set[str]:
    return {k for k, v in _agency_index().items() if v is AMBIGUOUS}


def _date(value: object) -> dt.date | None:
    """A deadline cell: a date, dd/mm/yyyy, mm/yyyy (end of month), yyyy (end of year) or
    "Thường xuyên" (None). ValueError with a message otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        raw = _cell_text(value)
        if normalize_search(raw) in CONTINUING:
            return None
        if len(raw) > 40:
            raise ValueError(_("thời hạn không hợp lệ"))
        day = None
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                day = dt.datetime.strptime(raw, fmt).date()
                break
            except ValueError:
                continue
        if day is None:
            m = re.fullmatch(r"(?:(?:th[aá]ng|quý)\s*)?(\d{1,2})/(\d{4})", raw, re.IGNORECASE)
            if m and 1 <= int(m[1]) <= 12:
                y, mo = int(m[2]), int(m[1])
                nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1) if 1 <= y <= 9998 else None
                day = nxt - dt.timedelta(days=1) if nxt else None
            elif re.fullmatch(r"(?:năm\s*)?\d{4}", raw, re.IGNORECASE):
                y = int(raw[-4:])
                day = dt.date(y, 12, 31) if y >= 1 else None
        if day is None:
            raise ValueError(
                _("thời hạn không hợp lệ (ghi NN/TT/NNNN, TT/NNNN hoặc “Thường xuyên”)")
            )
    try:
        return dateparams.check_date(day)
    except dateparams.DateParamError as exc:
        raise ValueError(exc.message) from None


def parse(data: bytes) -> list[ParsedObjective]:
    """Every objective and task of the sheet, or ``ImportFailed`` with every problem."""
    try:
        mime = check_bytes(data)
    except UploadRefused as exc:
        raise InvalidInput(exc.message, {"file": "bad"}) from None
    if mime != XLSX:
        raise InvalidInput(_("Vui lòng chọn tệp Excel (.xlsx)."), {"file": "bad_type"})
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(_("Không đọc được tệp Excel."), {"file": "unreadable"}) from None
    ws = wb.worksheets[0]
    problems: list[Problem] = []
    agencies = _agency_index()
    objectives: list[ParsedObjective] = []
    area: str | None = None
    header_seen = False
    seen_numbers: set[str] = set()
    for row_no, row in enumerate(ws.iter_rows(values_only=True, max_col=len(COLUMNS)), start=1):
        if row_no > MAX_ROWS:
            problems.append(
                Problem(row_no, "", _("Tệp quá dài: tối đa %(n)d dòng.") % {"n": MAX_ROWS})
            )
            break
        cells = list(row) + [None] * (len(COLUMNS) - len(row))
        texts = [_cell_text(c) for c in cells]
        if not header_seen:
            header_seen = normalize_search(texts[0]) == "stt"
            continue
        if not any(texts):
            continue
        stt = texts[0].rstrip(".")

        def bad(col: str, message: str, row_no: int = row_no) -> None:
            problems.append(Problem(row_no, col, message))

        for col, value in zip(COLUMNS, texts, strict=True):
            if len(value) > MAX_TEXT:
                bad(col, _("nội dung quá dài (tối đa %(n)d ký tự)") % {"n": MAX_TEXT})
        if ROMAN.match(stt.upper()):
            area = AREA_BY_TEXT.get(normalize_search(texts[1]))
            if area is None:
                bad("B", _("không nhận ra lĩnh vực cải cách “%(v)s”") % {"v": texts[1][:80]})
        elif re.fullmatch(r"\d{1,3}", stt):
            if area is None:
                bad("A", _("mục tiêu phải nằm dưới một lĩnh vực (dòng số La Mã)"))
                continue
            if stt in seen_numbers:
                bad("A", _("số thứ tự %(v)s bị trùng") % {"v": stt})
            seen_numbers.add(stt)
            if not texts[1]:
                bad("B", _("thiếu nội dung mục tiêu"))
            objectives.append(ParsedObjective(area, int(stt), texts[1][:MAX_TEXT]))
        elif m := re.fullmatch(r"(\d{1,3})\.(\d{1,3})", stt):
            if not objectives or objectives[-1].number != int(m[1]):
                bad("A", _("nhiệm vụ %(v)s không thuộc mục tiêu đứng trước") % {"v": stt})
                continue
            if stt in seen_numbers:
                bad("A", _("số thứ tự %(v)s bị trùng") % {"v": stt})
            seen_numbers.add(stt)
            task = _parse_task(row_no, int(m[2]), texts, cells, agencies, bad)
            if task is not None:
                objectives[-1].tasks.append(task)
        else:
            bad("A", _("STT “%(v)s” không hợp lệ (I, II…; 1, 2…; 1.1, 1.2…)") % {"v": stt[:20]})
        if len(problems) >= MAX_ERRORS:
            break
    if not header_seen:
        problems.append(Problem(1, "A", _("không tìm thấy dòng tiêu đề bắt đầu bằng “STT”")))
    elif not problems and not any(o.tasks for o in objectives):
        problems.append(Problem(1, "", _("tệp không có nhiệm vụ nào")))
    if problems:
        raise ImportFailed(problems)
    return objectives


def _parse_task(row_no, number, texts, cells, agencies, bad) -> ParsedTask | None:
    ok = True
    if not texts[1]:
        bad("B", _("thiếu nội dung nhiệm vụ"))
        ok = False
    lead = agencies.get(normalize_search(texts[3]))
    if lead is AMBIGUOUS:
        bad(
            "D",
            _("nhiều cơ quan cùng tên “%(v)s”: ghi mã định danh điện tử") % {"v": texts[3][:80]},
        )
        ok = False
    elif lead is None:
        bad("D", _("không tìm thấy cơ quan chủ trì “%(v)s”") % {"v": texts[3][:80]})
        ok = False
    partners = []
    for name in re.split(r"[;\n]+", texts[4]):
        if name.strip():
            agency = agencies.get(normalize_search(name))
            if agency is AMBIGUOUS:
                bad(
                    "E",
                    _("nhiều cơ quan cùng tên “%(v)s”: ghi mã định danh điện tử")
                    % {"v": name.strip()[:80]},
                )
                ok = False
            elif agency is None:
                bad("E", _("không tìm thấy cơ quan phối hợp “%(v)s”") % {"v": name.strip()[:80]})
                ok = False
            else:
                partners.append(agency)
    try:
        deadline = _date(cells[5])
    except ValueError as exc:
        bad("F", str(exc))
        ok = False
        deadline = None
    status = STATUS_BY_TEXT.get(normalize_search(texts[6]) or TaskStatus.NOT_STARTED)
    if status is None:
        bad("G", _("tình trạng “%(v)s” không hợp lệ") % {"v": texts[6][:40]})
        ok = False
    elif status == TaskStatus.CANCELLED and not (texts[7] and texts[8]):
        bad("H", _("nhiệm vụ hủy phải có văn bản cho phép hủy và lý do"))
        ok = False
    if len(texts[7]) > 100:
        bad("H", _("số văn bản quá dài (tối đa 100 ký tự)"))
        ok = False
    if not ok or len(texts[1]) > MAX_TEXT or len(texts[2]) > MAX_TEXT:
        return None
    return ParsedTask(
        row=row_no,
        number=number,
        content=texts[1],
        output=texts[2],
        lead=lead,
        partners=partners,
        deadline=deadline,
        status=status,
        cancel_reference=texts[7] if status == TaskStatus.CANCELLED else "",
        cancel_reason=texts[8] if status == TaskStatus.CANCELLED else "",
        is_propaganda=normalize_search(texts[9]) in {"x", "co", "1", "yes"},
    )


@transaction.atomic
def import_plan(
    *,
    by: User,
    data: bytes,
    agency: Agency,
    year: int,
    decision_number: str,
    decision_date: dt.date,
    title: str,
) -> ReformPlan:
    """Create the plan and all its objectives and tasks from the sheet, or nothing."""
    objectives = parse(data)
    plan = services.create_plan(
        by=by,
        year_=year,
        agency=agency,
        decision_number=decision_number,
        decision_date=decision_date,
        title=title,
    )
    tasks = 0
    for parsed in objectives:
        objective = services.add_objective(
            by=by, plan_id=plan.pk, area=parsed.area, title=parsed.title, number_=parsed.number
        )
        for t in parsed.tasks:
            services.add_task(
                by=by,
                objective_id=objective.pk,
                number_=t.number,
                content=t.content,
                output=t.output,
                lead_agency=t.lead,
                partners=t.partners,
                deadline=t.deadline,
                status=t.status,
                cancel_reference=t.cancel_reference,
                cancel_reason=t.cancel_reason,
                is_propaganda=t.is_propaganda,
            )
            tasks += 1
    record_change(
        "reform.plan.import",
        plan,
        f"Nhập kế hoạch {plan.decision_number} từ Excel: {tasks} nhiệm vụ",
        actor=by,
        data={
            "why": "import",
            "before": {},
            "after": {"objectives": len(objectives), "tasks": tasks},
        },
    )
    return plan
