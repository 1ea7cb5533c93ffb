"""Parsing of override rows and CSV files (pure)."""

import io
from datetime import date

import pytest

from motcua.workcalendar.officehours import parse_clock
from motcua.workcalendar.overrides import DAY_OFF, WORKING_DAY, parse_csv, parse_rows


def test_parse_csv_accepts_iso_and_vietnamese_dates_and_skips_blank_lines():
    text = (
        "date,kind,name,reference\n"
        "2025-04-26,working_day,Làm bù,Thông báo 6150/TB-BLĐTBXH\n"
        "\n"
        "02/05/2025,DAY_OFF,Nghỉ bù,\n"
    )
    rows, errors = parse_csv(io.StringIO(text))
    assert errors == []
    assert [(r.line, r.date, r.kind) for r in rows] == [
        (2, date(2025, 4, 26), WORKING_DAY),
        (4, date(2025, 5, 2), DAY_OFF),
    ]
    assert rows[0].reference == "Thông báo 6150/TB-BLĐTBXH"


def test_parse_csv_reports_every_bad_line_in_vietnamese():
    text = (
        "date,kind,name,reference\n"
        "2025-13-01,day_off,X,\n"
        "2025-05-02,holiday,X,\n"
        "2025-05-03,day_off,,\n"
        "2025-05-04,day_off,ok,\n"
        "2025-05-04,working_day,again,\n"
        "2025-05-05,day_off,x,y,z\n"
        "0225-05-06,day_off,x,\n"
    )
    rows, errors = parse_csv(io.StringIO(text))
    assert [e.line for e in errors] == [2, 3, 4, 6, 7, 8]
    messages = [str(e) for e in errors]
    assert messages[0].startswith("dòng 2: ngày không hợp lệ")
    assert "loại không hợp lệ" in messages[1]
    assert "thiếu giá trị cột name" in messages[2]
    assert "trùng với dòng 5" in messages[3]
    assert "thừa cột" in messages[4]
    assert "năm 225" in messages[5]
    assert [r.line for r in rows] == [5]


def test_parse_csv_requires_header_columns():
    rows, errors = parse_csv(io.StringIO("ngay,loai\n2025-01-01,day_off\n"))
    assert rows == []
    assert len(errors) == 1
    assert errors[0].line == 1
    assert "thiếu cột date, kind, name" in errors[0].message


def test_parse_rows_numbers_dict_rows_like_a_csv():
    rows, errors = parse_rows(
        [
            {"date": "2025-01-02", "kind": "day_off", "name": "A"},
            {"date": "x", "kind": "", "name": ""},
        ]
    )
    assert [r.line for r in rows] == [2]
    assert [e.line for e in errors] == [3]


def test_parse_clock():
    assert parse_clock("15:00").hour == 15
    with pytest.raises(ValueError, match="Giờ không hợp lệ"):
        parse_clock("25:00")
    with pytest.raises(ValueError, match="Giờ không hợp lệ"):
        parse_clock("3pm")
