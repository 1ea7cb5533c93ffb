"""stats.index766: worked examples computed by hand from kpi-766.md's own figures.

Each expected value is written with the arithmetic that gives it; nothing here is produced by
the code under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.stats.index766 import (
    CertifiedCopy,
    OnlineOfferChildren,
    ScoringOptions,
    score_index,
)
from motcua.stats.types import Counts, Period, Scope

D = Decimal
PORTAL = ScoringOptions()  # the defaults: portal-matching
PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31), "Quý I/2026")


def index(counts, *, is_root=True, options=PORTAL):
    return score_index(
        counts,
        scope=Scope("H44"),
        period=PERIOD,
        received_only=False,
        provisional=False,
        is_root=is_root,
        options=options,
    )


def ind(result, code):
    return next(i for g in result.groups for i in g.indicators if i.code == code)


def group(result, key):
    return next(g for g in result.groups if g.key == key)


def test_progress_province_example():
    # §2.1 / §5.4: HANDLED = 184,513; on time 144,625; on time without negative feedback 144,574.
    r = index({"2.1": Counts(144_625, 184_513), "5.4": Counts(144_574, 184_513)})
    # 2.1: 20 × 144,625 / 184,513 = 20 × 0.783820… = 15.6764… → 15.68
    assert ind(r, "2.1").score == D("15.68")
    assert ind(r, "2.1").ratio == D("0.7838")
    # 5.4: 6 × (144,574 / 184,513) / 0.90 = 6 × 0.783543… / 0.9 = 5.2236… → 5.22
    assert ind(r, "5.4").score == D("5.22")


def test_progress_with_the_5_4_numerator():
    # the brief's variant: 20 × 144,574 / 184,513 = 20 × 0.783543… = 15.6708… → 15.67
    assert ind(index({"2.1": Counts(144_574, 184_513)}), "2.1").score == D("15.67")


@pytest.mark.parametrize(
    ("c31", "c32", "c33", "sync", "expected"),
    [
        # §3 observations 1, 2, 5 (8.8252 → 8.83, 8.4140 → 8.41, 12). Counts built by hand:
        # 3.1: 72/89 = 0.809 ≥ 0.80 → 2.00; 3.2: 4 × 2,063/10,000 = 0.8252 → 0.83;
        # 3.3: (990/1,000) × sync 0.95 = 0.9405 ≥ 0.50 → 6.00; 2.00 + 0.83 + 6.00 = 8.83
        ((72, 89), (2_063, 10_000), (990, 1_000), (95, 100), D("8.83")),
        # 3.2: 4 × 1,035/10,000 = 0.414 → 0.41; 2.00 + 0.41 + 6.00 = 8.41
        ((72, 89), (1_035, 10_000), (990, 1_000), (95, 100), D("8.41")),
        # 3.1 below 80 %: 2 × (40/56) / 0.8 = 1.7857… → 1.79; 3.2: 4 × 0.25 = 1.00;
        # 3.3: (40/100) × 1.0 / 0.5 × 6 = 4.80; 1.79 + 1.00 + 4.80 = 7.59
        ((40, 56), (1, 4), (40, 100), (7, 7), D("7.59")),
        # every component saturates → 12
        ((89, 89), (50, 50), (80, 100), (1, 1), D("12.00")),
    ],
)
def test_online_group(c31, c32, c33, sync, expected):
    r = index({"3.1": Counts(*c31), "3.2": Counts(*c32), "3.3": Counts(*c33), "1.4": Counts(*sync)})
    assert group(r, "online").score == expected


def test_online_children_score_zero_for_3_1():
    counts = {"3.1": Counts(89, 89), "3.2": Counts(1, 2), "3.3": Counts(1, 1), "1.4": Counts(1, 1)}
    child = index(counts, is_root=False)
    # observed: children fit 3.2 + 3.3 only: 0 + 4 × 0.5 + 6 = 8
    assert ind(child, "3.1").score == D("0.00")
    assert ind(child, "3.1").ratio == D(1)  # the ratio is still shown
    assert group(child, "online").score == D("8.00")
    scored = index(counts, is_root=False, options=ScoringOptions(
        online_offer_children=OnlineOfferChildren.SCORED))  # fmt: skip
    assert group(scored, "online").score == D("10.00")


def test_online_share_sync_factor():
    # 3.3 = (30/100) × sync 0.5 = 0.15; 6 × 0.15 / 0.5 = 1.80
    counts = {"3.3": Counts(30, 100), "1.4": Counts(50, 100)}
    assert ind(index(counts), "3.3").score == D("1.80")
    # switched off: 6 × 0.30 / 0.5 = 3.60
    off = index(counts, options=ScoringOptions(sync_factor=False))
    assert ind(off, "3.3").score == D("3.60")
    # no sync data: the factor is not applied and the missing input is named
    no_sync = ind(index({"3.3": Counts(30, 100)}), "3.3")
    assert no_sync.score == D("3.60")
    assert any("1.4" in m for m in no_sync.missing)


@pytest.mark.parametrize(
    ("c35", "c35b", "c36", "expected"),
    [
        # §4: 2 + 2 + 6. 3.6: 6 × 3,757/10,000 = 2.2542 → 2.25; 2 + 2 + 2.25 = 6.25
        ((80, 100), (9, 10), (3_757, 10_000), D("6.25")),
        # 3.6: 6 × 11/18 = 3.6667 → 3.67; 2 + 2 + 3.67 = 7.67
        ((56, 56), (93, 93), (11, 18), D("7.67")),
        # the 2-point cap: 3.5: 2 × 0.9 / 0.8 = 2.25 → capped 2; 3.6: 6 × 2/3 = 4; total 8
        ((9, 10), (9, 10), (2, 3), D("8.00")),
        # 3.5: 2 × (56/93) / 0.8 = 1.5053… → 1.51; 3.5b: 2 × (1/2) / 0.8 = 1.25; 3.6 = 0
        ((56, 93), (1, 2), (0, 10), D("2.76")),
    ],
)
def test_payment_group(c35, c35b, c36, expected):
    r = index({"3.5": Counts(*c35), "3.5b": Counts(*c35b), "3.6": Counts(*c36)})
    assert group(r, "payment").score == expected


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (90, 100, D("6.00")),  # exactly 90 % → full marks
        (89, 100, D("5.93")),  # 6 × 0.89 / 0.9 = 5.9333…
        (95, 100, D("6.00")),  # capped
        (0, 100, D("0.00")),
        (0, 0, D("0.00")),  # zero denominator → 0 (observed)
    ],
)
def test_dossier_satisfaction_threshold(num, den, expected):
    assert ind(index({"5.4": Counts(num, den)}), "5.4").score == expected


def test_zero_denominator_rules():
    zero = Counts(0, 0)
    r = index({code: zero for code in ("1.1", "2.1", "3.2", "3.6", "4.1", "5.2", "5.3", "5.4")})
    assert ind(r, "1.1").score is None and ind(r, "1.1").ratio is None  # null
    assert ind(r, "2.1").score == D("0.00") and ind(r, "2.1").ratio == D(0)  # 0
    assert ind(r, "3.2").score == D("0.00")
    assert ind(r, "3.6").score == D("0.00")
    assert ind(r, "4.1").score is None  # null
    assert ind(r, "5.2").score == D("6.00") and ind(r, "5.3").score == D("6.00")  # max
    assert ind(r, "5.4").score == D("0.00")
    # a unit with no petitions and no dossiers: 6 + 6 + 0 satisfaction, 2 digitisation (4.6)
    assert group(r, "satisfaction").score == D("12.00")
    assert group(r, "digitisation").score == D("2.00")


def test_null_counts_as_zero_in_the_group():
    # §1: "1.96 + 6 = 7.96 of 18": 1.3 = 2 × 49/50 = 1.96; 1.4 = 6 × 1; 1.1, 1.2 N/A (0/0)
    r = index({"1.1": Counts(0, 0), "1.2": Counts(0, 0), "1.3": Counts(49, 50),
               "1.4": Counts(10, 10)})  # fmt: skip
    assert group(r, "transparency").score == D("7.96")


def test_half_up_rounding_at_the_half_cent():
    # 20 × 1/160 = 0.125 exactly: HALF_UP gives 0.13 (HALF_EVEN would give 0.12)
    assert ind(index({"2.1": Counts(1, 160)}), "2.1").score == D("0.13")
    # 6 × 3/400 = 0.045 → 0.05 (3.6, linear)
    assert ind(index({"3.6": Counts(3, 400)}), "3.6").score == D("0.05")


def test_group_is_the_sum_of_rounded_indicators():
    # 2 × 1/3 / 0.8 = 0.8333… → 0.83 (3.5) ; 2 × 1/3 / 0.8 → 0.83 (3.5b); 6 × 1/3 = 2.00 (3.6)
    # sum of rounded = 3.66; the unrounded sum 3.6667 would round to 3.67
    r = index({"3.5": Counts(1, 3), "3.5b": Counts(1, 3), "3.6": Counts(1, 3)})
    assert group(r, "payment").score == D("3.66")
    assert r.total == D("3.66") + D("2.00")  # + 4.6's constant 2 points


def test_digitisation_linear_and_80_percent_variant():
    # §6 4.2: 80.06 % gave 3.20 on the portal: 4 × 0.8006 = 3.2024 → 3.20
    assert ind(index({"4.2": Counts(8_006, 10_000)}), "4.2").score == D("3.20")
    docx = index({"4.2": Counts(8_006, 10_000)}, options=ScoringOptions(digitised_target=D("0.80")))
    assert ind(docx, "4.2").score == D("4.00")


def test_certified_copy_fixed_or_metrics():
    fixed = ind(index({"4.6": Counts(1, 4)}), "4.6")
    assert fixed.score == D("2.00") and fixed.numerator is None and fixed.ratio == D(1)
    metrics = ScoringOptions(certified_copy=CertifiedCopy.METRICS)
    assert ind(index({"4.6": Counts(3, 4)}, options=metrics), "4.6").score == D("1.50")
    assert ind(index({"4.6": Counts(0, 0)}, options=metrics), "4.6").score is None


def test_missing_inputs_are_not_applicable_and_named():
    r = index({"1.1": Counts(None, None, missing=("quyết định công bố TTHC",))})
    one = ind(r, "1.1")
    assert one.score is None and one.missing == ("quyết định công bố TTHC",)
    assert ind(r, "2.1").score is None and ind(r, "2.1").missing  # not given at all
    # missing data never gets full marks, even where a zero denominator would
    assert ind(r, "5.2").score is None


def test_informational_indicators_have_no_points():
    r = index({"2.2": Counts(450, 100), "5.1": Counts(30, 120)})
    assert ind(r, "2.2").score is None and ind(r, "2.2").ratio == D("4.5")  # 4.5 WD average
    assert ind(r, "5.1").ratio == D("0.25") and not ind(r, "5.1").scored
    assert r.total == D("2.00")


def test_bad_counts_are_refused_or_capped():
    with pytest.raises(ValueError, match="unknown"):
        index({"9.9": Counts(1, 1)})
    with pytest.raises(ValueError, match="negative"):
        index({"2.1": Counts(-1, 10)})
    over = ind(index({"2.1": Counts(11, 10)}), "2.1")
    assert over.score == D("20.00") and over.ratio == D(1) and over.note


def test_options_from_settings(settings):
    settings.MOTCUA_STATS_766_SYNC_FACTOR = False
    settings.MOTCUA_STATS_766_DIGITISED_TARGET = "0.80"
    settings.MOTCUA_STATS_766_CERTIFIED_COPY = "metrics"
    settings.MOTCUA_STATS_766_ONLINE_OFFER_CHILDREN = "scored"
    assert ScoringOptions.from_settings() == ScoringOptions(
        sync_factor=False,
        digitised_target=D("0.80"),
        certified_copy=CertifiedCopy.METRICS,
        online_offer_children=OnlineOfferChildren.SCORED,
    )
    r = score_index({"4.2": Counts(8, 10)}, scope=Scope("H44"), period=PERIOD,
                    received_only=True, provisional=True, is_root=True)  # fmt: skip
    assert ind(r, "4.2").score == D("4.00") and r.received_only and r.provisional
