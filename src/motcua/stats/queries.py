"""THE query layer of dossier statistics: every surface (web, API, CLI, exports) reads here.

Every read first brings the aggregates up to date (``services.refresh``: read-your-writes),
then sums the daily counters of the scope's agencies (an agency pools its subordinate units:
``Agency.path`` prefix) — see ``stats.aggregates`` for the identities used.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog.models import OnlineMode, Procedure
from motcua.stats import aggregates, indicators, periods, scope_filter, services
from motcua.stats.facts import CHANNELS, VN
from motcua.stats.models import (
    DailyCounter,
    DossierFact,
    MonthlyCounter,
    MonthlyHistogram,
    WdHistogram,
)
from motcua.stats.types import Counts, DossierFigures, IndexResult, Period, Row, Scope


def today() -> dt.date:
    return timezone.now().astimezone(VN).date()


def agency_for(scope: Scope) -> Agency:
    """The scope's agency; ``scope_filter.UnknownAgency`` (a ValueError with a Vietnamese
    message) when the code names none."""
    return scope_filter.scope_agency(scope)


def agency_ids(scope: Scope) -> QuerySet:
    """The agencies whose dossiers the scope pools (a subquery, never materialised)."""
    agency = agency_for(scope)
    if scope.subtree:
        return Agency.objects.filter(path__startswith=agency.path).values("pk")
    return Agency.objects.filter(pk=agency.pk).values("pk")


def window(period: Period, *, received_only: bool = False) -> indicators.Window:
    return indicators.Window(
        period.start, period.end, min(period.end, today()), received_only=received_only
    )


# -- counter sums ---------------------------------------------------------------------------

EVENT_COLS = aggregates.RECV_COLS + aggregates.END_COLS


def _month_bound(day: dt.date) -> dt.date:
    """B(X): the first day of the month of X + 1 day. Whole months before B(X) end by X;
    the days of [B(X), X] are the partial month (none when X ends its month)."""
    return aggregates.month_of(day + dt.timedelta(days=1))


def _grains(w: indicators.Window) -> dict[str, tuple[Q, Q]]:
    """For each sum, the rows it reads: (daily rows Q, monthly rows Q).

    - events of [s, C]: the whole months inside from the monthly rows, the partial months at
      the edges from the daily rows;
    - status balances at C (deltas of days ≤ C) and at s − 1 (carry-over): whole months from
      the monthly rows, the partial month from the daily rows."""
    s, c = w.start, w.cutoff
    first = s if s.day == 1 else aggregates.month_of(s + dt.timedelta(days=31))
    end_bound = _month_bound(c)
    if first < end_bound:
        events = (
            Q(day__gte=s, day__lt=first) | Q(day__gte=end_bound, day__lte=c),
            Q(day__gte=first, day__lt=end_bound),
        )
    else:
        events = (Q(day__gte=s, day__lte=c), Q(pk__in=[]))
    before = s - dt.timedelta(days=1)
    before_bound = _month_bound(before)
    return {
        "events": events,
        "at_cutoff": (Q(day__gte=end_bound, day__lte=c), Q(day__lt=end_bound)),
        "carried": (Q(day__gte=before_bound, day__lte=before), Q(day__lt=before_bound)),
    }


def _case(q: Q, col: str):
    return Sum(Case(When(q, then=col), default=Value(0), output_field=IntegerField()))


def _sum_exprs(w: indicators.Window, grain: int) -> tuple[dict, Q]:
    g = {k: v[grain] for k, v in _grains(w).items()}
    # aliases must differ from the column names (Django refuses an aggregate named like a field)
    exprs = {f"s_{c}": _case(g["events"], c) for c in EVENT_COLS}
    for c in aggregates.DELTA_COLS:
        exprs[f"s_{c}"] = _case(g["at_cutoff"], c)
    exprs["s_carried"] = _case(g["carried"], "d_open")
    return exprs, g["events"] | g["at_cutoff"] | g["carried"]


def _counters(agencies, w: indicators.Window, by: str | None = None):
    """The counters summed for the window: {column: n} (or {by value: {column: n}})."""
    total: dict = {}
    for grain, model in enumerate((DailyCounter, MonthlyCounter)):
        exprs, rows = _sum_exprs(w, grain)
        qs = model.objects.filter(rows, agency_id__in=agencies)
        if by is None:
            part = {None: qs.aggregate(**exprs)}
        else:
            part = {}
            for row in qs.values(by).annotate(**exprs).order_by(by):
                part[row.pop(by)] = row
        for key, row in part.items():
            into = total.setdefault(key, {})
            for k, v in row.items():
                into[k[2:]] = into.get(k[2:], 0) + int(v or 0)
    if by is None:
        return total.get(None) or {k[2:]: 0 for k in _sum_exprs(w, 0)[0]}
    return total


def _histogram(agencies, w: indicators.Window, by: str | None = None):
    fields = [by, "cwd"] if by else ["cwd"]
    out: dict = defaultdict(list)
    for grain, model in enumerate((WdHistogram, MonthlyHistogram)):
        rows = _grains(w)["events"][grain]
        qs = model.objects.filter(rows, agency_id__in=agencies)
        for row in qs.values(*fields).annotate(total=Sum("n")).order_by(*fields):
            if row["total"]:
                out[row[by] if by else None].append((row["cwd"], int(row["total"])))
    return out


def _median(hist: list[tuple[int, int]]) -> Decimal | None:
    n = sum(c for _, c in hist)
    if n == 0:
        return None
    lo_rank, hi_rank = (n - 1) // 2, n // 2
    seen, lo, hi = 0, None, None
    for value, count in sorted(hist):
        if lo is None and seen + count > lo_rank:
            lo = value
        if seen + count > hi_rank:
            hi = value
            break
        seen += count
    return _wd(Decimal(lo + hi) / 2)


def _wd(cwd: Decimal | int) -> Decimal:
    return (Decimal(cwd) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _figures(c: dict, hist: list[tuple[int, int]]) -> DossierFigures:
    by_channel = {ch: c.get(f"recv_{ch}", 0) for ch in CHANNELS}
    settled_n = c["settled_early"] + c["settled_on_time"] + c["settled_late"]
    overdue = c["d_overdue"]
    return DossierFigures(
        received_by_channel=by_channel,
        received=sum(by_channel.values()),
        carried_over=c["carried"],
        settled_early=c["settled_early"],
        settled_on_time=c["settled_on_time"],
        settled_late=c["settled_late"],
        refused=c["refused"],
        withdrawn=c["withdrawn"],
        stopped=c["stopped"],
        in_progress_within=c["d_open"] - overdue,
        in_progress_overdue=overdue,
        avg_processing_wd=_wd(Decimal(c["settled_cwd"]) / settled_n) if settled_n else None,
        median_processing_wd=_median(hist),
        online_received=by_channel["city_portal"] + by_channel["national_portal"],
        paid_online=c["recv_paid_online"],
        fee_bearing=c["recv_fee_bearing"],
        digitised=c["recv_digitised"],
        electronic_results=c["settled_eresult"],
    )


def dossier_figures(scope: Scope, period: Period) -> DossierFigures:
    """§2 figures of the scope's dossiers for the period (cut-off: its end, or today)."""
    services.refresh()
    agencies = agency_ids(scope)
    w = window(period)
    return _figures(_counters(agencies, w), _histogram(agencies, w).get(None, []))


