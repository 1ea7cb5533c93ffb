"""Reads of background jobs for the operator page and ``motcua tasks list``."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from motcua.jobs import rules
from motcua.jobs.models import Job

# what an operator looks at: not the finished ones
OPEN_STATES = (rules.PENDING, rules.RUNNING, rules.FAILED, rules.DEAD)


def jobs(state: str | None = None, *, limit: int = 200) -> QuerySet[Job]:
    qs = Job.objects.all()
    qs = qs.filter(state=state) if state else qs.filter(state__in=OPEN_STATES)
    return qs.order_by("-id")[:limit]


def counts() -> dict[str, int]:
    found = dict(Job.objects.values_list("state").annotate(n=Count("id")).order_by())
    return {state: found.get(state, 0) for state in rules.STATES}


def as_row(job: Job) -> dict:
    return {
        "id": job.pk,
        "key": job.key,
        "task": job.task_path,
        "state": job.state,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "next_attempt_at": job.next_attempt_at.isoformat() if job.next_attempt_at else None,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "last_error": job.last_error,
    }
