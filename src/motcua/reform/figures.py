"""The bulletin's reform figures (``reform.*``): the year's plan (both progress ratios, the
cancelled tasks, the targets), the units' PAR-index bands and the inspections of the period.

- Plan: the plan of the period's end year of the scope's agency (the city's plan when the
  query names no agency); statuses as stored now (``reform.queries.plan_progress``).
- Index bands: the published results of the scheme (per tier) whose results were published
  inside the period: the seed's 2021 bulletin prints the 2020 bands announced in 2021. With an
  agency scope, only the units under it.
- Inspections: those started inside the period, by kind (``reform.queries.inspection_counts``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.core.figures import FLOW, STOCK, Figure, FigureQuery
from motcua.core.text import normalize_search
from motcua.reform.index_queries import results
from motcua.reform.index_rules import Status, Tier
from motcua.reform.models import Assessment, Scheme
from motcua.reform.queries import inspection_counts, plan_progress, province
from motcua.stats import periods

PLAN_SOURCE = "reform.queries.plan_progress"
INDEX_SOURCE = "reform.index_queries.results (published)"
INSPECTION_SOURCE = "reform.queries.inspection_counts"
TARGETS = ("par_index", "sipas", "papi")
TIERS = {Tier.DEPARTMENT: "departments", Tier.DISTRICT: "districts", Tier.COMMUNE: "communes"}
# the 2021 bands; a scheme with other bands adds its own keys
BANDS = ("tot", "kha", "trung_binh", "yeu")


def band_key(label: str) -> str:
    """ "Trung bình" → "trung_binh": the band's label without diacritics, as a key part."""
    return normalize_search(label).replace(" ", "_")


def _agency(query: FigureQuery) -> Agency | None:
    if query.agency_code:
        return Agency.objects.filter(code=query.agency_code).first()
    return province()


def _plan_figures(query: FigureQuery, agency: Agency | None) -> Iterator[Figure]:
    p = plan_progress(query.end.year, agency, today=query.end)
    url = reverse("reform:plan", args=[p.plan_id]) if p.plan_id else ""
    source = f"{PLAN_SOURCE} ({p.decision_number})" if p.decision_number else PLAN_SOURCE
    exists = p.plan_id is not None

    def fig(key: str, label: str, value, unit: str = "") -> Figure:
        return Figure(
            f"reform.plan.{key}", label, value if exists else None, unit, STOCK, source, url
        )

    t = p.total
    yield fig("objectives", _("Mục tiêu của kế hoạch CCHC"), p.objectives)
    yield fig("tasks_total", _("Nhiệm vụ của kế hoạch CCHC"), t.total)
    yield fig("tasks_started_or_done", _("Nhiệm vụ đã và đang triển khai"), t.active)
    yield fig("progress_pct", _("Tỷ lệ nhiệm vụ đã và đang triển khai"), t.active_percent, "%")
    yield fig("tasks_done", _("Nhiệm vụ đã hoàn thành"), t.done)
    yield fig("done_pct", _("Tỷ lệ nhiệm vụ đã hoàn thành"), t.done_percent, "%")
    yield fig("tasks_cancelled", _("Nhiệm vụ không thực hiện (đã hủy)"), t.cancelled)
    yield fig("tasks_overdue", _("Nhiệm vụ quá hạn"), t.overdue)
    targets = {tv.code: tv for tv in p.targets}
    for code in TARGETS:
        tv = targets.get(code)
        yield Figure(
            f"reform.targets.{code}",
            tv.name if tv else code,
            tv.value if tv else None,
            tv.unit if tv else "",
            STOCK,
            source,
            url,
        )


def published_scheme(tier: str, query: FigureQuery) -> Scheme | None:
    """The latest scheme of the tier whose results were published inside the period."""
    lo, hi = periods.bounds(
        periods.range_period(query.start, query.end), ZoneInfo(settings.TIME_ZONE)
    )
    found = (
        Assessment.objects.filter(
            scheme__tier=tier,
            status=Status.PUBLISHED,
            published_at__gte=lo,
            published_at__lt=hi,
        )
        .values("scheme__year")
        .aggregate(year=Max("scheme__year"))["year"]
    )
    if found is None:
        return None
    return Scheme.objects.filter(year=found, tier=tier).order_by("-version").first()


def _index_figures(query: FigureQuery, agency: Agency | None) -> Iterator[Figure]:
    for tier, name in TIERS.items():
        scheme = published_scheme(tier, query)
        counts: Counter[str] = Counter()
        labels: dict[str, str] = {}
        if scheme is not None:
            for band in scheme.bands.all():
                labels[band_key(band.label)] = band.label
            for row in results(scheme, published_only=True):
                if query.agency_code and agency and not row.agency.path.startswith(agency.path):
                    continue
                counts[band_key(row.band)] += 1
        url = reverse("reform_index:results", args=[scheme.pk]) if scheme else ""
        source = f"{INDEX_SOURCE}: {scheme.name}" if scheme else INDEX_SOURCE
        keys = list(dict.fromkeys([*BANDS, *labels]))
        if scheme is None and tier == Tier.COMMUNE:
            continue  # no commune tier in the 2021 bulletin: keys only once a scheme exists
        for key in keys:
            label = _("Đơn vị %(tier)s xếp loại %(band)s") % {
                "tier": Tier(tier).label,
                "band": labels.get(key, key),
            }
            value = counts[key] if scheme is not None else None
            yield Figure(f"reform.index.{name}.{key}", label, value, "", STOCK, source, url)
        if scheme is not None:
            yield Figure(
                f"reform.index.{name}.year",
                _("Năm đánh giá Chỉ số CCHC (%(tier)s)") % {"tier": Tier(tier).label},
                scheme.year,
                "",
                STOCK,
                source,
                url,
            )


def _inspection_figures(query: FigureQuery, agency: Agency | None) -> Iterator[Figure]:
    c = inspection_counts(query.start, query.end, agency if query.agency_code else None)
    url = reverse("reform:inspections")
    for key, label, value in (
        ("periodic", _("Cuộc kiểm tra CCHC định kỳ"), c.periodic),
        ("surprise", _("Cuộc kiểm tra đột xuất"), c.surprise),
        ("thematic", _("Cuộc kiểm tra chuyên đề"), c.thematic),
        ("total", _("Tổng số cuộc kiểm tra CCHC"), c.total),
    ):
        yield Figure(f"reform.inspections.{key}", label, value, "", FLOW, INSPECTION_SOURCE, url)


def provide(query: FigureQuery) -> Iterator[Figure]:
    agency = _agency(query)
    if query.agency_code and agency is None:
        return
    yield from _plan_figures(query, agency)
    yield from _index_figures(query, agency)
    yield from _inspection_figures(query, agency)


__all__ = ["band_key", "provide", "published_scheme"]
