"""1022 feedback (PAKN) figures and the 766 inputs 5.1, 5.2 and 5.3, for a scope and period.

Scope: an item belongs to its handling agency (``FeedbackItem.agency``); an item not yet
assigned to one belongs to the 1022 centre that received it (``centre``), so the province's
figures count every item. Times are compared in the project's time zone; the cut-off C is the
end of the period, or now while it is open (kpi-766.md §0.5).

§2 figures (``feedback_figures``) follow the hub's existing statistics (feedback/stats.py): the
cohort is the items received in the period; of them, "handled" are those whose handling ended
(refused, or an answer approved) before C, on time or late by the deadline snapshotted on the
item (refusal ≤ 2, answer ≤ 15 working days); "in progress" the rest; "published" those whose
answer was made public before C. So received = handled on time + handled late + in progress.

766 inputs (docs/statistics-index766.md, "Petitions"):
- 5.1: items received in P in the "administrative procedures" category (or below it) over all
  items received in P; informational. The "conduct of officials" count is in the note.
- 5.2: items handled in P (handling ended in [P.start, C)) or still in processing at C.
  On time: handled by the item's own deadline (``handled_on_time``) and, once an answer was
  approved, published by ``publish_due`` (an extra condition, ⚠ default); in processing at C:
  C ≤ ``handle_due`` (the handling deadline from the latest transfer, as kpi-766.md's R).
- 5.3: items first received in P, not refused (never accepted for handling); minus those with a
  negative mark: the reporter disliked the answer, handled late under 5.2 (or still open past
  its deadline at C), or reopened because the reporter disagreed (motcua's repeat complaint).
Items are read as they are now: an item reopened after C counts by its latest handling
(motcua keeps the trail, but the figures do not replay it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from motcua.feedback.models import Category, FeedbackItem
from motcua.feedback.rules import CHANNEL_LABELS_VI, Channel, State
from motcua.stats import periods
from motcua.stats.scope_filter import agency_q, scope_agency
from motcua.stats.types import Counts, FeedbackFigures, Period, Row, Scope

# Categories (codes of feedback.defaults) that kpi-766.md 5.1 classes as "regulation /
# administrative procedure" and "staff behaviour"; sub-categories follow their parent.
PROCEDURE_CATEGORIES = frozenset({"administrative-procedures"})
STAFF_CATEGORIES = frozenset({"officials-conduct"})
# 5.2: a late publication makes an answered item late (⚠ kpi-766.md: extra condition or case).
PUBLICATION_IS_CONDITION = True

BREAKDOWNS = ("channel", "category", "agency")
_CHANNEL_EN = {
    Channel.HOTLINE: "1022 hotline",
    Channel.PORTAL: "1022 portal",
    Channel.MOBILE_APP: "Mobile app",
    Channel.ZALO: "Zalo",
    Channel.FACEBOOK: "Facebook",
    Channel.EMAIL: "Email",
    Channel.WALK_IN: "In person",
}


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def scoped_items(scope: Scope) -> QuerySet[FeedbackItem]:
    """Items of the scope: by handling agency, or by receiving centre while unassigned."""
    agency = scope_agency(scope)
    by_agency = agency_q("agency", agency, subtree=scope.subtree)
    by_centre = Q(agency__isnull=True) & agency_q("centre", agency, subtree=scope.subtree)
    return FeedbackItem.objects.filter(by_agency | by_centre)


def _window(period: Period, now: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    lo, _hi = periods.bounds(period, _tz())
    return lo, periods.cutoff(period, now or timezone.now(), _tz())


def _aggregates(cut: dt.datetime) -> dict:
    handled = Q(handled_at__isnull=False, handled_at__lt=cut)
    return {
        "received": Count("pk"),
        "on_time": Count("pk", filter=handled & Q(handled_on_time=True)),
        "late": Count("pk", filter=handled & ~Q(handled_on_time=True)),
        "published": Count("pk", filter=Q(published_at__isnull=False, published_at__lt=cut)),
    }


class _Fold:
    """Accumulates rows grouped by (channel, category) into FeedbackFigures."""

    def __init__(self) -> None:
        self.by_channel: dict[str, int] = defaultdict(int)
        self.by_category: dict[str, int] = defaultdict(int)
        self.received = self.on_time = self.late = self.published = 0

    def add(self, row: dict) -> None:
        self.by_channel[row["channel"]] += row["received"]
        self.by_category[row["category__code"]] += row["received"]
        self.received += row["received"]
        self.on_time += row["on_time"]
        self.late += row["late"]
        self.published += row["published"]

    def figures(self) -> FeedbackFigures:
        return FeedbackFigures(
            received_by_channel=dict(sorted(self.by_channel.items())),
            received_by_category=dict(sorted(self.by_category.items())),
            received=self.received,
            handled_on_time=self.on_time,
            handled_late=self.late,
            in_progress=self.received - self.on_time - self.late,
            published=self.published,
        )


def _cohort_rows(scope: Scope, period: Period, extra: list[str], now: dt.datetime | None):
    lo, cut = _window(period, now)
    keys = [*extra, "channel", "category__code"]
    return (
        scoped_items(scope)
        .filter(received_at__gte=lo, received_at__lt=cut)
        .values(*keys)
        .annotate(**_aggregates(cut))
        .order_by(*keys)
    )


def feedback_figures(
    scope: Scope, period: Period, *, now: dt.datetime | None = None
) -> FeedbackFigures:
    """§2 figures of the items received in the period (module docstring)."""
    fold = _Fold()
    for row in _cohort_rows(scope, period, [], now):
        fold.add(row)
    return fold.figures()


def feedback_breakdown(
    scope: Scope, period: Period, by: str, *, now: dt.datetime | None = None
) -> list[Row]:
    """One row per channel, category or handling agency ("" = not yet assigned)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"Không thống kê được theo “{by}” (chọn: {', '.join(BREAKDOWNS)}).")
    key = {"channel": "channel", "category": "category__code", "agency": "agency__code"}[by]
    extra = [] if by in ("channel", "category") else [key]
    folds: dict[str, _Fold] = defaultdict(_Fold)
    for row in _cohort_rows(scope, period, extra, now):
        folds[row[key] or ""].add(row)
    labels = _labels(by, folds.keys())
    return [
        Row(k, labels[k][0], labels[k][1], folds[k].figures())
        for k in sorted(folds, key=lambda k: (-folds[k].received, k))
    ]


