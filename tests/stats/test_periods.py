"""stats.periods: period specs, labels, month splits, provisional periods and bounds."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.dateparams import MAX_YEAR, MIN_YEAR, DateParamError
from motcua.stats.periods import (
    PeriodError,
    bounds,
    cutoff,
    display_label,
    is_provisional,
    months,
    parse_period,
)
from tests.helpers import VN, at

TODAY = dt.date(2026, 11, 30)
D = dt.date


@pytest.mark.parametrize(
    ("spec", "start", "end", "label", "label_en", "key"),
    [
        ("2021", D(2021, 1, 1), D(2021, 12, 31), "Năm 2021", "Year 2021", "2021"),
        ("2021-05", D(2021, 5, 1), D(2021, 5, 31), "Tháng 5/2021", "May 2021", "2021-05"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "Tháng 2/2024", "February 2024", "2024-02"),
        ("2021-Q3", D(2021, 7, 1), D(2021, 9, 30), "Quý III/2021", "Q3 2021", "2021-Q3"),
        ("2021-q4", D(2021, 10, 1), D(2021, 12, 31), "Quý IV/2021", "Q4 2021", "2021-Q4"),
        (
            "2021-H1",
            D(2021, 1, 1),
            D(2021, 6, 30),
            "6 tháng đầu năm 2021",
            "First half of 2021",
            "2021-H1",
        ),
        (
            "2021-H2",
            D(2021, 7, 1),
            D(2021, 12, 31),
            "6 tháng cuối năm 2021",
            "Second half of 2021",
            "2021-H2",
        ),
        (
            " 2021-01-01..2021-09-30 ",
            D(2021, 1, 1),
            D(2021, 9, 30),
            "9 tháng đầu năm 2021",
            "First 9 months of 2021",
            "2021-01-01..2021-09-30",
        ),
        (
            "2021-03-10..2021-04-20",
            D(2021, 3, 10),
            D(2021, 4, 20),
            "Từ 10/03/2021 đến 20/04/2021",
            "From 10/03/2021 to 20/04/2021",
            "2021-03-10..2021-04-20",
        ),
    ],
)
def test_calendar_periods(spec, start, end, label, label_en, key):
    period = parse_period(spec, today=TODAY)
    assert (period.start, period.end, period.label, period.label_en, period.key) == (
        start,
        end,
        label,
        label_en,
        key,
    )


@pytest.mark.parametrize(
    ("spec", "start", "end", "key", "label"),
    [
        # Official Letter 581/BNV-CCHC data windows (domain.md, "Periodic PAR reports")
        ("2021-BC-Q1", D(2020, 12, 15), D(2021, 3, 14), "2021-BC-Q1", "Báo cáo quý I/2021"),
        ("2021-bc-6t", D(2020, 12, 15), D(2021, 6, 14), "2021-BC-6T", "Báo cáo 6 tháng đầu"),
        ("2021-BC-H1", D(2020, 12, 15), D(2021, 6, 14), "2021-BC-6T", "Báo cáo 6 tháng đầu"),
        ("2021-BC-Q3", D(2021, 6, 15), D(2021, 9, 14), "2021-BC-Q3", "Báo cáo quý III/2021"),
        ("2021-BC-NAM", D(2020, 12, 15), D(2021, 12, 14), "2021-BC-NAM", "Báo cáo năm 2021"),
        ("2021-BC-Y", D(2020, 12, 15), D(2021, 12, 14), "2021-BC-NAM", "Báo cáo năm 2021"),
    ],
)
def test_ministry_report_windows(spec, start, end, key, label):
    period = parse_period(spec, today=TODAY)
    assert (period.start, period.end, period.key, period.kind) == (start, end, key, "report")
    assert period.label.startswith(label)
    assert f"{start:%d/%m/%Y}" in period.label and f"{end:%d/%m/%Y}" in period.label_en


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        ("", "invalid_period"),
        ("2021-13", "invalid_period"),
        ("2021-00", "invalid_period"),
        ("2021-Q5", "invalid_period"),
        ("2021-H3", "invalid_period"),
        ("2021-BC-Q2", "invalid_period"),
        ("21-05", "invalid_period"),
        ("2021-02-30..2021-03-01", "invalid_period"),
        ("2021-05-01..2021-04-01", "range_reversed"),
        ("2021-01-01..2027-01-01", "range_too_long"),
        ("1999", "period_out_of_range"),
        (f"{MAX_YEAR + 1}-Q1", "period_out_of_range"),
        ("9999-12", "period_out_of_range"),
        ("0001-01-01..0001-01-31", "period_out_of_range"),
        (f"{MIN_YEAR}-BC-Q1", "period_out_of_range"),  # starts in December of MIN_YEAR - 1
        ("x" * 500, "invalid_period"),
        ("2026-12", "period_in_future"),
    ],
)
def test_bad_specs_are_clear_vietnamese_errors(spec, code):
    with pytest.raises(PeriodError) as info:
        parse_period(spec, today=TODAY)
    assert info.value.code == code
    assert isinstance(info.value, DateParamError) and isinstance(info.value, ValueError)
    assert (
        "Kỳ báo cáo" in info.value.message
        or "Khoảng thời gian" in info.value.message
        or ("Ngày kết thúc" in info.value.message)
    )
    assert len(info.value.message) < 300


def test_month_split_clips_report_windows():
    parts = months(parse_period("2021-BC-Q1", today=TODAY))
    assert [(p.start, p.end) for p in parts] == [
        (D(2020, 12, 15), D(2020, 12, 31)),
        (D(2021, 1, 1), D(2021, 1, 31)),
        (D(2021, 2, 1), D(2021, 2, 28)),
        (D(2021, 3, 1), D(2021, 3, 14)),
    ]
    assert parts[0].label == "Tháng 12/2020 (15/12–31/12)"
    assert parts[1].label == "Tháng 1/2021" and parts[1].key == "2021-01"
    assert [p.label for p in months(parse_period("2021-01-01..2021-09-30", today=TODAY))][
        -1
    ] == "Tháng 9/2021"


@given(
    st.dates(min_value=D(MIN_YEAR, 1, 1), max_value=D(MAX_YEAR, 12, 31)),
    st.integers(min_value=0, max_value=800),
)
def test_month_split_covers_the_period_exactly(start, days):
    end = min(start + dt.timedelta(days=days), D(MAX_YEAR, 12, 31))
    period = parse_period(f"{start}..{end}", today=D(MAX_YEAR, 12, 31))
    parts = months(period)
    assert parts[0].start == period.start and parts[-1].end == period.end
    for before, after in itertools.pairwise(parts):
        assert after.start == before.end + dt.timedelta(days=1)
        assert after.start.day == 1
    assert sum((p.end - p.start).days + 1 for p in parts) == (end - start).days + 1


def test_provisional_while_the_period_is_open():
    quarter = parse_period("2026-Q4", today=TODAY)
    assert is_provisional(quarter, TODAY)
    assert display_label(quarter, TODAY) == "Quý IV/2026 (tạm tính)"
    assert display_label(quarter, TODAY, english=True) == "Q4 2026 (provisional)"
    closed = parse_period("2026-Q3", today=TODAY)
    assert not is_provisional(closed, TODAY)
    assert display_label(closed, TODAY) == "Quý III/2026"
    # the last day still belongs to the period
    assert is_provisional(closed, D(2026, 9, 30))


def test_bounds_and_cutoff_in_local_time():
    period = parse_period("2021-05", today=TODAY)
    lo, hi = bounds(period, VN)
    assert lo == at(2021, 5, 1, 0, 0) and hi == at(2021, 6, 1, 0, 0)
    assert cutoff(period, at(2026, 1, 1), VN) == hi
    assert cutoff(period, at(2021, 5, 10), VN) == at(2021, 5, 10)
