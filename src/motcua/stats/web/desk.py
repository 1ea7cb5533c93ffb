"""The desk's statistics (/desk/thong-ke/): officers only, scoped to their agencies
(``stats.access``): overdue work by agency and officer, trends, the 766 index with a
drill-down to the dossiers behind each indicator, satisfaction, exports."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from motcua.core.localize import localized_name
from motcua.desk.access import officer_required
from motcua.dossiers.queries import visible_dossiers
from motcua.stats import access, dashboard, filters, overdue, queries
from motcua.stats.exports import build
from motcua.stats.exports.reports import on_time_rate, online_share
from motcua.stats.exports.tables import percent

from .common import CHARTJS_VERSION, bad_filter, chart

PAGE_SIZE = 25


def _chosen(request: HttpRequest):
    """The checked filters for this officer (their first unit by default)."""
    today = timezone.localdate()
    chosen = filters.parse(
        request.GET, today=today, default_agency=access.default_unit(request.user)
    )
    return access.checked(request.user, chosen), today


def _base(request: HttpRequest) -> dict:
    return {"chartjs": CHARTJS_VERSION, "units": access.report_units(request.user)}


def _refused(request: HttpRequest, template: str, exc: Exception) -> HttpResponse:
    if isinstance(exc, access.OutOfScope):
        return render(request, template, {**_base(request), "error": exc.message}, status=403)
    return bad_filter(request, template, getattr(exc, "message", str(exc)), _base(request))


@officer_required
@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    template = "stats/desk/dashboard.html"
    try:
        chosen, today = _chosen(request)
    except (filters.FilterError, access.OutOfScope) as exc:
        return _refused(request, template, exc)
    period = chosen.period
    # the aggregates (briefly cached per scope and period, after the scope check above)
    agg = dashboard.desk_figures(chosen, today)
    figures, sat, trend = agg["figures"], agg["satisfaction"], agg["trend"]
    late = overdue.overdue_dossiers(
        request.user, chosen.agency, subtree=chosen.subtree, now=timezone.now()
    )
    late_by_agency = overdue.by_agency(late)
    english = (request.LANGUAGE_CODE or "vi").startswith("en")
    for row in late_by_agency:
        row["name"] = (english and row["current_agency__name_en"]) or row["current_agency__name_vi"]
    by_agency = agg["by_agency"]
    agency_rows = [
        {
            "code": r.key,
            "name": r.label_en if english and r.label_en else r.label_vi,
            "received": r.figures.received,
            "settled": r.figures.settled,
            "on_time_rate": percent(on_time_rate(r.figures)),
            "online_share": percent(online_share(r.figures)),
            "overdue": r.figures.in_progress_overdue,
        }
        for r in by_agency
    ]
    sat_rows = [
        {
            "name": r.label_en if english and r.label_en else r.label_vi,
            "total": r.figures.total,
            "levels": [
                r.figures.by_level.get(k, 0)
                for k in ("very_satisfied", "satisfied", "not_satisfied")
            ],
            "rate": percent(dashboard.satisfied_rate(r.figures)),
        }
        for r in agg["sat_by_officer"]
    ]
    labels = [m["short"] for m in trend]
    context = {
        **_base(request),
        "filters": chosen,
        "query": chosen.query(),
        "unit_name": localized_name(chosen.agency),
        "period": dashboard.period_label(period, today),
        "headline": dashboard.headline(figures, sat, None),
        "trend": trend,
        "late_by_agency": late_by_agency,
        "late_by_officer": overdue.by_officer(late),
        "late_total": sum(r["n"] for r in late_by_agency),
        "agency_rows": agency_rows,
        "sat_total": sat,
        "sat_rows": sat_rows,
        "charts": {
            "trend": chart(
                "line",
                labels,
                [
                    (pgettext("stats", "Tiếp nhận"), [m["received"] for m in trend]),
                    (_("Đã giải quyết"), [m["settled"] for m in trend]),
                ],
            ),
            "late": chart(
                "bar",
                [r["name"] for r in late_by_agency],
                [(_("Hồ sơ quá hạn"), [r["n"] for r in late_by_agency])],
            ),
            "agencies": chart(
                "bar",
                [r["name"] for r in agency_rows],
                [(_("Tỷ lệ đúng hạn (%)"), [r["on_time_rate"] for r in agency_rows])],
                unit="%",
            ),
        },
    }
    return render(request, template, context)


@officer_required
@require_GET
def index_page(request: HttpRequest) -> HttpResponse:
    template = "stats/desk/index766.html"
    try:
        chosen, today = _chosen(request)
    except (filters.FilterError, access.OutOfScope) as exc:
        return _refused(request, template, exc)
    received_only = request.GET.get("received_only") == "1"
    result = queries.index766(chosen.scope, chosen.period, received_only=received_only)
    english = (request.LANGUAGE_CODE or "vi").startswith("en")
    groups = [
        {
            "name": g.name_en if english and g.name_en else g.name_vi,
            "score": g.score,
            "max": g.max,
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name_en if english and i.name_en else i.name_vi,
                    "numerator": i.numerator,
                    "denominator": i.denominator,
                    "ratio": percent(i.ratio),
                    "score": i.score,
                    "max": i.max,
                    "scored": i.scored,
                    "missing": i.missing,
                    "note": i.note,
                }
                for i in g.indicators
            ],
        }
        for g in result.groups
    ]
    context = {
        **_base(request),
        "filters": chosen,
        "query": chosen.query(received_only="1" if received_only else ""),
        "unit_name": localized_name(chosen.agency),
        "period": dashboard.period_label(chosen.period, today),
        "result": result,
        "groups": groups,
        "received_only": received_only,
        "drillable": drilldown_codes(),
        "charts": {
            "groups": chart(
                "bar",
                [g["name"] for g in groups],
                [
                    (_("Điểm"), [g["score"] for g in groups]),
                    (_("Điểm tối đa"), [g["max"] for g in groups]),
                ],
            )
        },
    }
    return render(request, template, context)


def drilldown_codes() -> frozenset[str]:
    """The indicators with a dossier list behind them (drilldown knows which)."""
    try:
        from motcua.stats import drilldown
    except ImportError:  # not merged yet
        return frozenset()
    # the dossier-based indicators (catalogue-only ones such as 1.1–1.3 have no dossier list)
    codes = getattr(drilldown, "DRILLABLE", None)
    if codes is None:
        codes = getattr(getattr(drilldown, "indicators", None), "CODES", ())
    return frozenset(codes)


@officer_required
@require_GET
def drilldown_page(request: HttpRequest, code: str) -> HttpResponse:
    template = "stats/desk/drilldown.html"
    try:
        chosen, today = _chosen(request)
    except (filters.FilterError, access.OutOfScope) as exc:
        return _refused(request, template, exc)
    part = request.GET.get("part", "numerator")
    if part not in ("numerator", "denominator"):
        return bad_filter(
            request, template, _("Phần chỉ số phải là tử số hoặc mẫu số."), _base(request)
        )
    received_only = request.GET.get("received_only") == "1"
    try:
        from motcua.stats import drilldown  # h-stats' module (imported when used)

        qs = drilldown.indicator_dossiers(
            code, chosen.scope, chosen.period, part=part, received_only=received_only
        )
    except (KeyError, ValueError, LookupError):
        raise Http404(_("Không có chỉ số này.")) from None
    # the list is the indicator's dossiers AND what this officer may see (belt and braces: the
    # scope was checked above, the visibility filter keeps it so whatever the indicator joins)
    qs = (
        qs.filter(pk__in=visible_dossiers(request.user).values("pk"))
        .select_related("procedure", "current_agency")
        .order_by("received_at", "pk")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_base(request),
        "filters": chosen,
        "query": chosen.query(part=part, received_only="1" if received_only else ""),
        "unit_name": localized_name(chosen.agency),
        "period": dashboard.period_label(chosen.period, today),
        "code": code,
        "part": part,
        "page": page,
    }
    return render(request, template, context)


@officer_required
@require_GET
def export(request: HttpRequest, report: str, fmt: str) -> HttpResponse:
    template = "stats/desk/dashboard.html"
    try:
        chosen, today = _chosen(request)
        return build.export_response(
            report, fmt, chosen, request.GET.get("by", "agency"), today, public=False
        )
    except (filters.FilterError, access.OutOfScope, build.ExportError) as exc:
        return _refused(request, template, exc)
