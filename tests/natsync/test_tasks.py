"""The outbox on the task engine (motcua.jobs): a transition queues the dossier's delivery
after commit; the worker sends it; an outage is retried by the engine until the portal is
back, in order."""

from __future__ import annotations

import pytest
from django.db import transaction

from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier, SyncItem
from motcua.jobs import rules
from motcua.jobs import services as job_services
from motcua.jobs.models import Job
from tests.dossiers.conftest import submit
from tests.helpers import at


def drain(rounds: int = 10) -> None:
    """Run the due jobs in this process through ``jobs.services.run`` (the worker's own step:
    claim, call the task, record success or the retry). The engine's polling loop is the job
    app's, tested there; it reopens database connections, which a test transaction cannot
    survive on PostgreSQL."""
    from django.utils import timezone

    for _ in range(rounds):
        due = list(
            Job.objects.filter(state__in=rules.RUNNABLE, next_attempt_at__lte=timezone.now())
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not due:
            return
        for pk in due:
            job_services.run(pk)


@pytest.fixture
def instant_retries(settings):
    settings.MOTCUA_TASKS_RETRY_BASE_SECONDS = 0
    settings.MOTCUA_TASKS_RETRY_MAX_SECONDS = 0


def test_a_transition_is_queued_after_commit_and_delivered(
    world, portal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        pk = submit(world)
        assert Job.objects.get(key=f"natsync:{pk}:v1").state == rules.PENDING
        assert portal.calls == []  # nothing leaves before the commit
    assert callbacks
    drain()
    d = Dossier.objects.get(pk=pk)
    assert Job.objects.get(key=f"natsync:{pk}:v1").state == rules.DONE
    assert SyncItem.objects.get(dossier=d).state == SyncItem.State.SENT
    assert portal.dossiers[d.code]["TrangThaiHoSo"] == "1"
    assert d.national_synced_at is not None


def test_rolled_back_transition_queues_nothing(world, portal):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(world)
        raise RuntimeError("intake failed")
    assert not Job.objects.exists()


def test_outage_is_retried_by_the_engine_in_order(
    world, portal, instant_retries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pk = submit(world)
    with django_capture_on_commit_callbacks(execute=True):
        S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    portal.fail_next("http503", "http503")  # the portal is down for the first two calls
    drain()
    items = SyncItem.objects.filter(dossier_id=pk).order_by("event_id")
    assert [i.state for i in items] == [SyncItem.State.SENT, SyncItem.State.SENT]
    assert items[0].attempts == 3  # two failures recorded, then the success
    assert [p["TrangThai"] for p in portal.progress] == ["1", "2"]
    jobs = Job.objects.filter(key__startswith=f"natsync:{pk}:")
    assert {j.state for j in jobs} == {rules.DONE}
    assert max(j.attempts for j in jobs) == 2


def test_the_periodic_sweep_task_delivers_what_is_due(world, portal, settings):
    from motcua.natsync.tasks import sweep

    pk = submit(world)
    assert sweep.call()["sent"] == 1
    assert SyncItem.objects.get(dossier_id=pk).state == SyncItem.State.SENT
    settings.NATSYNC_URL = ""
    assert sweep.call() == {}
