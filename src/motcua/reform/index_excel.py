"""The PAR index scheme and survey results from/to Excel.

A scheme workbook has three sheets (their names matter, their order does not):

- "Thông tin": key | value rows — Năm, Đối tượng (Sở, ban, ngành / Quận, huyện / Xã, phường,
  thị trấn), Tên, Văn bản, Minh họa (Có/Không), Hạn tự đánh giá, Trần điểm thưởng, Trần điểm trừ;
- "Xếp loại": Xếp loại | Từ (%) — one row per band;
- "Bộ chỉ số": Mã | Nội dung | Điểm tối đa | Cách đánh giá | Loại | Quy tắc | Mức | Nguồn số liệu |
  Đạt tối đa khi (%). The code types a row: "1" an area, "1.1" a criterion, "1.1.1" a
  sub-criterion (only sub-criteria carry a method and rule).

A survey workbook: Cơ quan | Mã tiêu chí | Tỷ lệ hài lòng (%) | Số phiếu.

Import checks every row first and reports each problem with its sheet, line and column;
nothing is saved unless the whole workbook is valid (one transaction in the service).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.text import normalize_search
from motcua.dossiers.errors import InvalidInput as UploadRefused
from motcua.dossiers.uploads import XLSX, check_bytes
from motcua.reform import index_services as services
from motcua.reform.excel import ImportFailed, _agency_index, _cell_text
from motcua.reform.index_rules import Kind, Method, Rule, Tier, parse_decimal, parse_levels
from motcua.reform.index_sources import SOURCES
from motcua.reform.models import Scheme
from motcua.reform.rules import InvalidInput

INFO, BANDS, TREE = "Thông tin", "Xếp loại", "Bộ chỉ số"
TREE_HEADERS = (
    "Mã",
    "Nội dung",
    "Điểm tối đa",
    "Cách đánh giá",
    "Loại",
    "Quy tắc",
    "Mức",
    "Nguồn số liệu",
    "Đạt tối đa khi (%)",
)
SURVEY_HEADERS = ("Cơ quan", "Mã tiêu chí", "Tỷ lệ hài lòng (%)", "Số phiếu")
COLS = "ABCDEFGHI"
MAX_ROWS = 2000
CODE = re.compile(r"\d{1,2}(\.\d{1,2}){0,2}")

INFO_KEYS = {
    "nam": "year",
    "doi tuong": "tier",
    "ten": "name",
    "van ban": "basis",
    "minh hoa": "is_demo",
    "han tu danh gia": "self_deadline",
    "tran diem thuong": "bonus_cap",
    "tran diem tru": "penalty_cap",
}


def _choices(enum, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Accepted spellings of a choice: its value and its Vietnamese label, unaccented."""
    found = {normalize_search(v): v for v in enum.values}
    found.update({normalize_search(str(label)): v for v, label in enum.choices})
    found.update({normalize_search(k): v for k, v in (extra or {}).items()})
    return found


TIERS = _choices(Tier)
METHODS = _choices(
    Method, {"Tự đánh giá": Method.SELF, "Điều tra": Method.SURVEY, "Tự động": Method.AUTO}
)
KINDS = _choices(Kind, {"Thưởng": Kind.BONUS, "Trừ": Kind.PENALTY})
RULES = _choices(Rule, {"Mức": Rule.LEVELS, "Khoảng": Rule.RANGE, "Tỷ lệ": Rule.RATIO})


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Trang “%(sheet)s”, dòng %(row)d, cột %(col)s: %(msg)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "col": self.column or "—",
            "msg": self.message,
        }


def _open(data: bytes):
    try:
        mime = check_bytes(data)
    except UploadRefused as exc:
        raise InvalidInput(exc.message, {"file": "bad"}) from None
    if mime != XLSX:
        raise InvalidInput(_("Vui lòng chọn tệp Excel (.xlsx)."), {"file": "bad_type"})
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(_("Không đọc được tệp Excel."), {"file": "unreadable"}) from None


def _rows(ws, width: int):
    for row_no, row in enumerate(ws.iter_rows(values_only=True, max_col=width), start=1):
        if row_no > MAX_ROWS:
            raise InvalidInput(_("Tệp quá dài: tối đa %(n)d dòng.") % {"n": MAX_ROWS})
        cells = list(row) + [None] * (width - len(row))
        yield row_no, cells, [_cell_text(c) for c in cells]


