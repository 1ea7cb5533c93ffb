"""One field value from a form or an Excel cell: typed and bounded, or a Vietnamese reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.registers.registry import REGISTERS
from motcua.registers.values import coerce

COUNT = REGISTERS["streamlining"].field("public_employees")
VALUE = REGISTERS["outside"].field("value")
DATE = REGISTERS["meetings"].field("date")
LEVEL = REGISTERS["meetings"].field("level")
FLAG = REGISTERS["legal"].field("errors_found")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.841", 1841), ("1,841", 1841), (" 69 ", 69), (69.0, 69), ("", 0), (None, 0)],
)
def test_counts_accept_thousands_separators(raw, expected):
    assert (coerce(COUNT, raw) or 0) == expected


@pytest.mark.parametrize(
    "raw", ["1,5", "1.5", 1.5, "-1", "1e3", "9" * 16, True, "1.84", "١٢", 10**7]
)
def test_counts_refuse_fractions_negatives_and_huge_numbers(raw):
    with pytest.raises(ValueError):
        coerce(COUNT, raw)


def test_decimals_dates_choices_and_flags():
    assert coerce(VALUE, "699") == Decimal("699.00")
    for bad in ("NaN", "-inf", "1e300", "-1"):
        with pytest.raises(ValueError):
            coerce(VALUE, bad)
    assert coerce(DATE, "15/09/2021") == dt.date(2021, 9, 15)
    assert coerce(DATE, dt.datetime(2021, 9, 15, 8, 0)) == dt.date(2021, 9, 15)
    for bad in ("31/02/2021", "01/01/1999", "9999-12-31", "x" * 100):
        with pytest.raises(ValueError):
            coerce(DATE, bad)
    assert coerce(LEVEL, "CẤP QUẬN, HUYỆN") == coerce(LEVEL, "district") == "district"
    with pytest.raises(ValueError):
        coerce(LEVEL, "trung ương")
    assert coerce(FLAG, "x") is True and coerce(FLAG, "") is False and coerce(FLAG, None) is False
    with pytest.raises(ValueError):
        coerce(FLAG, "có lẽ")
