"""Statistics equal hand counts on generated data; the generator reproduces the seed's split."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from motcua.feedback import stats
from motcua.feedback.demo import generate_demo_feedback, handled_share
from motcua.feedback.models import FeedbackItem

START, END = dt.date(2021, 1, 1), dt.date(2021, 9, 30)
PERIOD_END = dt.datetime(2021, 10, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_seed_proportion():
    assert handled_share(5492) == 5286 and 5492 - handled_share(5492) == 206


def test_statistics_equal_hand_counts(world):
    assert generate_demo_feedback(seed=7, n=80) == 80
    assert generate_demo_feedback(seed=7, n=80) == 0  # idempotent
    items = list(FeedbackItem.objects.select_related("category", "agency"))
    assert len(items) == 80

    def handled(i):
        return i.handled_at is not None and i.handled_at < PERIOD_END

    total = stats.summary(START, END)
    assert total.received == 80
    assert total.handled == sum(handled(i) for i in items) == handled_share(80)
    assert total.in_progress == 80 - handled_share(80)
    assert total.on_time == sum(handled(i) and i.handled_on_time for i in items)
    assert total.on_time_rate == round(total.on_time / total.handled, 4)

    for by, key in (
        ("channel", lambda i: i.channel),
        ("category", lambda i: i.category.code),
        ("agency", lambda i: i.agency.code if i.agency else ""),
    ):
        received = Counter(key(i) for i in items)
        done = Counter(key(i) for i in items if handled(i))
        table = stats.breakdown(START, END, by)
        assert {k: f.received for k, f in table.items()} == dict(received)
        assert {k: f.handled for k, f in table.items() if f.handled} == dict(done)

    # a sub-period: March only
    march = [i for i in items if i.received_at.astimezone(PERIOD_END.tzinfo).month == 3]
    assert stats.summary(dt.date(2021, 3, 1), dt.date(2021, 3, 31)).received == len(march)
