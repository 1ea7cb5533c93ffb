"""Fixed-window counters in the database: login lockout and the tracking rate limit.

A database row (not process memory) so that every app server behind the load balancer counts
the same attempts; the row is locked while it is updated.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.portal.models import RateCounter


def hit(key: str, *, window: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Count one event for ``key``; returns the count in the current window (this one included)."""
    now = now or timezone.now()
    for _ in range(2):  # a concurrent first insert may win the race: then update its row
        try:
            with transaction.atomic():
                row = RateCounter.objects.select_for_update().filter(key=key).first()
                if row is None:
                    RateCounter.objects.create(key=key, window_start=now, count=1)
                    return 1
                if now - row.window_start >= window:
                    row.window_start, row.count = now, 0
                row.count += 1
                row.save(update_fields=["window_start", "count"])
                return row.count
        except IntegrityError:
            continue
    raise RuntimeError(f"could not count {key}")


def current(key: str, *, window: dt.timedelta, now: dt.datetime | None = None) -> int:
    """The count in the current window, without counting."""
    now = now or timezone.now()
    row = RateCounter.objects.filter(key=key).first()
    if row is None or now - row.window_start >= window:
        return 0
    return row.count


def retry_after(key: str, *, window: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Seconds until the key's window ends (0 when no window is open)."""
    now = now or timezone.now()
    row = RateCounter.objects.filter(key=key).first()
    if row is None:
        return 0
    return max(0, int((row.window_start + window - now).total_seconds()))


def reset(key: str) -> None:
    RateCounter.objects.filter(key=key).delete()
