"""Statistics of the 1022 hub: received / handled / in progress and the on-time rate, for a
period, by channel, category or agency.

The period's cohort is the items received in it; "handled" are those of them whose handling
ended (refused, or an answer approved) before the period's end, "in progress" the rest, so
received = handled + in progress (the seed's 5,492 = 5,286 + 206). The on-time rate is the share
of handled items handled within their deadline (refusal ≤ 2, answer ≤ 15 working days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from motcua.feedback.models import FeedbackItem

GROUPS = {
    "channel": "channel",
    "category": "category__code",
    "agency": "agency__code",
}


@dataclass(frozen=True)
class Figures:
    received: int
    handled: int
    in_progress: int
    on_time: int

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.handled, 4) if self.handled else None

    def as_dict(self) -> dict:
        return {
            "received": self.received,
            "handled": self.handled,
            "in_progress": self.in_progress,
            "on_time": self.on_time,
            "on_time_rate": self.on_time_rate,
        }


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in local time: ``end`` is inclusive."""
    tz = ZoneInfo(settings.TIME_ZONE)
    lo = dt.datetime.combine(start, dt.time(), tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz)
    return lo, hi


def _aggregates(hi: dt.datetime) -> dict:
    handled = Q(handled_at__isnull=False, handled_at__lt=hi)
    return {
        "received": Count("pk"),
        "handled": Count("pk", filter=handled),
        "on_time": Count("pk", filter=handled & Q(handled_on_time=True)),
    }


def _figures(row: dict) -> Figures:
    return Figures(
        received=row["received"],
        handled=row["handled"],
        in_progress=row["received"] - row["handled"],
        on_time=row["on_time"],
    )


def _items(base: QuerySet | None) -> QuerySet:
    """The items counted: all of them, or ``base`` (an officer's scope, one SQL filter:
    ``feedback.queries.visible_items``), so a page never counts what its reader may not see."""
    return FeedbackItem.objects.all() if base is None else base.order_by()


def summary(start: dt.date, end: dt.date, *, base: QuerySet | None = None) -> Figures:
    lo, hi = _bounds(start, end)
    row = _items(base).filter(received_at__gte=lo, received_at__lt=hi).aggregate(**_aggregates(hi))
    return _figures(row)


def breakdown(
    start: dt.date, end: dt.date, by: str, *, base: QuerySet | None = None
) -> dict[str, Figures]:
    """Figures per channel, category code or agency code ("" for items not yet assigned)."""
    if by not in GROUPS:
        raise ValueError(f"Không thống kê được theo {by!r} (chọn: {', '.join(GROUPS)}).")
    lo, hi = _bounds(start, end)
    key = GROUPS[by]
    rows = (
        _items(base)
        .filter(received_at__gte=lo, received_at__lt=hi)
        .values(key)
        .annotate(**_aggregates(hi))
        .order_by(key)
    )
    return {(row[key] or ""): _figures(row) for row in rows}