def _labels(by: str, keys: Iterable) -> dict:
    keys = [k for k in keys if k is not None]
    if by == "procedure":
        return {
            p.pk: (p.code or str(p.pk), p.name_vi, p.name_en or p.name_vi)
            for p in Procedure.objects.filter(pk__in=keys)
        }
    if by == "field":
        from motcua.catalog.models import Field

        return {
            f.pk: (str(f.pk), f.name_vi, f.name_en or f.name_vi)
            for f in Field.objects.filter(pk__in=keys)
        }
    if by == "agency":
        return {
            a.pk: (a.code, a.name_vi, a.name_en or a.name_vi)
            for a in Agency.objects.filter(pk__in=keys)
        }
    from motcua.accounts.models import User

    return {
        u.pk: (u.username, u.full_name or u.username, u.full_name or u.username)
        for u in User.objects.filter(pk__in=keys)
    }


def _merge(into: dict, add: dict) -> None:
    for k, v in add.items():
        into[k] = into.get(k, 0) + v


def dossier_breakdown(scope: Scope, period: Period, by: str) -> list[Row]:
    """§2 figures per procedure, field (lĩnh vực), agency or officer.

    ``agency``: the scope's agency itself (its own dossiers) and each direct subordinate unit
    pooled with its own subtree. ``officer``: the officer who decided (approved / refused);
    only settlement figures make sense per officer, from the fact table."""
    if by not in ("procedure", "field", "agency", "officer"):
        raise ValueError(f"unknown breakdown {by!r}")
    services.refresh()
    agencies = agency_ids(scope)
    w = window(period)
    if by == "officer":
        return _officer_rows(agencies, w)
    groups: dict = {}
    hists: dict = defaultdict(list)
    if by in ("procedure", "field"):
        counters = _counters(agencies, w, "procedure_id")
        hist = _histogram(agencies, w, "procedure_id")
        field_of = dict(Procedure.objects.filter(pk__in=counters).values_list("pk", "field_id"))
        for pid, c in counters.items():
            key = pid if by == "procedure" else field_of.get(pid)
            _merge(groups.setdefault(key, {}), c)
            hists[key].extend(hist.get(pid, []))
    else:
        root = agency_for(scope)
        counters = _counters(agencies, w, "agency_id")
        hist = _histogram(agencies, w, "agency_id")
        children = list(Agency.objects.filter(parent=root).values_list("pk", "path"))
        paths = dict(Agency.objects.filter(pk__in=counters).values_list("pk", "path"))
        for aid, c in counters.items():
            key = root.pk
            if scope.subtree:
                for child, path in children:
                    if paths.get(aid, "").startswith(path):
                        key = child
                        break
            _merge(groups.setdefault(key, {}), c)
            hists[key].extend(hist.get(aid, []))
    labels = _labels(by, groups)
    rows = []
    for key, c in groups.items():
        code, vi, en = labels.get(key, (str(key), str(key), str(key)))
        rows.append(Row(code, vi, en, _figures(c, hists.get(key, []))))
    rows.sort(key=lambda r: (-r.figures.received, r.key))
    return rows


