"""Reading history files (CSV or Excel) and parsing their cells. Pure: no database.

A file is a header row and data rows. Each header is matched to a column of the kind's
``Column`` list by its English key or by one of its Vietnamese headers, ignoring case,
diacritics, spaces and punctuation ("Mã hồ sơ", "MA HO SO", "ma_ho_so" and "code" are the
same column). Every problem is a ``Problem`` with the line and the column's Vietnamese header,
so an officer can fix the file in a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from motcua.core.text import normalize_search

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Asia/Ho_Chi_Minh has been +07:00 all year since 1975-06-13: from 1976 on, local times get this
# one fixed-offset zone instead — the same instants, but comparing two datetimes that share a
# tzinfo object skips utcoffset() (the lifecycle checks compare ~10 a row) and building them
# skips ZoneInfo's transition search.
ICT = dt.timezone(dt.timedelta(hours=7))
ICT_FROM_YEAR = 1976
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
MAX_INT = 2**53  # beyond any amount or count an old system holds; bigger is a typo


class CellError(ValueError):
    """A cell that does not parse; the message is Vietnamese, for the error report."""


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    key: str  # the English key, also accepted as a header
    header: str  # the Vietnamese header shown in error reports and in the template
    kind: str  # text | datetime | due | bool | int | code | choice | pauses
    required: bool = False
    meaning: str = ""
    aliases: tuple[str, ...] = ()  # other Vietnamese headers accepted
    max_length: int | None = None


@dataclass(frozen=True)
class Problem:
    line: int  # 1 = the header row
    column: str  # the Vietnamese header ("" for the whole row or file)
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.line}" + (f", cột “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Table:
    """A file's rows: ``rows`` are (line, {key: raw cell}) with empty cells left out."""

    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)  # keys present in the header
    ignored: list[str] = field(default_factory=list)  # headers that match no column
    problems: list[Problem] = field(default_factory=list)


@lru_cache(maxsize=65536)
def _header_key(text: str) -> str:
    return _NOT_ALNUM.sub(" ", normalize_search(text)).strip()


def header_key(text: str) -> str:
    """ "Mã hồ sơ" → "ma ho so"; "received_at" → "received at". Cached: the cells of choice
    and yes/no columns repeat a handful of values over thousands of rows."""
    return _header_key(str(text))


def header_map(columns: Sequence[Column]) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for column in columns:
        for name in (column.key, column.header, *column.aliases):
            out[header_key(name)] = column
    return out