def _labels(by: str, keys) -> dict[str, tuple[str, str]]:
    keys = list(keys)
    if by == "channel":
        return {
            k: (str(CHANNEL_LABELS_VI.get(Channel(k), k)), _CHANNEL_EN.get(Channel(k), k))
            for k in keys
        }
    if by == "category":
        names = Category.objects.filter(code__in=keys).values_list("code", "name_vi", "name_en")
        found = {code: (vi, en or vi) for code, vi, en in names}
        return {k: found.get(k, (k, k)) for k in keys}
    from motcua.agencies.models import Agency

    names = Agency.objects.filter(code__in=keys).values_list("code", "name_vi", "name_en")
    found = {code: (vi, en or vi) for code, vi, en in names}
    found[""] = ("Chưa chuyển cơ quan xử lý", "Not yet assigned to an agency")
    return {k: found.get(k, (k, k)) for k in keys}


def _category_ids(roots: frozenset[str]) -> set[int]:
    """Categories with these codes and everything below them."""
    rows = list(Category.objects.values_list("pk", "code", "parent_id"))
    parent = {pk: parent_id for pk, _code, parent_id in rows}
    code = {pk: c for pk, c, _parent in rows}
    result = set()
    for pk in parent:
        node, depth = pk, 0
        while node is not None and depth < 20:
            if code[node] in roots:
                result.add(pk)
                break
            node, depth = parent[node], depth + 1
    return result


def _late_q(cut: dt.datetime) -> Q:
    """Items late under the 5.2 rules as of the cut-off (handled late, published late, or still
    open past the handling deadline)."""
    handled = Q(handled_at__isnull=False, handled_at__lt=cut)
    late = handled & ~Q(handled_on_time=True)
    if PUBLICATION_IS_CONDITION:
        published_late = Q(published_at__isnull=False, published_at__lt=cut) & Q(
            published_at__gt=F("publish_due")
        )
        not_published_past_due = (
            handled
            & Q(publish_due__isnull=False, publish_due__lt=cut)
            & (Q(published_at__isnull=True) | Q(published_at__gte=cut))
        )
        late |= handled & (published_late | not_published_past_due)
    open_past_due = ~handled & Q(handle_due__lt=cut)
    return late | open_past_due


def index_counts(
    scope: Scope, period: Period, *, now: dt.datetime | None = None
) -> dict[str, Counts]:
    """The 766 inputs "5.1", "5.2" and "5.3" (module docstring)."""
    lo, cut = _window(period, now)
    items = scoped_items(scope)

    received = items.filter(received_at__gte=lo, received_at__lt=cut)
    procedure_ids = _category_ids(PROCEDURE_CATEGORIES)
    staff_ids = _category_ids(STAFF_CATEGORIES)
    row = received.aggregate(
        total=Count("pk"),
        procedure=Count("pk", filter=Q(category_id__in=procedure_ids)),
        staff=Count("pk", filter=Q(category_id__in=staff_ids)),
    )
    c51 = Counts(
        row["procedure"],
        row["total"],
        note=f"Quy định, TTHC: {row['procedure']}; hành vi cán bộ, công chức: {row['staff']}",
    )

    handled_in_p = Q(handled_at__gte=lo, handled_at__lt=cut)
    open_at_c = Q(received_at__lt=cut) & (Q(handled_at__isnull=True) | Q(handled_at__gte=cut))
    universe = items.filter(handled_in_p | open_at_c)
    late = _late_q(cut)
    row = universe.aggregate(total=Count("pk"), late=Count("pk", filter=late))
    c52 = Counts(row["total"] - row["late"], row["total"])

    first = received.exclude(state=State.REFUSED)
    negative = late | Q(rating="dislike") | Q(reopen_count__gt=0)
    row = first.aggregate(total=Count("pk"), negative=Count("pk", filter=negative))
    c53 = Counts(
        row["total"] - row["negative"],
        row["total"],
        note="trừ phản ánh xử lý trễ hạn, không hài lòng hoặc bị phản ánh lại",
    )
    return {"5.1": c51, "5.2": c52, "5.3": c53}
