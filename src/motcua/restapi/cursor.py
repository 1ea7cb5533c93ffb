"""Opaque cursors for keyset pagination over (sort time, dossier code).

The sort time is the effective due date, or the submission time for a dossier not yet
received; the dossier code breaks ties (it is unique and already public, so no primary key
leaks through the cursor).
"""

from __future__ import annotations

import base64
import datetime as dt
import json

from django.db import connection
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


SORT_AT = Coalesce(F("effective_due_at"), F("submitted_at"))


def page(
    qs: QuerySet,
    cursor: str | None,
    limit: int,
    *,
    arms: list[Q] | None = None,
    fetch: QuerySet | None = None,
    columns: tuple[str, ...] = ("code",),
) -> tuple[list[dict], str | None]:
    """One page of ``qs`` in (sort time, code) order, as dicts of ``columns`` (with ``pk`` and
    ``sort_at``), and the cursor of the next page.

    ``arms``: disjoint-or-not filters whose union is ``qs``'s scope (one per agency column and
    agency, ``queries.scope_arms_by_agency``). On PostgreSQL each arm then reads at most
    ``limit + 1`` rows from its ``dossier_list_*`` index in order, and the page is the first
    ``limit + 1`` of their union: the cost follows the page size and the number of agencies,
    not the scope's history (a single query must sort every dossier of the scope). The page's
    rows are then read by id from ``fetch`` (``qs`` without its scope filter: the ids come
    from ``qs`` itself, and without the OR over three columns the planner estimates the
    ids' join correctly)."""
    qs = qs.annotate(sort_at=SORT_AT).order_by("sort_at", "code")
    if cursor:
        when, code = decode(cursor)
        # ``sort_at >= when`` first: the index's range starts there (an OR alone would not)
        qs = qs.filter(Q(sort_at__gte=when) & (Q(sort_at__gt=when) | Q(code__gt=code)))
    if arms and len(arms) > 1 and connection.vendor == "postgresql":
        parts = [qs.filter(arm).values_list("pk", "sort_at", "code")[: limit + 1] for arm in arms]
        keys = sorted(set(parts[0].union(*parts[1:])), key=lambda k: (k[1], k[2]))
        ids = [pk for pk, _, _ in keys[: limit + 1]]
        source = qs if fetch is None else fetch.annotate(sort_at=SORT_AT)
        fetched = source.filter(pk__in=ids).values("pk", "sort_at", *columns)
        by_id = {row["pk"]: row for row in fetched}
        rows = [by_id[pk] for pk in ids if pk in by_id]
    else:
        rows = list(qs.values("pk", "sort_at", *columns)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if more and rows else None
    return rows, (encode(last["sort_at"], last["code"]) if last else None)
