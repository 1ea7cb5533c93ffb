"""Helpers shared by the test set-ups of several apps."""

from __future__ import annotations

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=9, mm=0) -> dt.datetime:
    """A moment in Vietnam's time zone (09:00 unless told)."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


class UsersByName:
    """A test world whose ``users`` are also reachable as attributes (``world.desk_officer_a``)."""

    users: dict

    def __getattr__(self, name):
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name) from None


class LocalHTTPServer:
    """A fake outside service for the tests: a real HTTP server on a free loopback port,
    answering from a thread. Subclasses build their request handler and call
    ``super().__init__(handler)``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def vacuum_after_rollback(django_db_blocker) -> None:
    """After a module's large data set is rolled back, on PostgreSQL: its dead rows stay in the
    tables until a VACUUM (the test server runs no autovacuum: scripts/with_postgres.py), and
    later tests would scan them; the ANALYZE leaves statistics of tables that are empty again
    (the demo's PAR-index load took 20 minutes instead of 3 after the bulletin's 2021 data set
    when statistics still counted the rolled-back rows)."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
