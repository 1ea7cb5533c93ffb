"""``motcua scheduler`` — enqueue the periodic jobs on time (docs/tasks.md, "Scheduler")."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from motcua.jobs.periodic import PERIODIC, tick


class Command(BaseCommand):
    help = "Enqueue periodic jobs (deadline reminders, statistics refresh) and recover lost ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one tick, then exit (cron)")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between ticks")

    def handle(self, *args, once: bool, interval: float, **opts) -> None:
        if once:
            for key in tick():
                self.stdout.write(key)
            return
        stopping = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.append(True))
        names = ", ".join(p.name for p in PERIODIC)
        self.stdout.write(f"motcua scheduler: {names}; every {interval:g} s", ending="\n")
        self.stdout.flush()
        while not stopping:
            try:
                tick()
            except Exception as exc:  # a database restart must not end the scheduler
                self.stderr.write(f"scheduler tick failed: {exc}")
            close_old_connections()
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