def _sheet(wb, name: str, problems: list[Problem]):
    for ws in wb.worksheets:
        if normalize_search(ws.title) == normalize_search(name):
            return ws
    problems.append(Problem(name, 0, "", _("thiếu trang này")))
    return None


def _number(value, *, percent: bool = False) -> Decimal:
    number = parse_decimal(value)
    if percent and isinstance(value, float) and number <= 1:
        number *= 100  # a cell formatted as a percentage holds 0.85 for 85 %
    return number


def _parse_info(ws, spec: dict, problems: list[Problem]) -> None:
    for row_no, cells, texts in _rows(ws, 2):
        key = INFO_KEYS.get(normalize_search(texts[0]))
        if key is None:
            continue

        def bad(msg: str, row_no: int = row_no) -> None:
            problems.append(Problem(INFO, row_no, "B", msg))

        raw, text = cells[1], texts[1]
        try:
            if key == "year":
                year = int(_number(raw))
                if not 2000 <= year <= 2100:
                    raise InvalidInput(_("năm phải từ 2000 đến 2100"))
                spec["year"] = year
            elif key == "tier":
                if normalize_search(text) not in TIERS:
                    raise InvalidInput(
                        _(
                            "đối tượng phải là Sở, ban, ngành; Quận, huyện; hoặc Xã, phường, thị trấn"  # noqa: E501
                        )
                    )
                spec["tier"] = TIERS[normalize_search(text)]
            elif key in ("name", "basis"):
                if len(text) > 300:
                    raise InvalidInput(_("tối đa 300 ký tự"))
                spec[key] = text
            elif key == "is_demo":
                spec["is_demo"] = normalize_search(text) in ("co", "x", "true", "1")
            elif key == "self_deadline":
                if isinstance(raw, dt.datetime):
                    spec[key] = raw.date()
                elif text:
                    try:
                        spec[key] = dt.datetime.strptime(text, "%d/%m/%Y").date()
                    except ValueError:
                        raise InvalidInput(_("ngày phải ghi NN/TT/NNNN")) from None
            else:
                value = _number(raw)
                if value < 0 or value > 100:
                    raise InvalidInput(_("điểm phải từ 0 đến 100"))
                spec[key] = value
        except InvalidInput as exc:
            bad(exc.message)
    for key, label in (("year", "Năm"), ("tier", "Đối tượng"), ("name", "Tên")):
        if not spec.get(key):
            problems.append(Problem(INFO, 0, "", _("thiếu “%(k)s”") % {"k": label}))


def _parse_bands(ws, spec: dict, problems: list[Problem]) -> None:
    bands = []
    for row_no, cells, texts in _rows(ws, 2):
        if row_no == 1 or not any(texts):
            continue  # the header
        if not texts[0] or len(texts[0]) > 50:
            problems.append(Problem(BANDS, row_no, "A", _("tên xếp loại từ 1 đến 50 ký tự")))
            continue
        try:
            cutoff = _number(cells[1], percent=True)
        except InvalidInput as exc:
            problems.append(Problem(BANDS, row_no, "B", exc.message))
            continue
        if not 0 <= cutoff <= 100:
            problems.append(Problem(BANDS, row_no, "B", _("ngưỡng phải từ 0 đến 100%")))
            continue
        bands.append((texts[0], cutoff))
    spec["bands"] = bands


