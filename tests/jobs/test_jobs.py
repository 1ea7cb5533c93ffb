"""motcua.jobs on each engine: after commit only, once per key, retried with backoff, then
dead-lettered with its error; an operator's retry runs it again."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.jobs import enqueue_on_commit, rules
from motcua.jobs.models import Job
from motcua.jobs.services import JobError, retry
from motcua.jobs.worker import drain
from tests.jobs import sample_tasks as T

pytestmark = pytest.mark.django_db


def _engine_messages(engine: str) -> int:
    """How many messages the engine holds (the database engine's rows, or RQ's queue)."""
    if engine == "rq":
        import django_rq

        queue = django_rq.get_queue("default")
        return queue.count + len(queue.scheduled_job_registry)
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()


def test_the_engine_gets_the_job_only_when_the_transaction_commits(
    engine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_on_commit(T.record, "after-commit", idempotency_key="t:commit")
        assert Job.objects.get(key="t:commit").state == rules.PENDING
        assert _engine_messages(engine) == 0  # nothing handed over inside the transaction
    assert len(callbacks) == 1
    assert _engine_messages(engine) == 1
    drain()
    job = Job.objects.get(key="t:commit")
    assert (job.state, job.attempts) == (rules.DONE, 1)
    assert T.effects("after-commit") == 1


def test_a_rolled_back_transaction_leaves_no_job(engine, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit(T.record, "rolled-back", idempotency_key="t:rollback")
        raise RuntimeError("the intake failed")
    assert callbacks == []
    assert not Job.objects.filter(key="t:rollback").exists()
    assert _engine_messages(engine) == 0


def test_the_same_key_is_never_enqueued_twice(engine, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(T.record, "once", idempotency_key="t:once")
        enqueue_on_commit(T.record, "once", idempotency_key="t:once")
    drain()
    with django_capture_on_commit_callbacks(execute=True) as later:
        enqueue_on_commit(T.record, "once", idempotency_key="t:once")  # after it ran, too
    assert later == []
    drain()
    assert Job.objects.filter(key="t:once").count() == 1
    assert T.effects("once") == 1


def test_a_failing_task_is_retried_until_it_succeeds(
    engine, instant_retries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(T.flaky, "flaky", 2, idempotency_key="t:flaky")
    drain()
    job = Job.objects.get(key="t:flaky")
    assert (job.state, job.attempts) == (rules.DONE, 3)
    assert "gateway down (attempt 2)" in job.last_error
    assert T.effects("flaky") == 1


def test_out_of_attempts_the_job_is_dead_with_its_error_and_an_operator_retries_it(
    engine, instant_retries, settings, django_capture_on_commit_callbacks
):
    settings.MOTCUA_TASKS_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(T.always_fails, "dead", idempotency_key="t:dead")
    drain()
    job = Job.objects.get(key="t:dead")
    assert (job.state, job.attempts) == (rules.DEAD, 3)
    assert job.last_error.startswith("ConnectionError: gateway down for dead")
    assert "Traceback" in job.last_error
    assert job.finished_at is not None
    drain()  # a dead job is not run again by itself
    assert Job.objects.get(pk=job.pk).attempts == 3

    with django_capture_on_commit_callbacks(execute=True):
        retry(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == (rules.PENDING, 0)
    drain()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (rules.DEAD, 3)


def test_only_failed_dead_or_pending_jobs_can_be_retried(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(T.record, "done", idempotency_key="t:done")
    drain()
    job = Job.objects.get(key="t:done")
    with pytest.raises(JobError, match="không chạy lại được"):
        retry(job.pk)
    with pytest.raises(JobError, match="Không có tác vụ"):
        retry(999_999)


def test_retries_back_off_exponentially_up_to_the_cap(settings, django_capture_on_commit_callbacks):
    """The delay doubles from TASKS_RETRY_BASE_SECONDS up to TASKS_RETRY_MAX_SECONDS, and the
    engine is told not to run the retry before then (the database engine's run_after)."""
    from django_tasks_db.models import DBTaskResult

    settings.MOTCUA_TASKS_RETRY_BASE_SECONDS = 30
    settings.MOTCUA_TASKS_RETRY_MAX_SECONDS = 100
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(T.always_fails, "backoff", idempotency_key="t:backoff")
    delays = []
    for _ in range(3):
        before = timezone.now()
        drain()
        job = Job.objects.get(key="t:backoff")
        assert job.state == rules.FAILED
        delay = job.next_attempt_at - before
        delays.append(round(delay.total_seconds()))
        queued = DBTaskResult.objects.filter(status="READY").get()
        assert queued.run_after == job.next_attempt_at  # the engine holds it until then
        drain()  # not due yet: nothing runs
        assert Job.objects.get(pk=job.pk).attempts == job.attempts
        # let the delay pass for the job and its message
        past = timezone.now() - dt.timedelta(seconds=1)
        Job.objects.filter(pk=job.pk).update(next_attempt_at=past)
        DBTaskResult.objects.filter(pk=queued.pk).update(run_after=past)
    assert delays == [30, 60, 100]


def test_the_retry_delay_rule():
    assert [rules.retry_delay(n, base=30, cap=3600) for n in range(1, 9)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
    ]
    assert rules.retry_delay(10_000, base=30, cap=3600) == 3600
    assert rules.retry_delay(0, base=30, cap=3600) == 0


def test_enqueue_refuses_what_is_not_a_task_or_has_no_key():
    with pytest.raises(TypeError):
        enqueue_on_commit(print, idempotency_key="t:x")
    with pytest.raises(ValueError, match="idempotency_key"):
        enqueue_on_commit(T.record, "x", idempotency_key="  ")


def test_the_tasks_command_lists_dead_jobs_and_retries_them(
    instant_retries, settings, django_capture_on_commit_callbacks
):
    import json

    from django.core.management import CommandError, call_command

    settings.MOTCUA_TASKS_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(T.always_fails, "cli", idempotency_key="t:cli")
        enqueue_on_commit(T.record, "cli-ok", idempotency_key="t:cli-ok")
    drain()
    out = io.StringIO()
    call_command("tasks", "list", "--state", "dead", "--format", "json", stdout=out)
    listed = json.loads(out.getvalue())
    assert [j["key"] for j in listed["jobs"]] == ["t:cli"]
    assert listed["jobs"][0]["attempts"] == 2
    assert "gateway down for cli" in listed["jobs"][0]["last_error"]
    assert listed["counts"]["dead"] == 1 and listed["counts"]["done"] == 1

    table = io.StringIO()
    call_command("tasks", "list", stdout=table)
    assert "always_fails t:cli ConnectionError: gateway down for cli" in table.getvalue()
    assert "t:cli-ok" not in table.getvalue()  # finished jobs are not an operator's business

    job_id = listed["jobs"][0]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tasks", "retry", str(job_id), stdout=io.StringIO())
    assert Job.objects.get(pk=job_id).state == rules.PENDING
    with pytest.raises(CommandError, match="không chạy lại được"):
        call_command("tasks", "retry", str(Job.objects.get(key="t:cli-ok").pk))
