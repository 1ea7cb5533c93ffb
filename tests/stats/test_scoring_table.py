"""stats.index766: the reviewed indicator table agrees with kpi-766.md."""

from __future__ import annotations

from decimal import Decimal

from motcua.stats.index766 import BY_CODE, GROUPS, INDICATORS, TOTAL_MAX, ZeroRule

CODES = [
    "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.5", "3.5b", "3.6",
    "5.1", "5.2", "5.3", "5.4", "4.1", "4.2", "4.3", "4.4", "4.5a", "4.5b", "4.6",
]  # fmt: skip


def test_every_indicator_of_the_spec_once():
    assert [i.code for i in INDICATORS] == CODES


def test_group_maxima_are_the_spec_split_and_sum_to_100():
    # kpi-766.md §0.1: 18 / 20 / 12 / 10 / 18 / 22
    assert {g.key: g.max for g in GROUPS} == {
        "transparency": 18,
        "progress": 20,
        "online": 12,
        "payment": 10,
        "satisfaction": 18,
        "digitisation": 22,
    }
    assert TOTAL_MAX == 100
    for group in GROUPS:
        rows = [i for i in INDICATORS if i.group == group.key]
        assert sum(i.max for i in rows) == group.max, group.key


def test_targets_zero_rules_and_references():
    targets = {i.code: i.target for i in INDICATORS if i.target != 1}
    assert targets == {
        "3.1": Decimal("0.80"),
        "3.3": Decimal("0.50"),
        "3.5": Decimal("0.80"),
        "3.5b": Decimal("0.80"),
        "4.3": Decimal("0.80"),
        "5.4": Decimal("0.90"),
    }
    rules = {i.code: i.zero_rule for i in INDICATORS if i.scored}
    assert {c for c, r in rules.items() if r == ZeroRule.MAX} == {"5.2", "5.3"}
    assert {c for c, r in rules.items() if r == ZeroRule.ZERO} == {
        "2.1", "3.1", "3.2", "3.3", "3.5", "3.5b", "3.6", "5.4",
    }  # fmt: skip
    assert not BY_CODE["2.2"].scored and not BY_CODE["5.1"].scored
    assert BY_CODE["2.2"].max == 0 and BY_CODE["5.1"].max == 0
    for ind in INDICATORS:
        assert ind.spec_ref.startswith("kpi-766.md §"), ind.code
        assert ind.name_vi and ind.name_en and ind.key
    assert BY_CODE["5.4"].key == "DOSSIER_RECEIVING_SATISFACTION"
    assert BY_CODE["4.5a"].key == "CITIZEN_DATA_CONNECTED_FORMALITY"
