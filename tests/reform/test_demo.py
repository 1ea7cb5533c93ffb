"""The demo plan and inspections reproduce the seed's S8 figures from records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management import call_command

from motcua.core.demo import DemoRun
from motcua.core.models import ChangeEvent
from motcua.reform import demo, queries
from motcua.reform.models import Inspection, Task


def test_demo_plan_is_52_of_66_and_inspections_9_19_31(db):
    call_command("demo", part="reference")
    run = DemoRun(log=lambda _: None)
    demo.load_history(run)
    figure = queries.plan_progress(2021)
    assert figure.decision_number == "164/KH-UBND"
    assert (figure.objectives, figure.total.total, figure.total.active) == (12, 66, 52)
    assert figure.total.active_percent == Decimal("78.8")
    assert figure.total.cancelled == 2
    # computed on another day, the same ratio (overdue is derived, the ratio is not)
    assert queries.plan_progress(2021, today=dt.date(2021, 3, 1)).total.active_percent == Decimal(
        "78.8"
    )
    cancelled = Task.objects.filter(status="cancelled")
    assert all(t.is_propaganda and t.cancel_reference and t.cancel_reason for t in cancelled)
    assert [(t.code, t.value) for t in figure.targets] == [
        ("par_index", Decimal("86.00")),
        ("sipas", Decimal("88.00")),
        ("papi", Decimal("45.00")),
    ]
    counts = queries.inspection_counts(dt.date(2021, 1, 1), dt.date(2021, 9, 30))
    assert (counts.periodic, counts.surprise, counts.thematic) == (9, 19, 31)
    # made through the services: every task and inspection has its audit rows
    assert ChangeEvent.objects.filter(action="reform.task.create").count() == 66
    assert ChangeEvent.objects.filter(action="reform.inspection.create").count() == 59
    before = (Task.objects.count(), Inspection.objects.count(), ChangeEvent.objects.count())
    demo.load_history(run)  # idempotent
    assert (Task.objects.count(), Inspection.objects.count(), ChangeEvent.objects.count()) == before


def test_the_demo_officer_signs_in_with_the_demo_password(db):
    from motcua.accounts.demo import DEMO_PASSWORD
    from motcua.accounts.models import User

    call_command("demo", part="reference")
    user = User.objects.get(username=demo.OFFICER)
    assert user.check_password(DEMO_PASSWORD)
    assert user.memberships.get().agency.local_ref == demo.OFFICE_REF
