"""The per-dossier facts (pure): kpi-766.md §2.1 case by case, by hand."""

from __future__ import annotations

import datetime as dt

from motcua.stats import aggregates
from motcua.stats.facts import (
    EARLY,
    LATE,
    ON_TIME,
    OVERDUE,
    WITHIN,
    DossierInput,
    FeeInput,
    PauseInput,
    compute,
)
from tests.helpers import at

D = dt.date


def dossier(**kw) -> DossierInput:
    base = dict(
        id=1,
        agency_id=10,
        procedure_id=20,
        channel="desk",
        submitted_at=at(2025, 3, 3, 8),
        received_at=at(2025, 3, 3, 9),
        due_at=at(2025, 3, 10, 9),  # Monday
        extended_due_at=None,
        ended_at=None,
        returned_at=None,
        state="in_process",
        outcome="",
    )
    return DossierInput(**{**base, **kw})


def test_end_class_compares_local_days():
    # the end's day in Vietnam decides: 23:30 on the due day is on time, 00:10 the next is late
    f = compute(dossier(ended_at=at(2025, 3, 10, 23, 30), state="decided", outcome="approved"))
    assert (f.ended_day, f.end_class, f.end_kind) == (D(2025, 3, 10), ON_TIME, "approved")
    f = compute(dossier(ended_at=at(2025, 3, 11, 0, 10), state="decided", outcome="approved"))
    assert f.end_class == LATE
    f = compute(dossier(ended_at=at(2025, 3, 9, 12), state="decided", outcome="refused"))
    assert (f.end_class, f.end_kind) == (EARLY, "refused")


def test_open_dossier_turns_overdue_the_day_after_its_due_day():
    f = compute(dossier())
    assert f.segments == ((D(2025, 3, 3), WITHIN), (D(2025, 3, 11), OVERDUE))
    assert f.status_on(D(2025, 3, 2)) == ""
    assert f.status_on(D(2025, 3, 10)) == WITHIN
    assert f.status_on(D(2025, 3, 11)) == OVERDUE


def test_rule_a_completed_rounds_are_subtracted_from_the_end():
    # paused Wed 05/03 09:00 → Sat 08/03 09:00 (3 days): ended Thu 13/03 → 10/03: on time
    pauses = (PauseInput(at(2025, 3, 5), at(2025, 3, 8)),)
    f = compute(
        dossier(pauses=pauses, ended_at=at(2025, 3, 13, 8), state="decided", outcome="approved")
    )
    assert f.end_class == ON_TIME


def test_rule_b_waiting_for_a_supplement():
    # one request on 05/03 (before the due day): within, however long the wait
    one = compute(dossier(pauses=(PauseInput(at(2025, 3, 5), None),)))
    assert one.status_on(D(2025, 4, 30)) == WITHIN
    # a second request: overdue whatever the dates, from the day it is made
    two = compute(
        dossier(
            pauses=(
                PauseInput(at(2025, 3, 4), at(2025, 3, 5)),
                PauseInput(at(2025, 3, 6), None),
            )
        )
    )
    assert two.status_on(D(2025, 3, 5)) == WITHIN
    assert two.status_on(D(2025, 3, 6)) == OVERDUE


def test_rule_c_open_dossier_after_a_round_gets_the_time_back():
    # paused 05/03 09:00 → 07/03 09:00 (2 days): overdue from 13/03, not 11/03
    f = compute(dossier(pauses=(PauseInput(at(2025, 3, 5), at(2025, 3, 7)),)))
    assert f.status_on(D(2025, 3, 12)) == WITHIN
    assert f.status_on(D(2025, 3, 13)) == OVERDUE
    # a second request: overdue while waiting (rule b), then rule (c) with both rounds
    # subtracted brings it back within until the time runs out again
    g = compute(
        dossier(
            pauses=(
                PauseInput(at(2025, 3, 5), at(2025, 3, 7)),
                PauseInput(at(2025, 3, 7, 10), at(2025, 3, 9, 10)),
            )
        )
    )
    assert g.status_on(D(2025, 3, 8)) == OVERDUE  # waiting, second request
    assert g.status_on(D(2025, 3, 9)) == WITHIN  # 09/03 − 4 days ≤ 10/03
    assert g.status_on(D(2025, 3, 15)) == OVERDUE  # 15/03 − 4 days 00:00 > 10/03


def test_apology_date_replaces_the_due_date():
    f = compute(dossier(extended_due_at=at(2025, 3, 20, 9)))
    assert f.status_on(D(2025, 3, 20)) == WITHIN
    assert f.status_on(D(2025, 3, 21)) == OVERDUE


def test_withdrawn_stopped_and_never_received():
    w = compute(dossier(ended_at=at(2025, 3, 4), state="withdrawn"))
    assert (w.end_kind, w.end_class) == ("withdrawn", EARLY)
    s = compute(dossier(ended_at=at(2025, 3, 12), state="stopped"))
    assert (s.end_kind, s.end_class) == ("stopped", LATE)
    n = compute(dossier(received_at=None, due_at=None, ended_at=at(2025, 3, 4), state="withdrawn"))
    assert n.received_day is None and n.end_kind == ""
    c, h = aggregates.contributions(n)
    assert not c and not h


def test_no_due_date_is_never_late():
    f = compute(dossier(due_at=None))
    assert f.segments == ((D(2025, 3, 3), WITHIN),)


def test_flags():
    f = compute(
        dossier(
            channel="national_portal",
            fees=(FeeInput(8000, "online", at(2025, 3, 4)),),
            procedure_fee_bearing=True,
            applicant_vneid=True,
        )
    )
    assert (f.online, f.online_ok, f.fee_bearing, f.paid_online, f.popdata) == (
        True,
        True,
        True,
        True,
        True,
    )
    # approved without an electronic result: the online dossier no longer counts for 3.3
    g = compute(
        dossier(channel="city_portal", ended_at=at(2025, 3, 5), state="decided", outcome="approved")
    )
    assert (g.online_ok, g.e_result) == (False, False)
    # a fee list of zeros is not fee-bearing even for a fee-bearing procedure
    z = compute(dossier(fees=(FeeInput(0, "", None),), procedure_fee_bearing=True))
    assert not z.fee_bearing


def test_contributions_balance_out_when_the_dossier_ends():
    f = compute(
        dossier(
            pauses=(PauseInput(at(2025, 3, 4), at(2025, 3, 5)), PauseInput(at(2025, 3, 6), None)),
            ended_at=at(2025, 3, 20),
            state="stopped",
            negative_feedback=True,
        )
    )
    c, _ = aggregates.contributions(f)
    for col in aggregates.DELTA_COLS:
        assert sum(n for (_, name), n in c.items() if name == col) == 0, col