def _officer_rows(agencies, w: indicators.Window) -> list[Row]:
    qs = DossierFact.objects.filter(
        agency_id__in=agencies, ended_day__gte=w.start, ended_day__lte=w.cutoff
    ).exclude(officer_id=None)
    per: dict = defaultdict(lambda: defaultdict(int))
    hists: dict = defaultdict(list)
    for officer, klass, kind, cwd, e in qs.values_list(
        "officer_id", "end_class", "end_kind", "processing_cwd", "e_result"
    ):
        c = per[officer]
        c[{"early": "settled_early", "on_time": "settled_on_time"}.get(klass, "settled_late")] += 1
        c["refused"] += kind == "refused"
        c["settled_eresult"] += bool(e)
        if cwd is not None:
            c["settled_cwd"] += cwd
            hists[officer].append((cwd, 1))
    labels = _labels("officer", per)
    zero = {c: 0 for c in (*aggregates.COLUMNS, "carried")}
    rows = []
    for officer, c in per.items():
        code, vi, en = labels.get(officer, (str(officer),) * 3)
        rows.append(Row(code, vi, en, _figures({**zero, **c}, hists[officer])))
    rows.sort(key=lambda r: (-r.figures.settled, r.key))
    return rows


def dossier_trend(scope: Scope, period: Period) -> list[tuple[Period, DossierFigures]]:
    """Month by month (the months clipped to the period)."""
    services.refresh()
    agencies = agency_ids(scope)
    out = []
    for month in periods.months(period):
        if month.start > today():
            break
        w = window(month)
        out.append((month, _figures(_counters(agencies, w), _histogram(agencies, w).get(None, []))))
    return out


