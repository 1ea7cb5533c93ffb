"""Pure rules of the PAR index (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from motcua.reform.index_rules import (
    TRANSITIONS,
    Actor,
    Kind,
    Rule,
    Status,
    SubRule,
    band_for,
    check_bands,
    check_before_deadline,
    check_points,
    check_transition,
    parse_levels,
    rank,
    ratio_points,
    total,
)
from motcua.reform.rules import Conflict, InvalidInput

BANDS = [("Tốt", D(80)), ("Khá", D(70)), ("Trung bình", D(50)), ("Yếu", D(0))]


def test_levels_full_partial_zero():
    sub = SubRule("1.1.1", D(2), rule=Rule.LEVELS, levels=parse_levels("1;0.5;0"))
    assert [check_points(sub, D(p)) for p in ("2", "1", "0")] == [D(2), D(1), D(0)]
    with pytest.raises(InvalidInput) as exc:
        check_points(sub, D("1.5"))
    assert "2.00, 1.00, 0.00" in exc.value.message


@pytest.mark.parametrize("points", ["-0.5", "3.01", "1.005"])
def test_points_out_of_range_or_too_precise_are_refused(points):
    with pytest.raises(InvalidInput):
        check_points(SubRule("1.1.1", D(3)), D(points))


def test_ratio_points_full_at_a_threshold_and_capped():
    sub = SubRule("8.1.1", D(9), rule=Rule.RATIO, full_at=D("0.9"))
    assert ratio_points(sub, D("0.45")) == D("4.50")
    assert ratio_points(sub, D("0.95")) == D(9)  # above the threshold: the maximum, no more
    with pytest.raises(InvalidInput):
        ratio_points(sub, D("1.2"))


def test_bonus_and_penalty_are_capped_and_total_stays_within_the_maximum():
    a, b = SubRule("1", D(60)), SubRule("2", D(40))
    bonus = [SubRule(f"b{i}", D(2), kind=Kind.BONUS) for i in range(3)]
    penalty = [SubRule(f"p{i}", D(2), kind=Kind.PENALTY) for i in range(2)]
    t = total(
        [(a, D(50)), (b, D(30))] + [(s, D(2)) for s in bonus] + [(s, D(2)) for s in penalty],
        bonus_cap=D(3),
        penalty_cap=D(1),
    )
    assert (t.scored, t.bonus, t.penalty, t.points, t.maximum) == (D(80), D(3), D(1), D(82), D(100))
    assert t.index == D("82.00")
    full = total([(a, D(60)), (b, D(40)), (bonus[0], D(2))], bonus_cap=D(5), penalty_cap=D(0))
    assert full.points == D(100) and full.index == D(100)  # never above the maximum
    low = total([(a, D(0)), (penalty[0], D(2))], bonus_cap=D(0), penalty_cap=D(5))
    assert low.points == D(0)  # never below zero
    missing = total([(a, None), (b, D(20))], bonus_cap=D(0), penalty_cap=D(0))
    assert missing.index == D(20)  # what nobody scored counts zero


@pytest.mark.parametrize(
    ("index", "band"),
    [
        ("100", "Tốt"),
        ("80", "Tốt"),
        ("79.99", "Khá"),
        ("70", "Khá"),
        ("50", "Trung bình"),
        ("49.99", "Yếu"),
        ("0", "Yếu"),
    ],
)
def test_bands_by_their_cutoffs(index, band):
    assert band_for(D(index), BANDS) == band


def test_bands_need_distinct_labels_and_cutoffs():
    check_bands(BANDS)
    for bad in ([], [("A", D(80)), ("A", D(70))], [("A", D(80)), ("B", D(80))], [("A", D(120))]):
        with pytest.raises(InvalidInput):
            check_bands(bad)
    assert band_for(D(40), [("Xuất sắc", D(90)), ("Tốt", D(80))]) == ""  # no band reached


def test_ranking_with_ties():
    ranks = rank([("a", D(90)), ("b", D(85)), ("c", D(85)), ("d", D(70)), ("e", D(90))])
    assert ranks == {"a": 1, "e": 1, "b": 3, "c": 3, "d": 5}
    assert rank([]) == {}


def test_the_transition_table_has_a_basis_and_an_actor_on_every_row():
    assert all(t.basis and t.actor in Actor.values for t in TRANSITIONS)
    assert len({(t.source, t.target) for t in TRANSITIONS}) == len(TRANSITIONS)
    row = check_transition(Status.SELF_ASSESSING, Status.SUBMITTED, Actor.UNIT)
    assert "1149" in row.basis
    with pytest.raises(Conflict):  # the unit cannot appraise itself
        check_transition(Status.SUBMITTED, Status.APPRAISED, Actor.UNIT)
    with pytest.raises(Conflict):  # nor skip the appraisal
        check_transition(Status.SELF_ASSESSING, Status.FINAL, Actor.COUNCIL)
    with pytest.raises(Conflict):  # only the office publishes, and only final results
        check_transition(Status.APPRAISED, Status.PUBLISHED, Actor.OFFICE)


def test_the_deadline_is_inclusive():
    check_before_deadline(dt.date(2021, 1, 15), dt.date(2021, 1, 15))
    check_before_deadline(None, dt.date(2030, 1, 1))
    with pytest.raises(Conflict):
        check_before_deadline(dt.date(2021, 1, 15), dt.date(2021, 1, 16))
