"""The scheduler enqueues each periodic job once per period through the same engine."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.jobs import rules
from motcua.jobs.models import Job
from motcua.jobs.periodic import Periodic, tick
from motcua.jobs.worker import drain

pytestmark = pytest.mark.django_db

ONLY_STATS = (
    Periodic(
        "statistics-refresh", "motcua.jobs.periodic.refresh_statistics", dt.timedelta(minutes=10)
    ),
)


def test_a_period_is_enqueued_once_however_often_the_scheduler_ticks(
    django_capture_on_commit_callbacks,
):
    t0 = dt.datetime(2026, 3, 2, 8, 0, 5, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        first = tick(t0, periodic=ONLY_STATS)
        again = tick(t0 + dt.timedelta(minutes=9), periodic=ONLY_STATS)  # same 10-minute slot
        later = tick(t0 + dt.timedelta(minutes=10), periodic=ONLY_STATS)
    assert first == again != later
    assert Job.objects.filter(key__startswith="periodic:statistics-refresh:").count() == 2
    drain()
    assert set(Job.objects.values_list("state", flat=True)) == {rules.DONE}


def test_the_scheduler_command_once_enqueues_every_periodic_job(django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("scheduler", "--once", stdout=out)
    names = {line.split(":")[1] for line in out.getvalue().split()}
    assert names == {
        "statistics-refresh",
        "deadline-reminders",
        "prune-finished",
        "national-sync-sweep",
    }
    drain()
    assert set(Job.objects.values_list("state", flat=True)) == {rules.DONE}
