"""``Idempotency-Key`` on every unsafe API call: a retried request gets the original answer;
and the web forms' equivalent, one token per rendered form (``FormOnceMiddleware``).

A client that lost the response to its own successful action (a timeout, a dropped
connection) retries with the same key and receives the response it missed, marked
``Idempotent-Replayed: true``, instead of a 409 it could not tell from a competitor's change.

- Keys are scoped to the caller: an API token (by the hash of its secret) or a session user.
  Another caller's key is simply unknown here; anonymous calls are not remembered.
- The remembered response is written in the same transaction as the action, so the two commit
  together: a crash can never leave an action done without its answer, nor the reverse.
- A concurrent second request with the same key waits for the first (the key's row is unique)
  and then replays it; the same key with another method, path or body is a 422.
- Only 2xx answers are remembered: a refused or failed call changed nothing and may be retried.
- Records are kept ``API_IDEMPOTENCY_HOURS`` (at least 24 h); an older key starts afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from motcua.core.busy import is_busy
from motcua.restapi.models import IdempotentRequest
from motcua.restapi.problems import busy_problem, problem

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_KEY_LENGTH = 80
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def caller_scope(request: HttpRequest) -> str | None:
    """Whose keys these are: the bearer token's hash, else the session user; None if anonymous.

    The bearer value is hashed as it is sent: only a holder of that exact secret shares the
    scope, so a guessed key never replays somebody else's answer."""
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer " and auth[7:].strip():
        return "bearer:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path()):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


class IdempotencyMiddleware:
    """Applies to unsafe methods under the API prefix that carry an ``Idempotency-Key``."""

    prefix = "/api/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in UNSAFE or not request.path.startswith(self.prefix):
            return self.get_response(request)
        if not valid_key(key):
            return problem(
                400,
                "invalid_idempotency_key",
                f"{HEADER} phải là chuỗi ASCII in được, tối đa {MAX_KEY_LENGTH} ký tự.",
            )
        scope = caller_scope(request)
        if scope is None:
            return self.get_response(request)
        try:
            return self._once(request, scope, key)
        except DatabaseError as exc:  # the key's row itself could not be taken in time
            if is_busy(exc):
                return busy_problem()
            raise

    def _once(self, request: HttpRequest, scope: str, key: str) -> HttpResponse:
        print_ = fingerprint(request)
        with transaction.atomic():
            record = _claim(scope, key, print_)
            if record is not None:
                return _replay(record, print_)
            response = self.get_response(request)
            if 200 <= response.status_code < 300 and not response.streaming:
                IdempotentRequest.objects.filter(scope=scope, key=key).update(
                    status=response.status_code,
                    content_type=response.get("Content-Type", ""),
                    body=response.content,
                )
            else:
                transaction.set_rollback(True)  # nothing to remember, nothing half-written
            return response


def _claim(scope: str, key: str, print_: str) -> IdempotentRequest | None:
    """Take the key for this request (None), or return the finished request that holds it.

    On PostgreSQL a concurrent holder makes the insert wait until it commits (then it is
    replayed) or rolls back (then the key is ours); SQLite runs one writer at a time."""
    now = timezone.now()
    kept = dt.timedelta(hours=settings.MOTCUA_API_IDEMPOTENCY_HOURS)
    IdempotentRequest.objects.filter(scope=scope, key=key, created_at__lt=now - kept).delete()
    try:
        with transaction.atomic():
            IdempotentRequest.objects.create(
                scope=scope, key=key, fingerprint=print_, created_at=now
            )
        return None
    except IntegrityError:
        return IdempotentRequest.objects.get(scope=scope, key=key)


def _replay(record: IdempotentRequest, print_: str) -> HttpResponse:
    if record.status is None:  # cannot be seen committed; kept as a guard
        return problem(409, "request_in_progress", "Yêu cầu với khóa này đang được xử lý.")
    if record.fingerprint != print_:
        return problem(
            422,
            "idempotency_key_reused",
            f"{HEADER} này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới.",
        )
    response = HttpResponse(
        bytes(record.body), status=record.status, content_type=record.content_type
    )
    response[REPLAYED] = "true"
    return response


FORM_FIELD = "_once"  # rendered by the {% once_token %} tag (core.templatetags.once)


class FormOnceMiddleware:
    """A rendered desk form is carried out once: a double click, a browser re-post or a retry
    after a lost answer is sent where the first submission went (post-redirect-get), with a
    note, instead of acting twice or failing with "changed by someone else".

    The form's token (``{% once_token %}``) is claimed in the same transaction as the action
    and remembered only when the action succeeded (a redirect): a form re-shown with errors can
    be corrected and sent again. Must come after the session, auth and messages middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.path.startswith(IdempotencyMiddleware.prefix):
            return self.get_response(request)
        token = request.POST.get(FORM_FIELD, "")
        user = getattr(request, "user", None)
        if not valid_key(token) or user is None or not user.is_authenticated:
            return self.get_response(request)
        scope, key = f"user:{user.pk}", f"form:{token}"
        with transaction.atomic():
            if _claim(scope, key, "") is not None:
                return _replay_form(request, scope, key)
            response = self.get_response(request)
            if 300 <= response.status_code < 400 and response.has_header("Location"):
                IdempotentRequest.objects.filter(scope=scope, key=key).update(
                    status=response.status_code, body=response["Location"].encode()
                )
            else:
                transaction.set_rollback(True)
            return response


def _replay_form(request: HttpRequest, scope: str, key: str) -> HttpResponse:
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext

    record = IdempotentRequest.objects.get(scope=scope, key=key)
    messages.info(request, gettext("Yêu cầu này đã được thực hiện (biểu mẫu được gửi lại)."))
    return redirect(bytes(record.body).decode() or request.path)
