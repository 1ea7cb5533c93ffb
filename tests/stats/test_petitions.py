"""stats.petitions: 1022 figures and the 766 inputs 5.1–5.3 equal hand counts of a small
history driven through the real feedback services (Q1 2021, cut-off 1 April 2021)."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.feedback import services as S
from motcua.feedback.models import FeedbackItem
from motcua.stats import petitions
from motcua.stats.periods import parse_period
from motcua.stats.scope_filter import UnknownAgency
from motcua.stats.types import Scope
from tests.feedback.conftest import make_world, new_item, to_published
from tests.helpers import at

TODAY = dt.date(2026, 11, 30)
Q1 = parse_period("2021-Q1", today=TODAY)
PROVINCE = Scope("000.00.00.H13")
TRANSPORT = Scope("000.00.02.H13")
DISTRICT = Scope("000.00.21.H13")


@pytest.fixture
def history(db, settings):
    settings.MOTCUA_FEEDBACK_CENTRE_CODE = "000.00.01.H13"
    w = make_world()
    items = {}
    # a: traffic → transport, answered and published within a few hours: on time, published
    items["a"] = S.submit(new_item(category="traffic"), now=at(2021, 1, 4)).code
    to_published(w, items["a"], start=at(2021, 1, 4))
    # b: hotline, refused the same day: handled on time, not published
    items["b"] = S.submit(
        new_item(channel="hotline", description="Nội dung không thuộc phạm vi xử lý của tỉnh."),
        by=w.operator,
        now=at(2021, 1, 5),
    ).code
    S.refuse(items["b"], by=w.operator, reason="Không thuộc thẩm quyền.", now=at(2021, 1, 5, 14))
    # c: assigned to the district, never handled: in progress, past its deadline at 1 April
    items["c"] = S.submit(new_item(), now=at(2021, 1, 6)).code
    S.assign(items["c"], by=w.operator, now=at(2021, 1, 6, 10))
    # d: administrative procedures, received late March, in progress within its deadline
    items["d"] = S.submit(new_item(category="administrative-procedures"), now=at(2021, 3, 25)).code
    S.assign(items["d"], by=w.operator, now=at(2021, 3, 25, 10))
    # e: officials' conduct, answered after the deadline (approved 15 March): handled late
    items["e"] = S.submit(new_item(category="officials-conduct"), now=at(2021, 1, 11)).code
    to_published(w, items["e"], start=at(2021, 3, 15))
    # f: published on time but the reporter disliked the answer
    items["f"] = S.submit(new_item(), now=at(2021, 2, 1)).code
    to_published(w, items["f"], start=at(2021, 2, 1))
    S.rate(items["f"], value="dislike", contact="0901234567", now=at(2021, 2, 3))
    # g: received in December 2020, answered on time in January (5.2's universe only)
    items["g"] = S.submit(new_item(category="traffic"), now=at(2020, 12, 28)).code
    to_published(w, items["g"], start=at(2021, 1, 4))
    # h: received in April (after the period): counted nowhere
    items["h"] = S.submit(new_item(), now=at(2021, 4, 2)).code
    # i: still with the centre (unassigned), received in March: the centre's, in progress
    items["i"] = S.submit(new_item(channel="zalo", external_id="z1"), now=at(2021, 3, 30)).code
    return w, {k: FeedbackItem.objects.get(code=v) for k, v in items.items()}


def test_history_is_what_the_test_says(history):
    _w, it = history
    assert it["a"].handled_on_time and it["b"].handled_on_time and it["g"].handled_on_time
    assert it["e"].handled_on_time is False
    assert it["c"].handle_due < at(2021, 4, 1, 0, 0) < it["d"].handle_due
    assert it["f"].rating == "dislike" and it["i"].agency is None


def test_feedback_figures_province(history):
    f = petitions.feedback_figures(PROVINCE, Q1)
    # cohort a, b, c, d, e, f, i (g before, h after)
    assert f.received == 7
    assert f.received_by_channel == {"hotline": 1, "portal": 5, "zalo": 1}
    # b, c, f, i use the default category (environment)
    assert f.received_by_category == {
        "administrative-procedures": 1,
        "environment": 4,
        "officials-conduct": 1,
        "traffic": 1,
    }
    assert (f.handled_on_time, f.handled_late, f.in_progress) == (3, 1, 3)  # a b f | e | c d i
    assert f.received == f.handled_on_time + f.handled_late + f.in_progress
    assert f.published == 3  # a, e, f


def test_feedback_scope_follows_the_handling_agency(history):
    transport = petitions.feedback_figures(TRANSPORT, Q1)
    assert (transport.received, transport.handled_on_time) == (1, 1)  # a
    district = petitions.feedback_figures(DISTRICT, Q1)
    # c, d, e, f routed to the district (b was refused before assignment: the centre's)
    assert district.received == 4
    centre = petitions.feedback_figures(Scope("000.00.01.H13"), Q1)
    assert centre.received == 2  # b and i, never assigned
    # the province is not a sum of a subset: it pools everything
    assert petitions.feedback_figures(Scope("000.00.00.H13", subtree=False), Q1).received == 0


def test_breakdowns(history):
    rows = {r.key: r for r in petitions.feedback_breakdown(PROVINCE, Q1, "agency")}
    assert {k: r.figures.received for k, r in rows.items()} == {
        "000.00.21.H13": 4,
        "000.00.02.H13": 1,
        "": 2,
    }
    assert rows[""].label_vi == "Chưa chuyển cơ quan xử lý"
    by_channel = petitions.feedback_breakdown(PROVINCE, Q1, "channel")
    assert by_channel[0].key == "portal" and by_channel[0].label_vi == "Cổng thông tin 1022"
    cats = {r.key: r for r in petitions.feedback_breakdown(PROVINCE, Q1, "category")}
    assert cats["officials-conduct"].label_en == "Conduct of officials"
    assert cats["officials-conduct"].figures.handled_late == 1
    with pytest.raises(ValueError, match="Không thống kê được"):
        petitions.feedback_breakdown(PROVINCE, Q1, "officer")


def test_index_inputs(history):
    c = petitions.index_counts(PROVINCE, Q1)
    # 5.1: administrative procedures 1 (d) of 7 received; conduct 1 (e) in the note
    assert (c["5.1"].numerator, c["5.1"].denominator) == (1, 7)
    assert "hành vi cán bộ, công chức: 1" in c["5.1"].note
    # 5.2 universe: handled in Q1: a, b, e, f, g; open at the cut-off: c, d, i → 8
    # late: e (handled late), c (open past its deadline) → on time 6
    assert (c["5.2"].numerator, c["5.2"].denominator) == (6, 8)
    # 5.3: first received in Q1 and not refused: a, c, d, e, f, i → 6;
    # negative: c (late), e (late), f (disliked) → 3
    assert (c["5.3"].numerator, c["5.3"].denominator) == (3, 6)


def test_index_inputs_of_a_unit_without_petitions(history):
    c = petitions.index_counts(Scope("000.01.21.H13"), Q1)  # the commune: nothing routed there
    assert all(c[k].denominator == 0 for k in ("5.1", "5.2", "5.3"))


def test_an_open_period_cuts_at_now(history):
    # on 20 January, e was not answered yet and f not received: both in progress / absent
    f = petitions.feedback_figures(PROVINCE, Q1, now=at(2021, 1, 20))
    assert f.received == 4  # a, b, c, e
    assert (f.handled_on_time, f.handled_late, f.in_progress) == (2, 0, 2)


def test_reopened_item_counts_as_a_repeat_complaint(history):
    w, it = history
    S.reopen(it["a"].code, by=w.operator, reason="Người dân chưa đồng ý.", now=at(2021, 1, 8))
    S.draft_answer(it["a"].code, by=w.specialist_gt, answer="Trả lời lại.", now=at(2021, 1, 8, 11))
    S.approve(it["a"].code, by=w.leader_gt, now=at(2021, 1, 8, 12))
    c = petitions.index_counts(PROVINCE, Q1)
    assert (c["5.3"].numerator, c["5.3"].denominator) == (2, 6)


def test_unknown_agency_is_a_clear_error(db):
    with pytest.raises(UnknownAgency, match="Không có cơ quan"):
        petitions.feedback_figures(Scope("NOPE"), Q1)


def test_same_numbers_as_the_hubs_page_on_the_demo_generator(db, settings):
    """The hub's existing statistics page (feedback/stats.py) and this module agree on the
    province's figures for the seed's nine months (one set of numbers everywhere)."""
    from motcua.feedback import stats as hub
    from motcua.feedback.demo import generate_demo_feedback

    settings.MOTCUA_FEEDBACK_CENTRE_CODE = "000.00.01.H13"
    make_world()
    assert generate_demo_feedback(seed=11, n=60) == 60
    nine = parse_period("2021-01-01..2021-09-30", today=TODAY)
    ours = petitions.feedback_figures(PROVINCE, nine)
    theirs = hub.summary(nine.start, nine.end)
    assert ours.received == theirs.received == 60
    assert ours.handled_on_time + ours.handled_late == theirs.handled
    assert ours.handled_on_time == theirs.on_time
    assert ours.in_progress == theirs.in_progress
    for by in ("channel", "category", "agency"):
        rows = {r.key: r.figures.received for r in petitions.feedback_breakdown(PROVINCE, nine, by)}
        assert rows == {k: f.received for k, f in hub.breakdown(nine.start, nine.end, by).items()}
