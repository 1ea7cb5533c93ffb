"""Incremental = recompute, under hypothesis: random dossier histories driven through the real
services (reception, hand-over, supplement rounds, apologies, withdrawals, stops, decisions,
payments, returns, ratings, an agency merger), refreshed after every step, give the same
figures and 766 counts as (a) a direct evaluation of every dossier from its raw records and
(b) ``services.rebuild()``, for random periods."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from motcua.agencies.services import merge_agencies
from motcua.dossiers import services as S
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.ratings import services as ratings
from motcua.stats import indicators, queries, services
from motcua.stats import periods as stats_periods
from motcua.stats.refresh import DOSSIER_VALUES, Context, compute_facts
from motcua.stats.types import Period, Scope
from tests.dossiers.conftest import APPLICANT, make_world
from tests.helpers import at

ACTIONS = (
    "new",
    "hand_over",
    "request_supplement",
    "supplement",
    "apologise",
    "withdraw",
    "stop",
    "approve",
    "refuse",
    "return",
    "rate",
    "merge",
)

steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(0, 3),  # which dossier
        st.integers(1, 96),  # hours since the previous step
        st.booleans(),  # a coin for the action's variant
    ),
    min_size=3,
    max_size=16,
)
periods = st.tuples(st.integers(0, 80), st.integers(0, 60)).map(
    lambda t: Period(
        dt.date(2025, 2, 20) + dt.timedelta(days=t[0]),
        dt.date(2025, 2, 20) + dt.timedelta(days=t[0] + t[1]),
    )
)


def _act(w, pks: list[int], action: str, which: int, now: dt.datetime, coin: bool, state) -> None:
    tag = "b" if coin else "a"
    if action == "new":
        agency = w.b if coin and not state["merged"] else w.a
        tag = "b" if agency == w.b else "a"
        d = S.submit(
            by=w.citizen1,
            procedure=w.procedure,
            receiving_agency=agency,
            applicant=APPLICANT,
            channel="city_portal" if coin else "desk",
            documents=[S.DocumentInput(name="Tờ khai", digitised=coin)],
            now=now - dt.timedelta(minutes=30),
        )
        S.receive(d.pk, by=w.users[f"desk_officer_{tag}"], now=now)
        pks.append(d.pk)
        return
    if action == "merge":
        if not state["merged"]:
            merge_agencies([w.b], w.a, now.date())
            state["merged"] = True
        return
    if not pks:
        return
    pk = pks[which % len(pks)]
    d = Dossier.objects.get(pk=pk)
    tag = "a" if d.deciding_agency_id == w.a.pk else "b"
    desk, spec, leader = (w.users[f"{r}_{tag}"] for r in ("desk_officer", "specialist", "leader"))
    if action == "hand_over":
        S.hand_over(pk, by=desk if d.state == "received" else spec, now=now)
    elif action == "request_supplement":
        S.request_supplement(pk, by=spec, missing=[S.MissingItem("Bản sao")], now=now)
    elif action == "supplement":
        S.supplement(pk, by=w.citizen1, now=now)
    elif action == "apologise":
        S.apologise(pk, by=leader, reason="Chậm", new_due_at=now + dt.timedelta(days=12), now=now)
    elif action == "withdraw":
        S.withdraw(pk, by=w.citizen1, now=now)
    elif action == "stop":
        S.stop(pk, by=leader, reason="Dừng", now=now)
    elif action in ("approve", "refuse"):
        if d.state == "in_process" and d.current_step < 3:
            S.hand_over(pk, by=spec, now=now)
        if action == "approve":
            S.approve(pk, by=leader, result_documents=["KQ"], electronic=coin, now=now)
        else:
            S.refuse(pk, by=leader, reasons=["Không đủ điều kiện"], now=now)
    elif action == "return":
        if d.fees.filter(paid_at__isnull=True).exists():
            S.request_payment(pk, by=desk, fees=[("Phí", 8000)], now=now)
            S.confirm_payment(pk, by=desk, channel="online" if coin else "cash", now=now)
        S.return_result(pk, by=desk, now=now)
    elif action == "rate":
        ratings.rate_dossier(pk, by=w.citizen1, level="not_satisfied" if coin else "satisfied")


def _direct(scope: Scope, period: Period, received_only: bool) -> dict:
    """Every dossier evaluated from its raw records, no aggregate involved."""
    rows = list(Dossier.objects.values(*DOSSIER_VALUES))
    facts = compute_facts(rows, Context())
    agencies = set(queries.agency_ids(scope).values_list("pk", flat=True))
    w = queries.window(period, received_only=received_only)
    out = {}
    for code in (*indicators.HANDLED_CODES, *indicators.RECEIVED_CODES):
        den = num = 0
        for f in facts:
            if f.agency_id in agencies:
                d, n = indicators.membership(f, w, code)
                den, num = den + d, num + n
        out[code] = (num, den)
    fig = {"received": 0, "carried": 0, "within": 0, "overdue": 0, "settled": 0}
    for f in facts:
        if f.agency_id not in agencies or f.received_day is None:
            continue
        fig["received"] += indicators.received_in(f, w)
        s_before = f.status_on(w.start - dt.timedelta(days=1))
        fig["carried"] += s_before in ("w", "o")
        s = f.status_on(w.cutoff)
        fig["within"] += s == "w"
        fig["overdue"] += s == "o"
        fig["settled"] += bool(
            f.end_kind in ("approved", "refused") and w.start <= f.ended_day <= w.cutoff
        )
    return {"counts": out, "figures": fig}


def _engine(scope: Scope, period: Period, received_only: bool) -> dict:
    c = queries.dossier_index_counts(scope, period, received_only=received_only)
    f = queries.dossier_figures(scope, period)
    counts = {}
    for code in (*indicators.HANDLED_CODES, *indicators.RECEIVED_CODES):
        num = c[code].numerator
        counts[code] = (0 if num is None else num, c[code].denominator)
    if c["1.4"].denominator is None:  # BCQG denominator not recorded: compare the received
        counts["1.4"] = (c["1.4"].numerator, f.received)
    return {
        "counts": counts,
        "figures": {
            "received": f.received,
            "carried": f.carried_over,
            "within": f.in_progress_within,
            "overdue": f.in_progress_overdue,
            "settled": f.settled,
        },
    }


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# every action at least once, across a period boundary (the property's random cases add more)
@example(
    history=[
        ("new", 0, 2, False),
        ("new", 0, 3, True),
        ("new", 0, 1, True),
        ("hand_over", 0, 1, False),
        ("request_supplement", 0, 20, False),
        ("apologise", 1, 2, False),
        ("supplement", 0, 50, False),
        ("approve", 0, 30, True),
        ("return", 0, 2, True),
        ("rate", 0, 2, True),
        ("hand_over", 1, 2, False),
        ("refuse", 1, 90, False),
        ("merge", 0, 2, False),
        ("withdraw", 2, 2, False),
        ("new", 0, 2, False),
        ("stop", 3, 2, False),
    ],
    period=Period(dt.date(2025, 2, 26), dt.date(2025, 3, 5)),
    received_only=False,
)
@given(history=steps, period=periods, received_only=st.booleans())
def test_incremental_equals_direct_and_rebuild(db, history, period, received_only):
    with transaction.atomic():
        w = make_world()
        scope = Scope(w.province.code)
        pks: list[int] = []
        state = {"merged": False}
        done: list[str] = []
        refused: list = []
        now = at(2025, 2, 24, 8)
        for action, which, hours, coin in history:
            now += dt.timedelta(hours=hours)
            try:
                _act(w, pks, action, which, now, coin, state)
                done.append(action)
            except (DossierError, ValidationError) as exc:
                # an action the dossier's state or the user's rights refuse
                refused.append((action, type(exc).__name__))
            assert services.refresh() >= 0
            assert _engine(scope, period, received_only) == _direct(scope, period, received_only)
        services.rebuild()
        assert _engine(scope, period, received_only) == _direct(scope, period, received_only)
        # the trend (counters read once, summed in memory) equals each month read alone,
        # partial months at both edges included
        span = Period(dt.date(2025, 1, 15), dt.date(2025, 4, 20))
        assert queries.dossier_trend(scope, span) == [
            (m, queries.dossier_figures(scope, m)) for m in stats_periods.months(span)
        ]
        for sub in (w.a, w.b):
            s = Scope(sub.code)
            assert _engine(s, period, received_only) == _direct(s, period, received_only)
        event("actions done", len(done))
        transaction.set_rollback(True)
