"""stats.satisfaction: ratings by level and channel, and per agency, officer, procedure, desk,
equal to hand counts (March 2021)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.ratings.models import KioskDevice, Rating
from motcua.stats import satisfaction
from motcua.stats.periods import parse_period
from motcua.stats.types import Scope
from tests.dossiers.conftest import make_world, submit
from tests.helpers import at

MARCH = parse_period("2021-03", today=dt.date(2026, 11, 30))
DISTRICT = Scope("000.00.21.H13")


def _rate(when, **kw) -> Rating:
    rating = Rating.objects.create(**kw)
    Rating.objects.filter(pk=rating.pk).update(created_at=when)  # a rating's own date
    return rating


@pytest.fixture
def ratings(db):
    w = make_world()
    d1 = submit(w, when=at(2021, 3, 1))
    d2 = submit(w, agency=w.b, when=at(2021, 3, 2))
    desk = KioskDevice.objects.create(name="Quầy 1", agency=w.a, token_hash="x" * 64)
    _rate(at(2021, 3, 10), dossier_id=d1, agency=w.a, level="very_satisfied", channel="online",
          officer=w.desk_officer_a)  # fmt: skip
    _rate(at(2021, 3, 12), agency=w.a, level="satisfied", channel="kiosk", device=desk,
          officer=w.desk_officer_a)  # fmt: skip
    _rate(at(2021, 3, 15), agency=w.a, level="not_satisfied", channel="kiosk", device=desk)
    _rate(at(2021, 3, 31, 23, 59), dossier_id=d2, agency=w.b, level="satisfied", channel="online")
    _rate(at(2021, 4, 1, 0, 0), agency=w.a, level="not_satisfied", channel="kiosk", device=desk)
    _rate(at(2021, 2, 28, 23, 59), agency=w.a, level="not_satisfied", channel="online")
    return w, desk


def test_figures_by_level_and_channel(ratings):
    f = satisfaction.satisfaction_figures(DISTRICT, MARCH)
    assert f.total == 4
    assert f.by_level == {"very_satisfied": 1, "satisfied": 2, "not_satisfied": 1}
    assert f.by_channel == {
        "online": {"very_satisfied": 1, "satisfied": 1, "not_satisfied": 0},
        "kiosk": {"very_satisfied": 0, "satisfied": 1, "not_satisfied": 1},
    }
    assert satisfaction.satisfied_share(f) == Decimal(3) / Decimal(4)


def test_scope(ratings):
    a = satisfaction.satisfaction_figures(Scope("000.01.21.H13"), MARCH)
    assert a.total == 3
    assert (
        satisfaction.satisfaction_figures(Scope("000.00.21.H13", subtree=False), MARCH).total == 0
    )
    empty = satisfaction.satisfaction_figures(
        DISTRICT, parse_period("2021-05", today=dt.date(2026, 1, 1))
    )
    assert empty.total == 0 and empty.by_level == {
        "very_satisfied": 0,
        "satisfied": 0,
        "not_satisfied": 0,
    }
    assert satisfaction.satisfied_share(empty) is None


def test_breakdowns(ratings):
    w, desk = ratings
    by_agency = {
        r.key: r.figures.total
        for r in satisfaction.satisfaction_breakdown(DISTRICT, MARCH, "agency")
    }
    assert by_agency == {"000.01.21.H13": 3, "000.02.21.H13": 1}
    officers = satisfaction.satisfaction_breakdown(DISTRICT, MARCH, "officer")
    assert [(r.key, r.label_vi, r.figures.total) for r in officers] == [
        ("", "Không ghi nhận cán bộ", 2),
        (str(w.desk_officer_a.pk), "desk_officer_a", 2),
    ]
    procedures = {
        r.key: r for r in satisfaction.satisfaction_breakdown(DISTRICT, MARCH, "procedure")
    }
    assert procedures[str(w.procedure.pk)].figures.total == 2
    assert procedures[str(w.procedure.pk)].label_vi == "Thủ tục đăng ký lại khai sinh"
    assert procedures[""].figures.total == 2
    desks = {r.key: r for r in satisfaction.satisfaction_breakdown(DISTRICT, MARCH, "desk")}
    assert desks[str(desk.pk)].label_vi == "Quầy 1"
    assert desks[str(desk.pk)].figures.by_channel["kiosk"]["not_satisfied"] == 1
    assert desks[""].figures.total == 2  # online ratings
    with pytest.raises(ValueError, match="Không thống kê được"):
        satisfaction.satisfaction_breakdown(DISTRICT, MARCH, "question")