def _parse_tree(ws, problems: list[Problem]) -> list[services.AreaSpec]:
    areas: list[services.AreaSpec] = []
    header_seen = False
    for row_no, cells, texts in _rows(ws, len(COLS)):
        if not header_seen:
            header_seen = normalize_search(texts[0]) == "ma"
            continue
        if not any(texts):
            continue
        count = len(problems)

        def bad(col: str, msg: str, row_no: int = row_no) -> None:
            problems.append(Problem(TREE, row_no, col, msg))

        code = texts[0].rstrip(".")
        if not CODE.fullmatch(code):
            bad("A", _("mã phải có dạng 1, 1.1 hoặc 1.1.1"))
            continue
        if not texts[1] or len(texts[1]) > 1000:
            bad("B", _("nội dung từ 1 đến 1.000 ký tự"))
        depth = code.count(".")
        parent = code.rsplit(".", 1)[0]
        if depth == 0:
            try:
                maximum = _number(cells[2])
                if maximum < 0:
                    raise InvalidInput(_("điểm tối đa không được âm"))
            except InvalidInput as exc:
                bad("C", exc.message)
                continue
            if any(a.number == int(code) for a in areas):
                bad("A", _("mã bị trùng"))
            areas.append(services.AreaSpec(int(code), texts[1], maximum))
            continue
        area = areas[-1] if areas else None
        if depth == 1:
            if area is None or str(area.number) != parent:
                bad("A", _("tiêu chí phải nằm ngay dưới lĩnh vực %(p)s") % {"p": parent})
                continue
            area.criteria.append(services.CriterionSpec(code, texts[1]))
            continue
        criterion = area.criteria[-1] if area and area.criteria else None
        if criterion is None or criterion.code != parent:
            bad("A", _("tiêu chí thành phần phải nằm ngay dưới tiêu chí %(p)s") % {"p": parent})
            continue
        sub = _parse_sub(code, cells, texts, bad)
        if sub is not None and len(problems) == count:
            criterion.subs.append(sub)
    if not header_seen:
        problems.append(Problem(TREE, 0, "", _("không thấy dòng tiêu đề (cột “Mã”)")))
    return areas


def _parse_sub(code, cells, texts, bad) -> services.SubSpec | None:
    try:
        maximum = _number(cells[2])
        if maximum <= 0:
            raise InvalidInput(_("điểm tối đa phải lớn hơn 0"))
    except InvalidInput as exc:
        bad("C", exc.message)
        return None
    method = METHODS.get(normalize_search(texts[3]))
    kind = KINDS.get(normalize_search(texts[4]) or "score")
    rule = RULES.get(normalize_search(texts[5]))
    if method is None:
        bad("D", _("cách đánh giá phải là Tự đánh giá, Điều tra hoặc Tự động"))
    if kind is None:
        bad("E", _("loại phải là Điểm, Thưởng hoặc Trừ"))
    if rule is None:
        bad("F", _("quy tắc phải là Mức, Khoảng hoặc Tỷ lệ"))
    levels = texts[6]
    try:
        parse_levels(levels)
    except InvalidInput as exc:
        bad("G", exc.message)
    source = texts[7]
    if method == Method.AUTO and source not in SOURCES:
        bad("H", _("nguồn số liệu phải là một trong: %(s)s") % {"s": ", ".join(sorted(SOURCES))})
    if method is not None and method != Method.SELF and rule not in (None, Rule.RATIO):
        bad("F", _("điều tra và số liệu tự động được chấm theo Tỷ lệ"))
    if method == Method.SELF and rule == Rule.RATIO:
        bad("F", _("tiêu chí tự đánh giá chấm theo Mức hoặc Khoảng"))
    full_at = Decimal(1)
    if texts[8]:
        try:
            full_at = _number(cells[8], percent=True) / 100
            if not 0 < full_at <= 1:
                raise InvalidInput(_("ngưỡng phải lớn hơn 0 và không quá 100%"))
        except InvalidInput as exc:
            bad("I", exc.message)
    if None in (method, kind, rule):
        return None
    return services.SubSpec(
        code,
        texts[1],
        maximum,
        method,
        kind,
        rule,
        levels,
        source if method == Method.AUTO else "",
        full_at,
    )


def parse_scheme(data: bytes) -> services.SchemeSpec:
    """The scheme of a workbook, or ImportFailed with every problem found."""
    wb = _open(data)
    problems: list[Problem] = []
    spec: dict = {}
    info, bands, tree = (_sheet(wb, name, problems) for name in (INFO, BANDS, TREE))
    areas: list[services.AreaSpec] = []
    if info is not None:
        _parse_info(info, spec, problems)
    if bands is not None:
        _parse_bands(bands, spec, problems)
    if tree is not None:
        areas = _parse_tree(tree, problems)
    if problems:
        raise ImportFailed(problems)
    result = services.SchemeSpec(areas=areas, **spec)
    try:
        services.check_spec(result)
    except InvalidInput as exc:
        raise ImportFailed([Problem(TREE, 0, "", exc.message)]) from None
    return result


def import_scheme(*, by: User, data: bytes) -> Scheme:
    return services.import_scheme(by=by, spec=parse_scheme(data))


