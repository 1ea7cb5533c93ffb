"""The one task the engines carry: run a ``jobs.Job`` by id (services.run does the rest)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from motcua.jobs import services


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    return services.run(job_id, result_id=str(context.task_result.id))