def read_table(path: Path, columns: Sequence[Column]) -> Table:
    """Read a ``.csv`` (UTF-8, with or without BOM; comma, semicolon or tab) or ``.xlsx``."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = _xlsx_rows(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        raw = _csv_rows(path)
    else:
        table = Table()
        table.problems.append(Problem(0, "", "Chỉ nhận tệp .csv hoặc .xlsx."))
        return table
    return _table(raw, columns)


def _table(raw: Iterator[tuple[int, list[object]]], columns: Sequence[Column]) -> Table:
    table = Table()
    by_header = header_map(columns)
    try:
        first = next(raw, None)
        if first is None:
            table.problems.append(Problem(1, "", "Tệp không có dòng tiêu đề."))
            return table
        line, headers = first
        index: list[tuple[int, str]] = []
        for i, text in enumerate(headers):
            if text is None or str(text).strip() == "":
                continue
            column = by_header.get(header_key(str(text)))
            if column is None:
                table.ignored.append(str(text).strip())
            elif column.key in table.columns:
                table.problems.append(Problem(line, column.header, "cột bị lặp lại."))
            else:
                table.columns.add(column.key)
                index.append((i, column.key))
        for column in columns:
            if column.required and column.key not in table.columns:
                table.problems.append(
                    Problem(line, column.header, f"thiếu cột bắt buộc (khóa “{column.key}”).")
                )
        for line, cells in raw:
            row: dict[str, object] = {}
            for i, key in index:
                value = cells[i] if i < len(cells) else None
                if isinstance(value, str):
                    value = value.strip()
                if value is not None and value != "":
                    row[key] = value
            if row:
                table.rows.append((line, row))
    except UnicodeDecodeError:
        table.problems.append(Problem(0, "", "Tệp CSV phải được lưu với bảng mã UTF-8."))
    except csv.Error as exc:
        table.problems.append(Problem(0, "", f"Tệp CSV không đọc được: {exc}."))
    return table


def _csv_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(8192)
        handle.seek(0)
        first_line = sample.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first_line.count)
        reader = csv.reader(handle, delimiter=delimiter)
        start = 1
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        workbook.close()


# -- cells ------------------------------------------------------------------------------------

_VN_DATE = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$"
)


def parse_datetime(value: object, *, end_of_day: bool = False) -> dt.datetime:
    """An instant: ISO 8601 (``2021-03-01 08:00``, ``2021-03-01T08:00:00+07:00``) or the
    Vietnamese day-first form (``01/03/2021 08:00``), or an Excel date cell. Without a zone
    it is local time (Asia/Ho_Chi_Minh). A date alone means 00:00, or with ``end_of_day``
    23:59:59 (a due date given as a day: a result that day is on time)."""
    if isinstance(value, dt.datetime):
        moment, date_only = value, False
    elif isinstance(value, dt.date):
        moment, date_only = dt.datetime.combine(value, dt.time()), True
    else:
        text = str(value).strip()
        date_only = len(text) <= 10
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            match = _VN_DATE.match(text)
            if match is None:
                raise CellError(
                    f"“{text[:40]}” không phải ngày giờ (dạng 2021-03-01 08:00 hoặc"
                    " 01/03/2021 08:00)."
                ) from None
            day, month, year, hour, minute, second = match.groups()
            date_only = hour is None
            try:
                moment = dt.datetime(
                    int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                    int(second or 0),
                )  # fmt: skip
            except ValueError:
                raise CellError(f"“{text[:40]}” không phải ngày có thật.") from None
    if date_only and end_of_day:
        moment = moment.replace(hour=23, minute=59, second=59)
    if moment.tzinfo is None:
        if moment.year >= ICT_FROM_YEAR:  # positional: faster than replace(tzinfo=…)
            m = moment
            moment = dt.datetime(
                m.year, m.month, m.day, m.hour, m.minute, m.second, m.microsecond, ICT
            )
        else:
            moment = moment.replace(tzinfo=VN)
    if not 1900 <= moment.year <= 2200:
        raise CellError(f"năm {moment.year} không hợp lệ.")
    return moment


_TRUE = frozenset({"1", "x", "true", "yes", "y", "co", "dung", "da"})
_FALSE = frozenset({"0", "2", "false", "no", "n", "khong", "chua", "sai"})


def parse_bool(value: object) -> bool:
    """Yes/no: 1/0, có/không, true/false, x; also the national portal's 1 = yes, 2 = no."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1, 2):
        return value == 1
    text = header_key(str(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"“{str(value)[:40]}” không phải có/không (1/0).")


def parse_int(value: object, *, maximum: int = MAX_INT) -> int:
    """A non-negative whole number (``1.500.000``, ``1,500,000`` and ``1500000`` alike)."""
    if isinstance(value, bool):
        raise CellError("cần một số nguyên.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"“{value}” không phải số nguyên.")
        number = int(value)
    else:
        text = re.sub(r"[\s.,_]", "", str(value))
        if not text.isdigit() or len(text) > 30:
            raise CellError(f"“{str(value)[:40]}” không phải số nguyên không âm.")
        number = int(text)
    if number < 0:
        raise CellError("không được âm.")
    if number > maximum:
        raise CellError(f"{number:,} vượt quá giới hạn {maximum:,}.".replace(",", "."))
    return number


class RowReader:
    """Reads the cells of one row, collecting every problem (line, column header, message)
    instead of stopping at the first: the import reports all of a file's errors at once."""

    def __init__(self, line: int, raw: dict, columns: dict[str, Column]) -> None:
        self.line, self.raw, self.columns = line, raw, columns
        self.errors: list[Problem] = []

    def get(self, key: str, parse):
        """The parsed cell, or None when the column is absent or the cell is wrong."""
        if key not in self.raw:
            return None
        try:
            return parse(self.raw[key])
        except CellError as exc:
            self.errors.append(Problem(self.line, self.columns[key].header, str(exc)))
            return None

    def text(self, key: str) -> str:
        return self.get(key, lambda v: parse_text(v, self.columns[key].max_length)) or ""


def parse_text(value: object, max_length: int | None) -> str:
    text = str(value).strip()
    if max_length is not None and len(text) > max_length:
        raise CellError(f"dài {len(text)} ký tự, tối đa {max_length}.")
    if "\x00" in text:
        raise CellError("chứa ký tự NUL.")
    return text


def parse_choice(value: object, choices: dict[str, str], what: str) -> str:
    """One of ``choices`` (normalised spelling → value); the message lists the English keys."""
    key = header_key(str(value))
    if isinstance(value, float) and value.is_integer():
        key = str(int(value))
    found = choices.get(key)
    if found is None:
        known = ", ".join(sorted({v for v in choices.values()}))
        raise CellError(f"{what} “{str(value)[:40]}” không hợp lệ (nhận: {known}).")
    return found


Interval = tuple[dt.datetime, dt.datetime | None]


def parse_pauses(value: object) -> list[Interval]:
    """Paused intervals (supplement rounds): ``request/completion`` pairs separated by ``;``,
    e.g. ``2021-03-01 08:00/2021-03-05 10:00; 2021-04-02 09:00/``: an empty completion is a
    pause still open. In order, not overlapping."""
    out: list[Interval] = []
    for part in str(value).split(";"):
        part = part.strip()
        if not part:
            continue
        if part.count("/") in (1, 3, 5):  # ISO halves, or day-first halves
            start_text, end_text = _split_interval(part)
        else:
            raise CellError(
                f"“{part[:60]}”: mỗi lần tạm dừng ghi “ngày yêu cầu/ngày bổ sung”, cách nhau"
                " bởi dấu chấm phẩy."
            )
        start = parse_datetime(start_text)
        end = parse_datetime(end_text) if end_text.strip() else None
        if end is not None and end < start:
            raise CellError(f"“{part[:60]}”: ngày bổ sung trước ngày yêu cầu.")
        if out and (out[-1][1] is None or start < out[-1][1]):
            raise CellError("các lần tạm dừng phải theo thứ tự và không chồng lên nhau.")
        out.append((start, end))
    return out


def _split_interval(part: str) -> tuple[str, str]:
    if part.count("/") == 1:
        start, end = part.split("/")
        return start, end
    # day-first dates: "01/03/2021 08:00/05/03/2021 10:00": the third slash separates
    pieces = part.split("/")
    return "/".join(pieces[:3]), "/".join(pieces[3:])


Parser = Callable[[object], object]
