"""Opaque cursors for keyset pagination over (sort time, dossier code).

The sort time is the effective due date, or the submission time for a dossier not yet
received; the dossier code breaks ties (it is unique and already public, so no primary key
leaks through the cursor).
"""

from __future__ import annotations

import base64
import datetime as dt
import json

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from motcua.core.dateparams import check_datetime
from motcua.restapi.problems import ApiProblem

MAX_LIMIT = 100


def encode(sort_at: dt.datetime, code: str) -> str:
    raw = json.dumps([sort_at.isoformat(), code], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[dt.datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, code = json.loads(raw)
        when = dt.datetime.fromisoformat(stamp)
        if not isinstance(code, str):
            raise ValueError
        check_datetime(when)  # aware and within 2000–2100, or a ValueError
    except (ValueError, TypeError, json.JSONDecodeError):
        raise ApiProblem(
            422,
            "invalid_cursor",
            "Con trỏ phân trang không hợp lệ.",
            {"cursor": "Giá trị không hợp lệ; hãy dùng next_cursor của trang trước."},
        ) from None
    return when, code


def page(qs: QuerySet, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of ``qs`` in (sort time, code) order and the cursor of the next page."""
    qs = qs.annotate(sort_at=Coalesce(F("effective_due_at"), F("submitted_at"))).order_by(
        "sort_at", "code"
    )
    if cursor:
        when, code = decode(cursor)
        qs = qs.filter(Q(sort_at__gt=when) | Q(sort_at=when, code__gt=code))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode(rows[-1].sort_at, rows[-1].code) if more and rows else None)