def scheme_workbook(spec: services.SchemeSpec) -> bytes:
    """A scheme as a workbook in the layout above (the demo imports its scheme through it; an
    office starts its own from it)."""
    from openpyxl import Workbook

    wb = Workbook()
    info = wb.active
    info.title = INFO
    tier_label = str(Tier(spec.tier).label)
    info.append(["Năm", spec.year])
    info.append(["Đối tượng", tier_label])
    info.append(["Tên", spec.name])
    info.append(["Văn bản", spec.basis])
    info.append(["Minh họa", "Có" if spec.is_demo else "Không"])
    info.append(
        ["Hạn tự đánh giá", spec.self_deadline.strftime("%d/%m/%Y") if spec.self_deadline else ""]
    )
    info.append(["Trần điểm thưởng", float(spec.bonus_cap)])
    info.append(["Trần điểm trừ", float(spec.penalty_cap)])
    bands = wb.create_sheet(BANDS)
    bands.append(["Xếp loại", "Từ (%)"])
    for label, cutoff in spec.bands:
        bands.append([label, float(cutoff)])
    tree = wb.create_sheet(TREE)
    tree.append(list(TREE_HEADERS))
    for area in spec.areas:
        tree.append([str(area.number), area.title, float(area.max_points)])
        for c in area.criteria:
            tree.append([c.code, c.title])
            for s in c.subs:
                tree.append(
                    [
                        s.code,
                        s.title,
                        float(s.max_points),
                        str(Method(s.method).label),
                        str(Kind(s.kind).label),
                        str(Rule(s.rule).label),
                        s.levels,
                        s.source,
                        f"{s.full_at * 100:g}" if s.rule == Rule.RATIO else "",
                    ]
                )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- survey results -----------------------------------------------------------------------------


def parse_survey(data: bytes, scheme: Scheme) -> list[services.SurveyRow]:
    wb = _open(data)
    ws = wb.worksheets[0]
    agencies = _agency_index()
    codes = set(scheme.subs.filter(method=Method.SURVEY).values_list("code", flat=True))
    problems: list[Problem] = []
    rows: list[services.SurveyRow] = []
    header_seen = False
    for row_no, cells, texts in _rows(ws, len(SURVEY_HEADERS)):
        if not header_seen:
            header_seen = normalize_search(texts[0]) == "co quan"
            continue
        if not any(texts):
            continue
        count = len(problems)

        def bad(col: str, msg: str, row_no=row_no) -> None:
            problems.append(Problem(ws.title, row_no, col, msg))

        agency = agencies.get(normalize_search(texts[0]))
        if agency is None:
            bad("A", _("không tìm thấy cơ quan “%(a)s”") % {"a": texts[0][:100]})
        if texts[1] not in codes:
            bad("B", _("“%(c)s” không phải tiêu chí điều tra của bộ chỉ số") % {"c": texts[1][:20]})
        ratio = None
        try:
            ratio = _number(cells[2], percent=True) / 100
            if not 0 <= ratio <= 1:
                raise InvalidInput(_("tỷ lệ phải từ 0 đến 100%"))
        except InvalidInput as exc:
            bad("C", exc.message)
        respondents = None
        if texts[3]:
            try:
                respondents = int(_number(cells[3]))
                if respondents < 0:
                    raise InvalidInput(_("số phiếu không được âm"))
            except (InvalidInput, ValueError):
                bad("D", _("số phiếu phải là số nguyên"))
        if len(problems) == count:
            rows.append(
                services.SurveyRow(agency, texts[1], ratio.quantize(Decimal("0.0001")), respondents)
            )
    if not header_seen:
        problems.append(Problem(ws.title, 0, "", _("không thấy dòng tiêu đề (cột “Cơ quan”)")))
    if problems:
        raise ImportFailed(problems)
    return rows


def import_survey(*, by: User, scheme: Scheme, data: bytes, source: str) -> int:
    return services.record_survey(
        by=by, scheme_id=scheme.pk, rows=parse_survey(data, scheme), source=source
    )


def survey_workbook(rows: list[tuple[str, str, Decimal, int | None]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Điều tra xã hội học"
    ws.append(list(SURVEY_HEADERS))
    for agency, code, pct, respondents in rows:
        ws.append([agency, code, float(pct), respondents])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
