"""Satisfaction ratings (đánh giá sự hài lòng): figures by level and by channel (online after a
result, or the counter tablet), and breakdowns per agency, officer, procedure and desk.

A rating's date is ``Rating.created_at`` (imported ratings carry their own); it counts in the
period when that date lies in ``[period start, cut-off)``. Scope: the rating's agency
(``Rating.agency``: the agency whose service was rated), with or without its subtree.
motcua asks one question (overall satisfaction, three levels), so "by question" is that one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from motcua.ratings.models import Level, Rating
from motcua.stats import periods
from motcua.stats.scope_filter import agency_q, scope_agency
from motcua.stats.types import Period, Row, SatisfactionFigures, Scope

BREAKDOWNS = ("agency", "officer", "procedure", "desk")
_KEYS = {
    "agency": ("agency__code", "agency__name_vi", "agency__name_en"),
    "officer": ("officer_id", "officer__full_name", "officer__username"),
    "procedure": ("dossier__procedure_id", "dossier__procedure__name_vi", None),
    "desk": ("device_id", "device__name", None),
}
_UNKNOWN = {
    "agency": ("", ""),
    "officer": ("Không ghi nhận cán bộ", "No officer recorded"),
    "procedure": ("Không gắn với hồ sơ", "Not linked to a dossier"),
    "desk": ("Đánh giá trực tuyến (không qua quầy)", "Online (no counter device)"),
}
LEVEL_EN = {
    Level.VERY_SATISFIED: "Very satisfied",
    Level.SATISFIED: "Satisfied",
    Level.NOT_SATISFIED: "Not satisfied",
}
CHANNEL_EN = {Rating.Channel.ONLINE: "Online", Rating.Channel.KIOSK: "Counter device"}


def scoped_ratings(scope: Scope) -> QuerySet[Rating]:
    agency = scope_agency(scope)
    return Rating.objects.filter(agency_q("agency", agency, subtree=scope.subtree))


def _in_period(scope: Scope, period: Period, now: dt.datetime | None) -> QuerySet[Rating]:
    tz = ZoneInfo(settings.TIME_ZONE)
    lo, _hi = periods.bounds(period, tz)
    cut = periods.cutoff(period, now or timezone.now(), tz)
    return scoped_ratings(scope).filter(created_at__gte=lo, created_at__lt=cut)


class _Fold:
    def __init__(self) -> None:
        self.by_level = {level.value: 0 for level in Level}
        self.by_channel = {
            channel.value: {level.value: 0 for level in Level} for channel in Rating.Channel
        }

    def add(self, channel: str, level: str, n: int) -> None:
        self.by_level[level] = self.by_level.get(level, 0) + n
        per = self.by_channel.setdefault(channel, {lv.value: 0 for lv in Level})
        per[level] = per.get(level, 0) + n

    def figures(self) -> SatisfactionFigures:
        return SatisfactionFigures(
            by_level=dict(self.by_level),
            by_channel={k: dict(v) for k, v in self.by_channel.items()},
            total=sum(self.by_level.values()),
        )


def satisfaction_figures(
    scope: Scope, period: Period, *, now: dt.datetime | None = None
) -> SatisfactionFigures:
    """Ratings of the period by level (every level present, 0 when none) and by channel."""
    fold = _Fold()
    rows = (
        _in_period(scope, period, now)
        .values("channel", "level")
        .annotate(n=Count("pk"))
        .order_by("channel", "level")
    )
    for row in rows:
        fold.add(row["channel"], row["level"], row["n"])
    return fold.figures()


def satisfaction_breakdown(
    scope: Scope, period: Period, by: str, *, now: dt.datetime | None = None
) -> list[Row]:
    """One row per agency, officer, procedure (through the rated dossier) or desk (the counter
    device); ratings without one are grouped under key "" ("not recorded"). Most rated first."""
    if by not in BREAKDOWNS:
        raise ValueError(f"Không thống kê được theo “{by}” (chọn: {', '.join(BREAKDOWNS)}).")
    key, vi, en = _KEYS[by]
    fields = [f for f in (key, vi, en) if f]
    rows = (
        _in_period(scope, period, now)
        .values(*fields, "channel", "level")
        .annotate(n=Count("pk"))
        .order_by(*fields, "channel", "level")
    )
    folds: dict[str, _Fold] = defaultdict(_Fold)
    labels: dict[str, tuple[str, str]] = {}
    for row in rows:
        k = "" if row[key] is None else str(row[key])
        folds[k].add(row["channel"], row["level"], row["n"])
        if k == "":
            labels[k] = _UNKNOWN[by]
        else:
            name_vi = row[vi] or (row[en] if en else "") or k
            name_en = (row[en] if en and by == "agency" else "") or name_vi
            labels[k] = (name_vi, name_en)
    ordered = sorted(folds, key=lambda k: (-sum(folds[k].by_level.values()), k))
    return [Row(k, labels[k][0], labels[k][1], folds[k].figures()) for k in ordered]


def satisfied_share(figures: SatisfactionFigures) -> Decimal | None:
    """(very satisfied + satisfied) / total as a Decimal fraction; None without ratings."""
    if not figures.total:
        return None
    good = figures.by_level.get(Level.VERY_SATISFIED, 0) + figures.by_level.get(Level.SATISFIED, 0)
    return Decimal(good) / Decimal(figures.total)
