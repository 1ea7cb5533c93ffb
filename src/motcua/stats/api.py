"""REST API of the statistics (/api/v1/stats/…): the same figures as the pages, the exports and
the CLI (one query layer). Aggregates are public (no personal data; rate limited like the
catalog); the dossier lists behind an indicator need an officer (session or API token with
``dossiers:read``) and are scoped to what that officer may see.

Bad parameters are problem details with a stable ``code``: ``invalid_period`` (and the period
parser's own codes, e.g. ``date_out_of_range``, ``range_too_long``), ``unknown_agency``,
``invalid_subtree``, ``agency_out_of_scope``, ``unknown_indicator``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field as PydanticField

from motcua.core.localize import localized_name
from motcua.dossiers.queries import visible_dossiers
from motcua.restapi.auth import AUTH, caller
from motcua.restapi.problems import ApiProblem, ProblemDetails
from motcua.restapi.ratelimit import PublicRateLimit
from motcua.stats import access, filters, petitions, queries, satisfaction
from motcua.stats.types import (
    DossierFigures,
    FeedbackFigures,
    IndexResult,
    Period,
    SatisfactionFigures,
)

router = Router(tags=["stats"], throttle=[PublicRateLimit("stats")])
ERRORS = {400: ProblemDetails, 422: ProblemDetails, 429: ProblemDetails}
AUTH_ERRORS = {**ERRORS, 401: ProblemDetails, 403: ProblemDetails, 404: ProblemDetails}


class FilterParams(Schema):
    period: str = PydanticField(
        "",
        max_length=30,
        description="2021, 2021-05, 2021-Q3, 2021-H1, 2021-BC-Q3 (ministry window), "
        "2021-01-01..2021-09-30; default: the latest year with dossiers",
    )
    agency: str = PydanticField("", max_length=60, description="agency code; default: the province")
    subtree: bool = PydanticField(True, description="pool the agency's subordinate units")


class UnitOut(Schema):
    code: str
    name: str
    subtree: bool


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    label: str
    provisional: bool


class DossierFiguresOut(Schema):
    received_by_channel: dict[str, int]
    received: int
    carried_over: int
    settled: int
    settled_early: int
    settled_on_time: int
    settled_late: int
    refused: int
    withdrawn: int
    stopped: int
    in_progress_within: int
    in_progress_overdue: int
    avg_processing_wd: float | None
    median_processing_wd: float | None
    online_received: int
    paid_online: int
    fee_bearing: int
    digitised: int
    electronic_results: int


class DossierReport(Schema):
    unit: UnitOut
    period: PeriodOut
    figures: DossierFiguresOut


class BreakdownRow(Schema):
    key: str
    label: str
    figures: DossierFiguresOut


class DossierBreakdown(Schema):
    unit: UnitOut
    period: PeriodOut
    by: str
    rows: list[BreakdownRow]


class TrendRow(Schema):
    period: PeriodOut
    figures: DossierFiguresOut


class DossierTrend(Schema):
    unit: UnitOut
    period: PeriodOut
    months: list[TrendRow]


class IndicatorOut(Schema):
    code: str
    key: str
    name: str
    numerator: int | None
    denominator: int | None
    ratio: float | None
    score: float | None
    max: float
    scored: bool
    missing: list[str]
    note: str


class GroupOut(Schema):
    key: str
    name: str
    score: float
    max: float
    indicators: list[IndicatorOut]


class IndexOut(Schema):
    unit: UnitOut
    period: PeriodOut
    received_only: bool
    provisional: bool
    total: float
    max: float
    groups: list[GroupOut]


class PeerOut(Schema):
    rank: int
    code: str
    name: str
    total: float
    max: float


class PeersOut(Schema):
    unit: UnitOut
    period: PeriodOut
    peers: list[PeerOut]


class FeedbackFiguresOut(Schema):
    received_by_channel: dict[str, int]
    received_by_category: dict[str, int]
    received: int
    handled_on_time: int
    handled_late: int
    in_progress: int
    published: int


class FeedbackReport(Schema):
    unit: UnitOut
    period: PeriodOut
    figures: FeedbackFiguresOut


class FeedbackRow(Schema):
    key: str
    label: str
    figures: FeedbackFiguresOut


class FeedbackBreakdown(Schema):
    unit: UnitOut
    period: PeriodOut
    by: str
    rows: list[FeedbackRow]


class SatisfactionFiguresOut(Schema):
    by_level: dict[str, int]
    by_channel: dict[str, dict[str, int]]
    total: int
    satisfied_rate: float | None = None


class SatisfactionReport(Schema):
    unit: UnitOut
    period: PeriodOut
    figures: SatisfactionFiguresOut


class SatisfactionRow(Schema):
    key: str
    label: str
    figures: SatisfactionFiguresOut


class SatisfactionBreakdown(Schema):
    unit: UnitOut
    period: PeriodOut
    by: str
    rows: list[SatisfactionRow]


class DossierRef(Schema):
    code: str
    procedure: str
    agency: str
    state: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    ended_at: dt.datetime | None


class DrilldownPage(Schema):
    indicator: str
    part: str
    count: int
    offset: int
    items: list[DossierRef]


# -- helpers ---------------------------------------------------------------------------------


def _f(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _english(request: HttpRequest) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "") or "vi").startswith("en")


def _filters(params: FilterParams) -> filters.Filters:
    try:
        return filters.parse(
            {
                "period": params.period,
                "agency": params.agency,
                "subtree": "1" if params.subtree else "0",
            },
            today=timezone.localdate(),
        )
    except filters.FilterError as exc:
        raise ApiProblem(400, exc.code, exc.message, {exc.field: exc.message}) from None


def _unit(chosen: filters.Filters) -> UnitOut:
    return UnitOut(
        code=chosen.agency.code, name=localized_name(chosen.agency), subtree=chosen.subtree
    )


def _period(period: Period, english: bool = False) -> PeriodOut:
    return PeriodOut(
        start=period.start,
        end=period.end,
        label=(period.label_en or period.label) if english else period.label,
        provisional=timezone.localdate() <= period.end,
    )


def _dossiers(f: DossierFigures) -> DossierFiguresOut:
    return DossierFiguresOut(
        received_by_channel=dict(f.received_by_channel),
        received=f.received,
        carried_over=f.carried_over,
        settled=f.settled,
        settled_early=f.settled_early,
        settled_on_time=f.settled_on_time,
        settled_late=f.settled_late,
        refused=f.refused,
        withdrawn=f.withdrawn,
        stopped=f.stopped,
        in_progress_within=f.in_progress_within,
        in_progress_overdue=f.in_progress_overdue,
        avg_processing_wd=_f(f.avg_processing_wd),
        median_processing_wd=_f(f.median_processing_wd),
        online_received=f.online_received,
        paid_online=f.paid_online,
        fee_bearing=f.fee_bearing,
        digitised=f.digitised,
        electronic_results=f.electronic_results,
    )


def _feedback(f: FeedbackFigures) -> FeedbackFiguresOut:
    return FeedbackFiguresOut(
        received_by_channel=dict(f.received_by_channel),
        received_by_category=dict(f.received_by_category),
        received=f.received,
        handled_on_time=f.handled_on_time,
        handled_late=f.handled_late,
        in_progress=f.in_progress,
        published=f.published,
    )


def _satisfaction(f: SatisfactionFigures) -> SatisfactionFiguresOut:
    from motcua.stats.dashboard import satisfied_rate

    return SatisfactionFiguresOut(
        by_level=dict(f.by_level),
        by_channel={k: dict(v) for k, v in f.by_channel.items()},
        total=f.total,
        satisfied_rate=_f(satisfied_rate(f)),
    )


def _label(row, english: bool) -> str:
    return row.label_en if english and row.label_en else row.label_vi


def index_out(result: IndexResult, chosen: filters.Filters, english: bool) -> IndexOut:
    return IndexOut(
        unit=_unit(chosen),
        period=_period(result.period, english),
        received_only=result.received_only,
        provisional=result.provisional,
        total=float(result.total),
        max=float(result.max),
        groups=[
            GroupOut(
                key=g.key,
                name=g.name_en if english and g.name_en else g.name_vi,
                score=float(g.score),
                max=float(g.max),
                indicators=[
                    IndicatorOut(
                        code=i.code,
                        key=i.key,
                        name=i.name_en if english and i.name_en else i.name_vi,
                        numerator=i.numerator,
                        denominator=i.denominator,
                        ratio=_f(i.ratio),
                        score=_f(i.score),
                        max=float(i.max),
                        scored=i.scored,
                        missing=list(i.missing),
                        note=i.note,
                    )
                    for i in g.indicators
                ],
            )
            for g in result.groups
        ],
    )


# -- public aggregates -----------------------------------------------------------------------


@router.get("/dossiers", response={200: DossierReport, **ERRORS}, summary="Dossier figures (§2)")
def dossier_figures(request: HttpRequest, params: Query[FilterParams]) -> DossierReport:
    chosen = _filters(params)
    figures = queries.dossier_figures(chosen.scope, chosen.period)
    return DossierReport(
        unit=_unit(chosen),
        period=_period(chosen.period, _english(request)),
        figures=_dossiers(figures),
    )


class BreakdownParams(FilterParams):
    by: Literal["agency", "field", "procedure"] = "agency"


@router.get(
    "/dossiers/breakdown",
    response={200: DossierBreakdown, **ERRORS},
    summary="Dossier figures per agency, field or procedure",
)
def dossier_breakdown(request: HttpRequest, params: Query[BreakdownParams]) -> DossierBreakdown:
    chosen = _filters(params)
    english = _english(request)
    rows = queries.dossier_breakdown(chosen.scope, chosen.period, params.by)
    return DossierBreakdown(
        unit=_unit(chosen),
        period=_period(chosen.period, english),
        by=params.by,
        rows=[
            BreakdownRow(key=r.key, label=_label(r, english), figures=_dossiers(r.figures))
            for r in rows
        ],
    )


@router.get("/dossiers/trend", response={200: DossierTrend, **ERRORS}, summary="Month by month")
def dossier_trend(request: HttpRequest, params: Query[FilterParams]) -> DossierTrend:
    chosen = _filters(params)
    english = _english(request)
    months = queries.dossier_trend(chosen.scope, chosen.period)
    return DossierTrend(
        unit=_unit(chosen),
        period=_period(chosen.period, english),
        months=[TrendRow(period=_period(p, english), figures=_dossiers(f)) for p, f in months],
    )


class IndexParams(FilterParams):
    received_only: bool = PydanticField(
        False, description="the HANDLED universe without carry-over (kpi-766.md §0.6)"
    )


@router.get("/index766", response={200: IndexOut, **ERRORS}, summary="The Decision 766 index")
def index766(request: HttpRequest, params: Query[IndexParams]) -> IndexOut:
    chosen = _filters(params)
    result = queries.index766(chosen.scope, chosen.period, received_only=params.received_only)
    return index_out(result, chosen, _english(request))


@router.get(
    "/index766/peers",
    response={200: PeersOut, **ERRORS},
    summary="The 766 totals of the agency's direct subordinate units, ranked",
)
def index766_peers(request: HttpRequest, params: Query[FilterParams]) -> PeersOut:
    chosen = _filters(params)
    peers = sorted(
        queries.index766_peers(chosen.scope, chosen.period),
        key=lambda pair: (-pair[1].total, pair[0].code),
    )
    out, rank, previous = [], 0, None
    for i, (agency, result) in enumerate(peers, start=1):
        if result.total != previous:
            rank, previous = i, result.total
        out.append(
            PeerOut(rank=rank, code=agency.code, name=localized_name(agency),
                    total=float(result.total), max=float(result.max))
        )  # fmt: skip
    return PeersOut(unit=_unit(chosen), period=_period(chosen.period, _english(request)), peers=out)


@router.get("/feedback", response={200: FeedbackReport, **ERRORS}, summary="1022 feedback figures")
def feedback_figures(request: HttpRequest, params: Query[FilterParams]) -> FeedbackReport:
    chosen = _filters(params)
    figures = petitions.feedback_figures(chosen.scope, chosen.period)
    return FeedbackReport(
        unit=_unit(chosen),
        period=_period(chosen.period, _english(request)),
        figures=_feedback(figures),
    )


class FeedbackBreakdownParams(FilterParams):
    by: Literal["channel", "category", "agency"] = "channel"


@router.get(
    "/feedback/breakdown",
    response={200: FeedbackBreakdown, **ERRORS},
    summary="1022 feedback per channel, category or agency",
)
def feedback_breakdown(
    request: HttpRequest, params: Query[FeedbackBreakdownParams]
) -> FeedbackBreakdown:
    chosen = _filters(params)
    english = _english(request)
    rows = petitions.feedback_breakdown(chosen.scope, chosen.period, params.by)
    return FeedbackBreakdown(
        unit=_unit(chosen),
        period=_period(chosen.period, english),
        by=params.by,
        rows=[
            FeedbackRow(key=r.key, label=_label(r, english), figures=_feedback(r.figures))
            for r in rows
        ],
    )


@router.get(
    "/satisfaction", response={200: SatisfactionReport, **ERRORS}, summary="Satisfaction ratings"
)
def satisfaction_figures(request: HttpRequest, params: Query[FilterParams]) -> SatisfactionReport:
    chosen = _filters(params)
    figures = satisfaction.satisfaction_figures(chosen.scope, chosen.period)
    return SatisfactionReport(
        unit=_unit(chosen),
        period=_period(chosen.period, _english(request)),
        figures=_satisfaction(figures),
    )


class SatisfactionBreakdownParams(FilterParams):
    by: Literal["agency", "procedure", "desk"] = "agency"


@router.get(
    "/satisfaction/breakdown",
    response={200: SatisfactionBreakdown, **ERRORS},
    summary="Satisfaction ratings per agency, procedure or desk",
)
def satisfaction_breakdown(
    request: HttpRequest, params: Query[SatisfactionBreakdownParams]
) -> SatisfactionBreakdown:
    chosen = _filters(params)
    english = _english(request)
    rows = satisfaction.satisfaction_breakdown(chosen.scope, chosen.period, params.by)
    return SatisfactionBreakdown(
        unit=_unit(chosen),
        period=_period(chosen.period, english),
        by=params.by,
        rows=[
            SatisfactionRow(key=r.key, label=_label(r, english), figures=_satisfaction(r.figures))
            for r in rows
        ],
    )


# -- officers only: the dossiers behind an indicator -----------------------------------------


class DrilldownParams(IndexParams):
    part: Literal["numerator", "denominator"] = "numerator"
    offset: int = PydanticField(0, ge=0, le=1_000_000)
    limit: int = PydanticField(50, ge=1, le=200)


@router.get(
    "/index766/{code}/dossiers",
    response={200: DrilldownPage, **AUTH_ERRORS},
    auth=AUTH,
    summary="The dossiers behind an indicator (officers; scoped)",
)
def indicator_dossiers(
    request: HttpRequest, code: str, params: Query[DrilldownParams]
) -> DrilldownPage:
    c = caller(request)
    c.require("dossiers:read")
    if not c.is_officer:
        raise ApiProblem(403, "officers_only", "Chỉ cán bộ được xem danh sách hồ sơ.")
    chosen = _filters(params)
    try:
        chosen = access.checked(c.user, chosen)
    except access.OutOfScope as exc:
        raise ApiProblem(403, exc.code, exc.message, {"agency": exc.message}) from None
    try:
        from motcua.stats import drilldown  # h-stats' module (imported when used)

        qs = drilldown.indicator_dossiers(
            code, chosen.scope, chosen.period, part=params.part, received_only=params.received_only
        )
    except (KeyError, LookupError, ValueError, ImportError):
        raise ApiProblem(404, "unknown_indicator", "Không có chỉ số này.", {"code": code}) from None
    qs = (
        qs.filter(pk__in=visible_dossiers(c.user).values("pk"))
        .select_related("procedure", "current_agency")
        .order_by("received_at", "pk")
    )
    total = qs.count()
    items = [
        DossierRef(
            code=d.code,
            procedure=d.procedure.code or localized_name(d.procedure),
            agency=d.current_agency.code,
            state=d.state,
            received_at=d.received_at,
            due_at=d.effective_due_at,
            ended_at=d.ended_at,
        )
        for d in qs[params.offset : params.offset + params.limit]
    ]
    return DrilldownPage(
        indicator=code, part=params.part, count=total, offset=params.offset, items=items
    )
