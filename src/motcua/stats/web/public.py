"""/thong-ke/: the city's published figures (on-time rate, online share, satisfaction, the 766
score and each agency's rank among its peers), month by month. Aggregates only: no applicant
or officer appears; the figures are cached briefly (``dashboard.public_overview``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.stats import dashboard, filters
from motcua.stats.exports import build

from .common import CHARTJS_VERSION, bad_filter, chart

TEMPLATE = "stats/public.html"


def charts(data: dict) -> dict:
    trend = data["trend"]
    peers = data["peers"]
    labels = [m["short"] for m in trend]
    return {
        "trend": chart(
            "line",
            labels,
            [
                (_("Tỷ lệ đúng hạn (%)"), [m["on_time_rate"] for m in trend]),
                (_("Tỷ lệ trực tuyến (%)"), [m["online_share"] for m in trend]),
            ],
            unit="%",
        ),
        "received": chart("bar", labels, [(_("Hồ sơ tiếp nhận"), [m["received"] for m in trend])]),
        "peers": chart(
            "bar",
            [p["name"] for p in peers],
            [(_("Điểm Chỉ số 766"), [p["score"] for p in peers])],
        ),
        "peers_on_time": chart(
            "bar",
            [p["name"] for p in peers],
            [(_("Tỷ lệ đúng hạn (%)"), [p["on_time_rate"] for p in peers])],
            unit="%",
        ),
    }


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    base = {"chartjs": CHARTJS_VERSION}
    try:
        chosen = filters.parse(request.GET, today=today)
    except filters.FilterError as exc:
        return bad_filter(request, TEMPLATE, exc.message, base)
    data = dashboard.public_overview(chosen, today)
    return render(
        request,
        TEMPLATE,
        {
            **base,
            "filters": chosen,
            "query": chosen.query(),
            "data": data,
            "charts": charts(data),
            "children": dashboard.agency_children(chosen.agency)[:200],
            "root": filters.root_agency(),
        },
    )


@require_GET
def export(request: HttpRequest, report: str, fmt: str) -> HttpResponse:
    """Public downloads of the same aggregates (no officer breakdowns)."""
    today = timezone.localdate()
    try:
        chosen = filters.parse(request.GET, today=today)
        return build.export_response(
            report, fmt, chosen, request.GET.get("by", "agency"), today, public=True
        )
    except (filters.FilterError, build.ExportError) as exc:
        return bad_filter(request, TEMPLATE, exc.message, {"chartjs": CHARTJS_VERSION})
