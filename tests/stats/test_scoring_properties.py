"""stats.index766 under hypothesis: scores stay in [0, max], groups and the total add up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.stats.index766 import (
    BY_CODE,
    CertifiedCopy,
    OnlineOfferChildren,
    ScoringOptions,
    score_index,
)
from motcua.stats.types import Counts, Period, Scope


@st.composite
def counts(draw):
    kind = draw(st.sampled_from(["pair", "pair", "pair", "zero", "missing", "num_missing"]))
    if kind == "zero":
        return Counts(0, 0)
    if kind == "missing":
        return Counts(None, None, missing=("x",))
    den = draw(st.integers(min_value=1, max_value=10_000_000))
    if kind == "num_missing":
        return Counts(None, den, missing=("x",))
    return Counts(draw(st.integers(min_value=0, max_value=den)), den)


options = st.builds(
    ScoringOptions,
    sync_factor=st.booleans(),
    digitised_target=st.sampled_from([Decimal(1), Decimal("0.80"), Decimal("0.5")]),
    certified_copy=st.sampled_from(list(CertifiedCopy)),
    online_offer_children=st.sampled_from(list(OnlineOfferChildren)),
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted(BY_CODE)), counts()),
    st.booleans(),
    options,
)
def test_scores_within_bounds_and_totals_add_up(inputs, is_root, opts):
    result = score_index(
        inputs,
        scope=Scope("H44"),
        period=Period(dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        received_only=False,
        provisional=False,
        is_root=is_root,
        options=opts,
    )
    total = Decimal(0)
    for group in result.groups:
        assert Decimal(0) <= group.score <= group.max
        scores = [i.score for i in group.indicators if i.score is not None]
        assert group.score == sum(scores, Decimal(0))
        for ind in group.indicators:
            if ind.score is not None:
                assert Decimal(0) <= ind.score <= ind.max
                assert ind.score == ind.score.quantize(Decimal("0.01"))
                assert ind.scored
            if ind.ratio is not None and ind.code != "2.2":
                assert Decimal(0) <= ind.ratio <= 1
        total += group.score
    assert result.total == total
    assert Decimal(0) <= result.total <= result.max == 100
