"""``motcua tasks list [--state pending|failed|dead] --format json|table`` and
``motcua tasks retry ID``: the background jobs for administrators (docs/tasks.md)."""

from __future__ import annotations

import json

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from motcua.core.management.base import OneShotCommand
from motcua.jobs import queries, rules
from motcua.jobs.services import JobError, retry


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M:%S") if value else "-"


class Command(OneShotCommand):
    help = "Tác vụ nền: xem danh sách (đang chờ, lỗi, hỏng) và chạy lại."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        lst = sub.add_parser("list", help="pending, running, failed and dead jobs")
        lst.add_argument(
            "--state", choices=[rules.PENDING, rules.RUNNING, rules.FAILED, rules.DEAD, rules.DONE]
        )
        lst.add_argument("--format", choices=["json", "table"], default="table")
        lst.add_argument("--limit", type=int, default=200)
        again = sub.add_parser("retry", help="run a failed, dead or stuck job again now")
        again.add_argument("id", type=int)

    def handle(self, *args, action: str, **opts) -> None:
        if action == "retry":
            try:
                job = retry(opts["id"])
            except JobError as exc:
                raise CommandError(str(exc), returncode=2) from None
            self.stdout.write(f"Tác vụ {job.pk} ({job.task_name}) sẽ được chạy lại.")
            return
        jobs = list(queries.jobs(opts["state"], limit=max(1, opts["limit"])))
        if opts["format"] == "json":
            payload = {"counts": queries.counts(), "jobs": [queries.as_row(j) for j in jobs]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{'id':>6}  {'state':8} {'tries':>5}  {'next':19}  task / key / error")
        for job in jobs:
            error = job.last_error.splitlines()[0][:80] if job.last_error else ""
            self.stdout.write(
                f"{job.pk:>6}  {job.state:8} {job.attempts:>2}/{job.max_attempts:<2}  "
                f"{_when(job.next_attempt_at):19}  {job.task_name} {job.key} {error}".rstrip()
            )
        totals = ", ".join(f"{state} {n}" for state, n in queries.counts().items())
        self.stdout.write(f"— {totals}")
