"""Worked example, computed by hand from kpi-766.md §0.6 / §2.1, through the real services.

Procedure: 5 working days. Period P = March 2025 (cut-off 31/03/2025, a past period).

| dossier | received | due (legal) | history | as of 31/03 |
|---|---|---|---|---|
| D1 | Thu 20/02 09:00 | Thu 27/02 | approved Mon 03/03 | carry-over, ended LATE |
| D2 | Mon 03/03 09:00 | Mon 10/03 | supplement (1) | ended EARLY |
| D3 | Mon 10/03 09:00 | Mon 17/03 | apology (2), approved Thu 20/03 | ended EARLY |
| D4 | Mon 24/03 09:00 | Mon 31/03 | withdrawn Tue 25/03 | withdrawn, on time |
| D5 | Wed 26/03 09:00 | Wed 02/04 | open | open WITHIN |
| D6 | Tue 18/03 09:00 | Tue 25/03 | open | open OVERDUE |
| D7 | Mon 10/02 09:00 | Mon 17/02 | approved Fri 14/02 | ended before P: not counted |
| D8 | Wed 02/04 09:00 | | | received after P: not counted |
| D9 | submitted Wed 05/03, never received | | | not counted |

HANDLED(P) = D1…D6 = 6; on time = D2, D3, D4, D5 = 4 → 2.1 = 4/6.
(1) supplement requested Wed 05/03 09:00, supplied Mon 10/03 09:00 (suppDur = 5 days),
    approved Thu 13/03 10:00: end − suppDur = Sat 08/03 < due Mon 10/03.
(2) apology on Fri 14/03 with the new date Mon 24/03: late without it (due Mon 17/03).

RECEIVED(P) = D2…D6 = 5 (carry-over off: on time 4/5).
D2's applicant rates it "not satisfied" after the result: 5.4 = (4 − 1)/6.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier
from motcua.ratings import services as ratings
from motcua.stats import drilldown, queries, services
from motcua.stats.types import Period, Scope
from tests.dossiers.conftest import APPLICANT, make_world
from tests.helpers import at
from tests.stats.engine_world import approve, received, submitted_only, to_specialist

MARCH = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31), "2025-03")


@pytest.fixture
def march(db):
    w = make_world()
    d1 = received(w, at(2025, 2, 20))
    to_specialist(w, d1, at(2025, 2, 20, 10))
    approve(w, d1, at(2025, 3, 3))

    d2 = received(w, at(2025, 3, 3))
    to_specialist(w, d2, at(2025, 3, 3, 10))
    S.request_supplement(
        d2, by=w.specialist_a, missing=[S.MissingItem("Bản sao")], now=at(2025, 3, 5, 9)
    )
    S.supplement(d2, by=w.citizen1, now=at(2025, 3, 10, 9))
    approve(w, d2, at(2025, 3, 13, 10))
    S.request_payment(d2, by=w.desk_officer_a, fees=[("Phí", 8000)], now=at(2025, 3, 13, 11))
    S.confirm_payment(d2, by=w.desk_officer_a, channel="online", now=at(2025, 3, 13, 12))
    S.return_result(d2, by=w.desk_officer_a, now=at(2025, 3, 14, 9))
    ratings.rate_dossier(d2, by=w.citizen1, level="not_satisfied")

    d3 = received(w, at(2025, 3, 10))
    to_specialist(w, d3, at(2025, 3, 10, 10))
    S.apologise(
        d3, by=w.leader_a, reason="Chờ xác minh", new_due_at=at(2025, 3, 24), now=at(2025, 3, 14)
    )
    approve(w, d3, at(2025, 3, 20))

    d4 = received(w, at(2025, 3, 24))
    S.withdraw(d4, by=w.citizen1, now=at(2025, 3, 25))

    received(w, at(2025, 3, 26))  # D5
    d6 = received(w, at(2025, 3, 18))
    to_specialist(w, d6, at(2025, 3, 18, 10))

    d7 = received(w, at(2025, 2, 10))
    to_specialist(w, d7, at(2025, 2, 10, 10))
    approve(w, d7, at(2025, 2, 14))
    received(w, at(2025, 4, 2))  # D8
    submitted_only(w, at(2025, 3, 5))  # D9
    return w


def test_march_dossier_figures(march):
    f = queries.dossier_figures(Scope(march.a.code), MARCH)
    assert f.received == 5
    assert f.received_by_channel["city_portal"] == 5
    assert f.carried_over == 1
    assert (f.settled_early, f.settled_on_time, f.settled_late) == (2, 0, 1)
    assert (f.withdrawn, f.stopped, f.refused) == (1, 0, 0)
    assert (f.in_progress_within, f.in_progress_overdue) == (1, 1)
    assert f.electronic_results == 0
    # the district pools its communes: the same figures
    assert queries.dossier_figures(Scope(march.district.code), MARCH) == f
    assert queries.dossier_figures(Scope(march.b.code), MARCH).received == 0


def test_march_index_counts_with_and_without_carry_over(march):
    c = queries.dossier_index_counts(Scope(march.province.code), MARCH)
    assert (c["2.1"].numerator, c["2.1"].denominator) == (4, 6)
    assert (c["5.4"].numerator, c["5.4"].denominator) == (3, 6)
    # all five online, but D2 and D3 were approved with a paper result (DOCX's e-result filter)
    assert (c["3.3"].numerator, c["3.3"].denominator) == (3, 5)
    assert (c["4.1"].numerator, c["4.1"].denominator) == (0, 6)
    assert c["4.4"].numerator is None and c["4.4"].missing
    assert c["1.4"].denominator is None and "bcqg_received" in c["1.4"].missing
    r = queries.dossier_index_counts(Scope(march.province.code), MARCH, received_only=True)
    assert (r["2.1"].numerator, r["2.1"].denominator) == (4, 5)
    assert (r["5.4"].numerator, r["5.4"].denominator) == (3, 5)


def test_february_sees_d1_open_and_overdue(march):
    feb = Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    f = queries.dossier_figures(Scope(march.a.code), feb)
    assert f.received == 2  # D1, D7
    assert (f.settled_early, f.in_progress_overdue, f.in_progress_within) == (1, 1, 0)
    c = queries.dossier_index_counts(Scope(march.a.code), feb)
    assert (c["2.1"].numerator, c["2.1"].denominator) == (1, 2)


def test_rebuild_gives_the_same_figures(march):
    scope = Scope(march.province.code)
    before = queries.dossier_figures(scope, MARCH), queries.dossier_index_counts(scope, MARCH)
    services.rebuild()
    after = queries.dossier_figures(scope, MARCH), queries.dossier_index_counts(scope, MARCH)
    assert before == after


def test_march_index_scores(march):
    r = queries.index766(Scope(march.province.code), MARCH)
    by_code = {i.code: i for g in r.groups for i in g.indicators}
    assert (by_code["2.1"].numerator, by_code["2.1"].denominator) == (4, 6)
    assert by_code["2.1"].score == Decimal("13.33")  # 20 × 4/6
    assert by_code["5.4"].score == Decimal("3.33")  # min(6, 6 × (3/6) / 0.90)
    assert not r.provisional
    r = queries.index766(Scope(march.province.code), MARCH, received_only=True)
    by_code = {i.code: i for g in r.groups for i in g.indicators}
    assert by_code["2.1"].score == Decimal("16.00")  # 20 × 4/5


def test_cli_index766_json(march):
    out = io.StringIO()
    call_command(
        "stats",
        "index766",
        "--agency",
        march.district.code,
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert set(data) >= {"total", "max", "groups"}
    progress = next(g for g in data["groups"] if g["key"] == "progress")
    ind = next(i for i in progress["indicators"] if i["code"] == "2.1")
    assert (ind["numerator"], ind["denominator"], ind["score"], ind["max"]) == (4, 6, 13.33, 20)


def test_cli_bad_agency_and_dates_are_clear_errors(march):
    with pytest.raises(CommandError, match="Không có cơ quan") as e:
        call_command(
            "stats", "index766", "--agency", "X", "--from", "2025-03-01", "--to", "2025-03-31"
        )
    assert e.value.returncode == 2
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command(
            "stats",
            "index766",
            "--agency",
            march.a.code,
            "--from",
            "2025-13-01",
            "--to",
            "2025-03-31",
        )


def test_cli_refresh_and_rebuild(march):
    out = io.StringIO()
    call_command("stats", "rebuild", stdout=out)
    assert "hồ sơ" in out.getvalue()
    call_command("stats", "refresh", stdout=out)


def test_drilldown_lists_the_dossiers_behind_2_1(march):
    scope = Scope(march.province.code)
    den = drilldown.indicator_dossiers("2.1", scope, MARCH, part="denominator")
    num = drilldown.indicator_dossiers("2.1", scope, MARCH)
    codes = dict(Dossier.objects.values_list("pk", "received_at"))
    assert den.count() == 6 and num.count() == 4
    late_or_overdue = set(den.values_list("pk", flat=True)) - set(num.values_list("pk", flat=True))
    # D1 (carry-over, late) and D6 (open, overdue)
    assert sorted(codes[pk].date() for pk in late_or_overdue) == [
        dt.date(2025, 2, 20),
        dt.date(2025, 3, 18),
    ]
    only = drilldown.indicator_dossiers("2.1", scope, MARCH, part="denominator", received_only=True)
    assert only.count() == 5
    with pytest.raises(drilldown.UnknownIndicator):
        drilldown.indicator_dossiers("1.1", scope, MARCH)


def test_counter_intake_is_counted_without_a_rebuild(db):
    """``receive_at_desk`` writes its events itself (not through ``_record``): its hook."""
    w = make_world()
    S.receive_at_desk(
        by=w.desk_officer_a,
        procedure=w.procedure,
        receiving_agency=w.a,
        applicant=APPLICANT,
        documents=[S.DocumentInput(name="Tờ khai")],
        now=at(2025, 3, 4, 9),
    )
    f = queries.dossier_figures(Scope(w.a.code), MARCH)
    assert (f.received, f.received_by_channel["desk"]) == (1, 1)


def test_breakdowns_trend_and_peers(march):
    scope = Scope(march.district.code)
    by_agency = queries.dossier_breakdown(scope, MARCH, "agency")
    assert [(r.key, r.figures.received) for r in by_agency] == [(march.a.code, 5)]
    by_procedure = queries.dossier_breakdown(scope, MARCH, "procedure")
    assert [(r.key, r.figures.settled_late) for r in by_procedure] == [("1.004884", 1)]
    assert queries.dossier_breakdown(scope, MARCH, "field")[0].label_vi == "Hộ tịch"
    officers = queries.dossier_breakdown(scope, MARCH, "officer")
    assert [(r.key, r.figures.settled) for r in officers] == [("leader_a", 3)]
    q1 = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    trend = queries.dossier_trend(scope, q1)
    assert [(p.start.month, f.received) for p, f in trend] == [(1, 0), (2, 2), (3, 5)]
    # a month's carried-over dossiers are the previous month's open ones
    assert trend[2][1].carried_over == trend[1][1].in_progress_within + (
        trend[1][1].in_progress_overdue
    )
    peers = queries.index766_peers(Scope(march.province.code), MARCH)
    assert [(a.code, r.total > 0) for a, r in peers] == [(march.district.code, True)]
    # the peers, read in one pass over the subtree, equal each unit's own index
    assert peers[0][1] == queries.index766(Scope(march.district.code), MARCH)
    for agency, result in queries.index766_peers(Scope(march.district.code), MARCH):
        assert result == queries.index766(Scope(agency.code), MARCH)
    with pytest.raises(ValueError, match="breakdown"):
        queries.dossier_breakdown(scope, MARCH, "colour")


def test_mark_dirty_and_bounded_refresh(march):
    scope = Scope(march.province.code)
    before = queries.dossier_figures(scope, MARCH)
    ids = list(Dossier.objects.values_list("pk", flat=True))
    services.mark_dirty([*ids, ids[0]])  # duplicates are fine
    assert services.refresh(batch=2, limit=3) == 4  # whole batches, up to about the limit
    assert services.refresh() == len(ids) - 4
    assert services.refresh() == 0
    assert queries.dossier_figures(scope, MARCH) == before  # idempotent
