"""A lock not obtained in time is a "try again", never a hang nor a 500.

PostgreSQL connections carry ``lock_timeout`` and ``idle_in_transaction_session_timeout``
(settings ``DB_LOCK_TIMEOUT_MS``, ``DB_IDLE_IN_TRANSACTION_TIMEOUT_MS``): a session waiting on
a row lock gives up after the first, so a client that died while waiting cannot keep the locks
it already holds (the day's code counters, a dossier) for longer than that; a session left idle
inside a transaction by a hung client is ended by the second. SQLite's ``busy_timeout`` plays
the first role there. Either way the database raises an ``OperationalError`` that the web layer
answers with 503 and ``Retry-After`` (``BusyDatabaseMiddleware``; the API's own handler,
``restapi.problems.busy_problem``: core never depends on the API).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 2
# lock_not_available, deadlock_detected, serialization_failure, idle_in_transaction timeout
RETRYABLE_SQLSTATES = frozenset({"55P03", "40P01", "40001", "25P03"})
BUSY_MESSAGE = (
    "Hệ thống đang bận xử lý yêu cầu khác trên cùng dữ liệu. Vui lòng thử lại sau giây lát."
)


def is_busy(exc: BaseException) -> bool:
    """True for a database error that a retry a moment later can cure."""
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return True
    # SQLite: busy_timeout ran out, or a shared-cache table lock (in-memory test databases)
    return any(text in str(exc) for text in ("database is locked", "database table is locked"))


class BusyDatabaseMiddleware:
    """Pages: a lock timeout or deadlock becomes a Vietnamese 503 page with ``Retry-After``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not is_busy(exc):
            return None
        html = render_to_string("503.html", request=request)
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
