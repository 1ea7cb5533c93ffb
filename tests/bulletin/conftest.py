"""A small province (the reform tests' world) and a fake provider of the register figures the
bulletin prints, standing in for the registers' and certificates' own providers for the test only
(their real figures are checked on the 2021 data set in test_seed.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.core import figures
from motcua.core.figures import FLOW, Figure, FigureQuery
from tests.reform.conftest import World, make_world

START, END = dt.date(2021, 1, 1), dt.date(2021, 9, 30)
FAKE = {
    "registers.legal.appraised_resolution_drafts": 12,
    "registers.legal.appraised_decision_drafts": 23,
    "registers.meetings.total": 534,
    "registers.training.classes": None,  # no record covers it: prints "—"
    "certificates.personal.issued": 2114,
    "registers.finance.autonomous_public_units": Decimal("539"),
}


def fake_provider(query: FigureQuery):
    for key, value in FAKE.items():
        yield Figure(
            key,
            f"nhãn {key}",
            value,
            "",
            FLOW,
            "sổ đăng ký thử",
            f"/desk/registers/{key}/?from={query.start}&to={query.end}",
        )


@pytest.fixture
def fake_registers(monkeypatch):
    for real in ("registers", "certificates"):
        monkeypatch.delitem(figures._providers, real, raising=False)
    monkeypatch.setitem(figures._providers, "fake", fake_provider)
    return FAKE


@pytest.fixture
def world(db) -> World:
    return make_world()
