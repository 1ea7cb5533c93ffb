"""What the statistics pages show, assembled from the one query layer (``stats.queries``) and
the figures of ratings and feedback (``stats.satisfaction``, ``stats.petitions``).

Everything returned is plain data (str, int, Decimal, lists, dicts): the public page caches it
(``public_overview``), the templates print it, the charts read it as JSON. Callers pass only
scopes the reader may see (the desk checks ``stats.access`` first).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from motcua.agencies.models import Agency
from motcua.core.localize import localized_name
from motcua.stats import periods, queries, satisfaction
from motcua.stats.exports.reports import on_time_rate, online_share
from motcua.stats.exports.tables import percent, ratio
from motcua.stats.filters import Filters
from motcua.stats.types import DossierFigures, IndexResult, SatisfactionFigures, Scope

CACHE_PREFIX = "stats:public:v1"


def satisfied_rate(f: SatisfactionFigures) -> Decimal | None:
    """Very satisfied + satisfied over all ratings (a fraction)."""
    good = f.by_level.get("very_satisfied", 0) + f.by_level.get("satisfied", 0)
    return ratio(good, f.total)


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def period_label(period, today: dt.date) -> str:
    return periods.display_label(period, today, english=_english())


def headline(figures: DossierFigures, sat: SatisfactionFigures, index: IndexResult | None) -> dict:
    """The four figures a provincial portal publishes, as percentages (2 decimals) and the
    766 score."""
    return {
        "received": figures.received,
        "carried_over": figures.carried_over,
        "settled": figures.settled,
        "in_progress_overdue": figures.in_progress_overdue,
        "on_time_rate": percent(on_time_rate(figures)),
        "online_share": percent(online_share(figures)),
        "satisfaction_rate": percent(satisfied_rate(sat)),
        "ratings": sat.total,
        "score": index.total if index is not None else None,
        "score_max": index.max if index is not None else None,
        "provisional": bool(index and index.provisional),
    }


def trend(scope: Scope, period) -> list[dict]:
    """Month by month: received, settled, on-time rate and online share."""
    english = _english()
    rows = []
    for month, f in queries.dossier_trend(scope, period):
        rows.append(
            {
                "label": (month.label_en or month.label) if english else month.label,
                "short": f"{month.start:%m/%Y}",
                "received": f.received,
                "settled": f.settled,
                "on_time_rate": percent(on_time_rate(f)),
                "online_share": percent(online_share(f)),
            }
        )
    return rows


def ranked_peers(filters: Filters) -> list[dict]:
    """The direct subordinate units of the chosen agency, each with its own (pooled) figures,
    ranked by the 766 total (1 = best; equal totals share a rank)."""
    period = filters.period
    peers = queries.index766_peers(filters.scope, period)
    # one breakdown gives every direct subordinate's pooled figures (not a query per unit)
    pooled = {r.key: r.figures for r in queries.dossier_breakdown(filters.scope, period, "agency")}
    rows = []
    for agency, result in peers:
        scope = Scope(agency.code, True)
        figures = pooled.get(agency.code) or queries.dossier_figures(scope, period)
        sat = satisfaction.satisfaction_figures(scope, period)
        rows.append(
            {
                "code": agency.code,
                "name": localized_name(agency),
                **headline(figures, sat, result),
            }
        )
    rows.sort(key=lambda r: (-(r["score"] or Decimal(0)), r["code"]))
    rank, previous = 0, None
    for i, row in enumerate(rows, start=1):
        if row["score"] != previous:
            rank, previous = i, row["score"]
        row["rank"] = rank
    return rows


def colour_band(rate: Decimal | None) -> str:
    """The tree's colour class for an on-time rate (%): ≥ 95 good, ≥ 80 fair, below poor."""
    if rate is None:
        return "none"
    if rate >= 95:
        return "good"
    if rate >= 80:
        return "fair"
    return "poor"


def overview(filters: Filters, today: dt.date) -> dict:
    """The public page's data for one agency (pooled with its subtree) and period."""
    scope, period = filters.scope, filters.period
    figures = queries.dossier_figures(scope, period)
    sat = satisfaction.satisfaction_figures(scope, period)
    index = queries.index766(scope, period)
    peers = ranked_peers(filters) if filters.subtree else []
    for row in peers:
        row["band"] = colour_band(row["on_time_rate"])
    return {
        "unit": {"code": filters.agency.code, "name": localized_name(filters.agency)},
        "period": period_label(period, today),
        "headline": headline(figures, sat, index),
        "band": colour_band(percent(on_time_rate(figures))),
        "trend": trend(scope, period),
        "peers": peers,
    }


def cached(prefix: str, filters: Filters, today: dt.date, seconds: int, build):
    """``build()`` through Django's cache for ``seconds``, keyed by the filters, the day and
    the language (the labels are translated). Callers check the reader's scope BEFORE: the
    figures of a scope are the same for everyone allowed to see them."""
    if seconds <= 0:
        return build()
    key = ":".join(
        [
            prefix,
            get_language() or "vi",
            filters.agency.code,
            "1" if filters.subtree else "0",
            f"{filters.period.start}..{filters.period.end}",
            str(today),
        ]
    )
    return cache.get_or_set(key, build, seconds)


def desk_figures(filters: Filters, today: dt.date) -> dict:
    """The desk dashboard's aggregate figures (not its live "overdue now" part), cached for
    ``STATS_DESK_CACHE_SECONDS``: the month-by-month trend is the costly part of the page."""

    def build() -> dict:
        scope, period = filters.scope, filters.period
        return {
            "figures": queries.dossier_figures(scope, period),
            "satisfaction": satisfaction.satisfaction_figures(scope, period),
            "trend": trend(scope, period),
            "by_agency": (
                queries.dossier_breakdown(scope, period, "agency") if filters.subtree else []
            ),
            "sat_by_officer": satisfaction.satisfaction_breakdown(scope, period, "officer"),
        }

    seconds = int(getattr(settings, "STATS_DESK_CACHE_SECONDS", 60))
    return cached("stats:desk:v1", filters, today, seconds, build)


def public_overview(filters: Filters, today: dt.date) -> dict:
    """``overview`` through Django's cache for ``STATS_PUBLIC_CACHE_SECONDS``, keyed by the
    filters and the language (the figures are the same for every reader; the labels are not)."""
    seconds = int(getattr(settings, "STATS_PUBLIC_CACHE_SECONDS", 300))
    return cached(CACHE_PREFIX, filters, today, seconds, lambda: overview(filters, today))


def agency_children(agency: Agency) -> list[Agency]:
    return list(Agency.objects.filter(parent=agency).order_by("code"))
