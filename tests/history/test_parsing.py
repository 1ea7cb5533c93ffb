"""The pure part of history imports: headers, cells, files (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.history import dossiers
from motcua.history.parsing import (
    VN,
    CellError,
    header_key,
    header_map,
    parse_bool,
    parse_datetime,
    parse_int,
    parse_pauses,
    parse_text,
    read_table,
)
from tests.history.conftest import write_csv, write_xlsx


@pytest.mark.parametrize("header", ["Mã hồ sơ", "MÃ HỒ SƠ", "ma ho so", "Ma_Ho_So", " code "])
def test_a_column_is_found_by_its_key_or_vietnamese_header_whatever_the_spelling(header):
    assert header_map(dossiers.COLUMNS)[header_key(header)].key == "code"


def test_every_vietnamese_header_and_alias_names_one_column_only():
    seen: dict[str, str] = {}
    for column in dossiers.COLUMNS:
        for name in (column.key, column.header, *column.aliases):
            assert seen.setdefault(header_key(name), column.key) == column.key, name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03-01 08:00", dt.datetime(2021, 3, 1, 8, 0, tzinfo=VN)),
        ("2021-03-01T08:00:30", dt.datetime(2021, 3, 1, 8, 0, 30, tzinfo=VN)),
        ("01/03/2021 08:00", dt.datetime(2021, 3, 1, 8, 0, tzinfo=VN)),
        ("1/3/2021 8:05:09", dt.datetime(2021, 3, 1, 8, 5, 9, tzinfo=VN)),
        ("01/03/2021", dt.datetime(2021, 3, 1, 0, 0, tzinfo=VN)),
        ("2021-03-01", dt.datetime(2021, 3, 1, 0, 0, tzinfo=VN)),
    ],
)
def test_datetimes_iso_or_day_first_are_local_time(text, expected):
    assert parse_datetime(text) == expected


def test_a_zone_given_is_kept_and_a_due_day_alone_means_the_end_of_that_day():
    assert parse_datetime("2021-03-01T01:00:00+00:00") == dt.datetime(2021, 3, 1, 8, 0, tzinfo=VN)
    assert parse_datetime("08/03/2021", end_of_day=True) == dt.datetime(
        2021, 3, 8, 23, 59, 59, tzinfo=VN
    )
    assert parse_datetime(dt.datetime(2021, 3, 1, 8, 0)) == dt.datetime(2021, 3, 1, 8, tzinfo=VN)


@pytest.mark.parametrize("text", ["31/02/2021", "hôm qua", "2021-13-01", "01/03/0021 08:00"])
def test_bad_datetimes_are_refused_in_vietnamese(text):
    with pytest.raises(CellError):
        parse_datetime(text)


def test_yes_no_accepts_vietnamese_and_the_national_1_2_flags():
    assert [parse_bool(v) for v in ("1", "Có", "x", "true", "2", "Không", "0", 1, 2)] == [
        True, True, True, True, False, False, False, True, False
    ]  # fmt: skip
    with pytest.raises(CellError):
        parse_bool("maybe")


def test_integers_refuse_negatives_fractions_and_huge_values():
    assert parse_int("1.500.000") == parse_int("1,500,000") == 1_500_000
    for bad in ("-5", "12.5x", "9" * 40, 1.5):
        with pytest.raises(CellError):
            parse_int(bad)
    with pytest.raises(CellError, match="vượt quá"):
        parse_int("600000000", maximum=500_000_000)


def test_text_longer_than_the_column_is_refused():
    assert parse_text(" abc ", 3) == "abc"
    with pytest.raises(CellError, match="tối đa 3"):
        parse_text("abcd", 3)


def test_pauses_iso_day_first_and_an_open_last_round():
    assert parse_pauses("2021-03-01 08:00/2021-03-05 10:00; 2021-04-02 09:00/") == [
        (dt.datetime(2021, 3, 1, 8, tzinfo=VN), dt.datetime(2021, 3, 5, 10, tzinfo=VN)),
        (dt.datetime(2021, 4, 2, 9, tzinfo=VN), None),
    ]
    assert parse_pauses("01/03/2021 08:00/05/03/2021 10:00") == [
        (dt.datetime(2021, 3, 1, 8, tzinfo=VN), dt.datetime(2021, 3, 5, 10, tzinfo=VN))
    ]
    for bad in (
        "2021-03-05 10:00/2021-03-01 08:00",  # ends before it starts
        "2021-03-01 08:00/2021-03-05 10:00;2021-03-04 08:00/2021-03-06 10:00",  # overlap
        "2021-03-01 08:00",  # no completion part
    ):
        with pytest.raises(CellError):
            parse_pauses(bad)


def test_csv_with_bom_and_semicolons_and_xlsx_read_the_same(tmp_path):
    header = ["Mã hồ sơ", "Mã thủ tục", "Ngày nộp", "Không biết"]
    rows = [["A-1", "1.004884", "2021-03-01 08:00", "?"], ["", "", "", ""]]
    csv_path = tmp_path / "a.csv"
    with csv_path.open("w", encoding="utf-8-sig") as handle:
        handle.write(";".join(header) + "\n" + "\n".join(";".join(r) for r in rows) + "\n")
    xlsx = read_table(write_xlsx(tmp_path / "a.xlsx", header, rows), dossiers.COLUMNS)
    csv_table = read_table(csv_path, dossiers.COLUMNS)
    for table in (xlsx, csv_table):
        # the empty row is skipped; the unknown column is reported as ignored
        assert table.rows == [
            (2, {"code": "A-1", "procedure": "1.004884", "submitted_at": "2021-03-01 08:00"})
        ]
        assert table.ignored == ["Không biết"]
        # required columns missing from the header: reported on line 1 by their Vietnamese name
        assert {p.column for p in table.problems} >= {"Mã cơ quan tiếp nhận", "Trạng thái"}
        assert all(p.line == 1 for p in table.problems)


def test_a_multiline_cell_keeps_the_line_numbers_of_the_file(tmp_path):
    path = write_csv(tmp_path / "m.csv", ["code", "note"], [["A", "two\nlines"], ["B", "x"]])
    table = read_table(path, dossiers.COLUMNS)
    assert [line for line, _ in table.rows] == [2, 4]


def test_a_file_not_in_utf8_is_refused_clearly(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"M\xe3 h\xf4 s\xf4\nA\n")  # a legacy 8-bit encoding
    table = read_table(path, dossiers.COLUMNS)
    assert "UTF-8" in str(table.problems[0])


def test_the_documentation_lists_every_column():
    from pathlib import Path

    from motcua.history import feedback, ratings

    text = (Path(__file__).resolve().parents[2] / "docs/history-import.md").read_text()
    for module in (dossiers, feedback, ratings):
        for column in module.COLUMNS:
            assert f"| `{column.key}` | {column.header}" in text, column.key
