"""``motcua worker`` — run background tasks on the configured engine (docs/tasks.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from motcua.jobs.worker import drain, run_worker


class Command(BaseCommand):
    help = "Run a background-task worker (TASKS_BACKEND); --batch runs what is due and exits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is due, then exit")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls when idle"
        )

    def handle(self, *args, batch: bool, interval: float, **opts) -> None:
        if batch:
            drain()
        else:
            run_worker(interval=interval)
