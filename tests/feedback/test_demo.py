"""The demo's bulk path writes exactly the rows the services write, and resumes."""

from __future__ import annotations

from django.db import transaction

from motcua.agencies.models import Agency
from motcua.feedback import demo
from motcua.feedback.demo import generate_demo_feedback, plan_demo_feedback, write_bulk
from motcua.feedback.models import Counter, FeedbackEvent, FeedbackItem

ALL_ACTIONS = {"submit", "refuse", "assign", "start", "draft_answer", "approve", "publish", "rate"}
# the surrogate keys are the database's, the token a fresh uuid4 on both paths
SKIP = {"id", "token", "item_id"}


def _rows(model, qs) -> list[dict]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in SKIP]
    return [{name: getattr(obj, name) for name in fields} for obj in qs]


def snapshot() -> tuple[dict, list, dict]:
    items = FeedbackItem.objects.order_by("external_id")
    events = list(FeedbackEvent.objects.select_related("item").order_by("item__external_id", "pk"))
    return (
        {row["external_id"]: row for row in _rows(FeedbackItem, items)},
        [
            (e.item.external_id, row)
            for e, row in zip(events, _rows(FeedbackEvent, events), strict=True)
        ],
        dict(Counter.objects.values_list("key", "last")),
    )


def test_bulk_path_writes_the_rows_the_services_write(world):
    demo._system_user()  # made before the savepoint: PostgreSQL does not roll sequences back
    with transaction.atomic():  # a savepoint: the service path's rows are rolled back
        assert generate_demo_feedback(seed=5, n=70, path="services") == 70
        reference = snapshot()
        transaction.set_rollback(True)
    assert not FeedbackItem.objects.exists()
    assert generate_demo_feedback(seed=5, n=70, path="bulk") == 70
    bulk = snapshot()

    ref_items, ref_events, ref_counters = reference
    bulk_items, bulk_events, bulk_counters = bulk
    assert {row["action"] for _, row in ref_events} == ALL_ACTIONS  # the sample covers all
    assert ref_items.keys() == bulk_items.keys()
    for key, row in ref_items.items():
        for column, value in row.items():  # column by column, for a readable failure
            assert bulk_items[key][column] == value, (key, column)
    assert len(bulk_events) == len(ref_events)
    for (ref_key, ref_row), (key, row) in zip(ref_events, bulk_events, strict=True):
        assert key == ref_key
        for column, value in ref_row.items():
            assert row[column] == value, (key, ref_row["action"], column)
    assert bulk_counters == ref_counters  # the next code of each day follows on


def test_an_interrupted_bulk_load_resumes_without_duplicates(world):
    demo._system_user()
    with transaction.atomic():
        assert generate_demo_feedback(seed=9, n=40) == 40
        complete = snapshot()
        transaction.set_rollback(True)
    # a load stopped after its first batch (one transaction per batch)...
    agencies = list(Agency.objects.exclude(parent__isnull=True).filter(valid_to__isnull=True))
    plans = plan_demo_feedback(9, 40, agencies)
    write_bulk(plans[:15], demo._system_user())
    # ...is completed by the next run, and a third run writes nothing
    assert generate_demo_feedback(seed=9, n=40) == 25
    assert generate_demo_feedback(seed=9, n=40) == 0
    assert snapshot() == complete