# -- the 766 index ----------------------------------------------------------------------------


def _fact_counts(agencies, w: indicators.Window) -> dict[str, tuple[int, int]]:
    """The HANDLED-universe indicators evaluated dossier by dossier over the fact table (the
    ``received_only`` mode: RECEIVED(P) depends on the reception day, which the counters'
    deltas do not carry). Reads the facts received in P through (agency_id, received_day)."""
    from motcua.stats.refresh import from_model

    totals = {code: [0, 0] for code in indicators.HANDLED_CODES}
    qs = DossierFact.objects.filter(
        agency_id__in=agencies, received_day__gte=w.start, received_day__lte=w.cutoff
    )
    for m in qs.iterator(chunk_size=5000):
        f = from_model(m)
        for code in indicators.HANDLED_CODES:
            den, num = indicators.membership(f, w, code)
            totals[code][0] += den
            totals[code][1] += num
    return {k: (v[0], v[1]) for k, v in totals.items()}


def _distinct_procedures(agencies, w: indicators.Window, cols: tuple[str, ...]) -> set[int]:
    """Procedures with at least one such dossier received in the window."""
    out: set[int] = set()
    for grain, model in enumerate((DailyCounter, MonthlyCounter)):
        rows = _grains(w)["events"][grain]
        total = sum((Sum(c) for c in cols[1:]), Sum(cols[0]))
        qs = (
            model.objects.filter(rows, agency_id__in=agencies)
            .values("procedure_id")
            .annotate(total=total)
            .filter(total__gt=0)
        )
        out |= set(qs.values_list("procedure_id", flat=True))
    return out


def online_service_procedure_ids(scope: Scope) -> set[int]:
    """3.2's denominator: the online public services (procedures offered online, partially or
    fully, still applied) implemented by the scope's agencies."""
    return set(
        Procedure.objects.filter(
            is_active=True,
            online_mode__in=(OnlineMode.FULL, OnlineMode.PARTIAL),
            implementing_agencies__in=agency_ids(scope),
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def dossier_index_counts(
    scope: Scope, period: Period, *, received_only: bool = False
) -> dict[str, Counts]:
    """Every dossier-based input of the 766 index (kpi-766.md codes), from the counters."""
    services.refresh()
    agencies = agency_ids(scope)
    w = window(period, received_only=received_only)
    c = _counters(agencies, w)
    ended = sum(c[k] for k in ("settled_early", "settled_on_time", "settled_late"))
    ended += c["withdrawn"] + c["stopped"]
    ended_on_time = c["settled_early"] + c["settled_on_time"] + c["other_on_time"]
    handled = c["d_open"] + ended
    on_time = c["d_open"] - c["d_overdue"] + ended_on_time
    on_time_neg = c["d_open_neg"] - c["d_overdue_neg"] + c["end_ontime_neg"]
    handled_counts = {
        "2.1": (handled, on_time),
        "4.1": (handled, c["d_open_eresult"] + c["end_eresult"]),
        "4.2": (handled, c["d_open_digitised"] + c["end_digitised"]),
        "4.3": (handled, c["d_open_reused"] + c["end_reused"]),
        "4.4": (handled, 0),
        "4.5b": (handled, c["d_open_popdata"] + c["end_popdata"]),
        "5.4": (handled, on_time - on_time_neg),
    }
    if received_only:
        handled_counts = _fact_counts(agencies, w)
    received = sum(c[f"recv_{ch}"] for ch in CHANNELS)
    out = {code: Counts(num, den) for code, (den, num) in handled_counts.items()}
    out["4.4"] = Counts(
        None,
        handled_counts["4.4"][0],
        missing=("component_from_personal_store", "result_pushed_to_personal_store"),
        note="motcua does not record the citizen's personal data store on the national portal.",
    )
    out["1.4"] = Counts(
        c["recv_synced"],
        None,
        missing=("bcqg_received", "national_portal_received"),
        note=f"Synchronised / received in the period by motcua's own count: "
        f"{c['recv_synced']} / {received}.",
    )
    out["2.2"] = Counts(
        c["recv_settled_cwd"],
        c["recv_settled_n"],
        note="numerator in hundredths of a working day (average = numerator / denominator / 100)",
    )
    out["3.3"] = Counts(c["recv_online_ok"], received)
    out["3.6"] = Counts(c["recv_paid_online"], c["recv_fee_bearing"])
    services_set = online_service_procedure_ids(scope)
    online = _distinct_procedures(agencies, w, ("recv_city_portal", "recv_national_portal"))
    out["3.2"] = Counts(len(online & services_set), len(services_set))
    fee_set = _fee_bearing_procedures(scope)
    out["3.5"] = Counts(
        len(_distinct_procedures(agencies, w, ("recv_fee_nonzero",)) & fee_set), len(fee_set)
    )
    out["3.5b"] = Counts(
        len(_distinct_procedures(agencies, w, ("recv_paid_online",)) & fee_set), len(fee_set)
    )
    citizen = _citizen_procedures(scope)
    out["4.5a"] = Counts(
        len(_distinct_procedures(agencies, w, ("recv_popdata",)) & citizen), len(citizen)
    )
    return out


def _fee_bearing_procedures(scope: Scope) -> set[int]:
    try:
        from motcua.stats import catalog_inputs
    except ImportError:  # h-score's module not merged yet: the catalogue's own fee lines
        return set(
            Procedure.objects.filter(
                is_active=True,
                fee_lines__amount_vnd__gt=0,
                implementing_agencies__in=agency_ids(scope),
            ).values_list("pk", flat=True)
        )
    return set(catalog_inputs.fee_bearing_procedure_ids(scope))


def _citizen_procedures(scope: Scope) -> set[int]:
    try:
        from motcua.stats import catalog_inputs
    except ImportError:  # until h-score's module is merged: the active procedures in scope
        return set(
            Procedure.objects.filter(
                is_active=True, implementing_agencies__in=agency_ids(scope)
            ).values_list("pk", flat=True)
        )
    return set(catalog_inputs.citizen_procedure_ids(scope))


def index766(scope: Scope, period: Period, *, received_only: bool = False) -> IndexResult:
    """The Decision 766 index of the scope for the period: the dossier-based counts of this
    module, the catalogue and 1022 inputs (``catalog_inputs``, ``petitions``), scored by
    ``index766.score_index`` (pure)."""
    from motcua.stats import index766 as scoring

    agency = agency_for(scope)
    counts: dict[str, Counts] = {}
    counts.update(dossier_index_counts(scope, period, received_only=received_only))
    for module in ("catalog_inputs", "petitions"):
        try:
            inputs = importlib.import_module(f"motcua.stats.{module}")
        except ImportError:  # not merged yet: its indicators show as "no data" (N/A)
            continue
        counts.update(inputs.index_counts(scope, period))
    return scoring.score_index(
        counts,
        scope=scope,
        period=period,
        received_only=received_only,
        provisional=periods.is_provisional(period, today()),
        is_root=scope_filter.is_root(agency),
    )


def index766_peers(scope: Scope, period: Period) -> list[tuple[Agency, IndexResult]]:
    """The index of each direct subordinate unit of the scope's agency (for ranks)."""
    root = agency_for(scope)
    out = []
    for child in Agency.objects.filter(parent=root).order_by("code"):
        out.append((child, index766(Scope(child.code, subtree=True), period)))
    return out
