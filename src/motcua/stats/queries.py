"""THE query layer of dossier statistics: every surface (web, API, CLI, exports) reads here.

Every read first brings the aggregates up to date (``services.refresh``: read-your-writes),
then sums the daily counters of the scope's agencies (an agency pools its subordinate units:
``Agency.path`` prefix) — see ``stats.aggregates`` for the identities used.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog.models import OnlineMode, Procedure
from motcua.stats import (
    aggregates,
    catalog_inputs,
    indicators,
    periods,
    petitions,
    scope_filter,
    services,
)
from motcua.stats import index766 as scoring
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


NEVER = dt.date.min  # the lower bound of "everything before"

Ranges = list[tuple[dt.date, dt.date]]  # inclusive day ranges


def _ranges(w: indicators.Window) -> dict[str, tuple[Ranges, Ranges]]:
    """For each sum, the rows it reads, as inclusive day ranges: (daily rows, monthly rows).

    - events of [s, C]: the whole months inside from the monthly rows, the partial months at
      the edges from the daily rows;
    - status balances at C (deltas of days ≤ C) and at s − 1 (carry-over): whole months from
      the monthly rows, the partial month from the daily rows.
    Empty ranges are dropped, so a period of whole months reads no daily row at all."""
    s, c = w.start, w.cutoff
    one = dt.timedelta(days=1)
    first = s if s.day == 1 else aggregates.month_of(s + dt.timedelta(days=31))
    end_bound = _month_bound(c)
    if first < end_bound:
        events = ([(s, first - one), (end_bound, c)], [(first, end_bound - one)])
    else:
        events = ([(s, c)], [])
    before = s - one
    before_bound = _month_bound(before)
    out = {
        "events": events,
        "at_cutoff": ([(end_bound, c)], [(NEVER, end_bound - one)]),
        "carried": ([(before_bound, before)], [(NEVER, before_bound - one)]),
    }
    return {k: tuple([r for r in g if r[0] <= r[1]] for g in v) for k, v in out.items()}


def _q(ranges: Ranges) -> Q | None:
    q = None
    for lo, hi in ranges:
        part = Q(day__lte=hi) if lo == NEVER else Q(day__gte=lo, day__lte=hi)
        q = part if q is None else q | part
    return q


def _grains(w: indicators.Window) -> dict[str, tuple[Q | None, Q | None]]:
    """``_ranges`` as ORM filters (None: no row of that grain)."""
    return {k: (_q(v[0]), _q(v[1])) for k, v in _ranges(w).items()}


def _case(q: Q, col: str):
    return Sum(Case(When(q, then=col), default=Value(0), output_field=IntegerField()))


# Each figure summed from the counters: (its name, the counter column, the day ranges of
# ``_ranges`` it sums over). Read by the SQL sums and by the trend's in-memory sums alike.
SUMS: tuple[tuple[str, str, str], ...] = (
    *((c, c, "events") for c in EVENT_COLS),
    *((c, c, "at_cutoff") for c in aggregates.DELTA_COLS),
    ("carried", "d_open", "carried"),
)


def _sum_exprs(w: indicators.Window, grain: int) -> tuple[dict, Q | None]:
    """The aggregate expressions of one grain and the rows they read (None: none)."""
    g = {k: v[grain] for k, v in _grains(w).items()}
    never = Q(pk__in=[])
    # aliases must differ from the column names (Django refuses an aggregate named like a field)
    exprs = {f"s_{name}": _case(g[ranges] or never, col) for name, col, ranges in SUMS}
    rows = [q for q in g.values() if q is not None]
    if not rows:
        return exprs, None
    combined = rows[0]
    for q in rows[1:]:
        combined |= q
    return exprs, combined


def _counters(agencies, w: indicators.Window, by: str | None = None):
    """The counters summed for the window: {column: n} (or {by value: {column: n}})."""
    total: dict = {}
    for grain, model in enumerate((DailyCounter, MonthlyCounter)):
        exprs, rows = _sum_exprs(w, grain)
        if rows is None:
            continue
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
        if rows is None:
            continue
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
    services.refresh(limit=services.READ_LIMIT)
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
    services.refresh(limit=services.READ_LIMIT)
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
    """Month by month (the months clipped to the period), equal to ``dossier_figures`` of
    each month: the counters are read ONCE, summed per row day, and every month's sums are
    taken in memory over exactly the day ranges ``_ranges`` gives ``dossier_figures`` (a
    month's status balances need all the history before it: read per month, a year's trend
    re-read that history twelve times)."""
    services.refresh(limit=services.READ_LIMIT)
    agencies = agency_ids(scope)
    months = [m for m in periods.months(period) if m.start <= today()]
    if not months:
        return []
    windows = [window(m) for m in months]
    # every daily range of every month lies in [first day of the month before the period, C]
    daily_from = aggregates.month_of(windows[0].start - dt.timedelta(days=1))
    last_cutoff = windows[-1].cutoff
    counter_sums = {f"s_{c}": Sum(c) for c in aggregates.COLUMNS}
    grains = []
    for model, rows in (
        (DailyCounter, Q(day__gte=daily_from, day__lte=last_cutoff)),
        (MonthlyCounter, Q(day__lte=last_cutoff)),
    ):
        qs = model.objects.filter(rows, agency_id__in=agencies).values("day")
        grains.append({r.pop("day"): r for r in qs.annotate(**counter_sums).order_by("day")})
    hist_grains = []
    for model, rows in (
        (WdHistogram, Q(day__gte=daily_from, day__lte=last_cutoff)),
        (MonthlyHistogram, Q(day__lte=last_cutoff)),
    ):
        qs = model.objects.filter(rows, agency_id__in=agencies).values("day", "cwd")
        by_day: dict = defaultdict(list)
        for r in qs.annotate(total=Sum("n")).order_by("day", "cwd"):
            if r["total"]:
                by_day[r["day"]].append((r["cwd"], int(r["total"])))
        hist_grains.append(by_day)
    return [
        (month, _figures(_sums_in_memory(grains, w), _hist_in_memory(hist_grains, w)))
        for month, w in zip(months, windows, strict=True)
    ]


def _in(day: dt.date, ranges: Ranges) -> bool:
    return any((lo == NEVER or lo <= day) and day <= hi for lo, hi in ranges)


def _sums_in_memory(grains: list[dict], w: indicators.Window) -> dict:
    """``_counters(agencies, w)`` over rows already summed per day (see ``dossier_trend``)."""
    total = {name: 0 for name, _col, _ranges_key in SUMS}
    for grain, rows in enumerate(grains):
        r = {k: v[grain] for k, v in _ranges(w).items()}
        for day, row in rows.items():
            inside = {k: _in(day, ranges) for k, ranges in r.items()}
            for name, col, ranges in SUMS:
                if inside[ranges]:
                    total[name] += int(row[f"s_{col}"] or 0)
    return total


def _hist_in_memory(grains: list[dict], w: indicators.Window) -> list[tuple[int, int]]:
    out = []
    for grain, rows in enumerate(grains):
        events = _ranges(w)["events"][grain]
        for day, pairs in rows.items():
            if _in(day, events):
                out.extend(pairs)
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


# the distinct-procedure inputs: the event columns whose positive sum makes a procedure count
PROCEDURE_EVENTS = {
    "3.2": ("recv_city_portal", "recv_national_portal"),
    "3.5": ("recv_fee_nonzero",),
    "3.5b": ("recv_paid_online",),
    "4.5a": ("recv_popdata",),
}


def _procedure_events(agencies, w: indicators.Window) -> dict[int, dict[int, set[str]]]:
    """agency → procedure → the distinct-procedure codes it has a dossier for in the window
    (one grouped query per grain)."""
    out: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for grain, model in enumerate((DailyCounter, MonthlyCounter)):
        rows = _grains(w)["events"][grain]
        if rows is None:
            continue
        exprs = {
            f"s_{code.replace('.', '_')}": sum((Sum(c) for c in cols[1:]), Sum(cols[0]))
            for code, cols in PROCEDURE_EVENTS.items()
        }
        qs = (
            model.objects.filter(rows, agency_id__in=agencies)
            .values("agency_id", "procedure_id")
            .annotate(**exprs)
        )
        for row in qs.order_by():
            for code in PROCEDURE_EVENTS:
                if (row[f"s_{code.replace('.', '_')}"] or 0) > 0:
                    out[row["agency_id"]][row["procedure_id"]].add(code)
    return out


def _procedures_with(events: dict[int, dict[int, set[str]]], code: str) -> set[int]:
    return {p for per in events.values() for p, codes in per.items() if code in codes}


def _counts_from(
    c: dict, events: dict, scope: Scope, handled_counts: dict | None = None
) -> dict[str, Counts]:
    """The dossier-based Counts from summed counters ``c`` and procedure events."""
    ended = sum(c[k] for k in ("settled_early", "settled_on_time", "settled_late"))
    ended += c["withdrawn"] + c["stopped"]
    ended_on_time = c["settled_early"] + c["settled_on_time"] + c["other_on_time"]
    handled = c["d_open"] + ended
    on_time = c["d_open"] - c["d_overdue"] + ended_on_time
    on_time_neg = c["d_open_neg"] - c["d_overdue_neg"] + c["end_ontime_neg"]
    if handled_counts is None:
        handled_counts = {
            "2.1": (handled, on_time),
            "4.1": (handled, c["d_open_eresult"] + c["end_eresult"]),
            "4.2": (handled, c["d_open_digitised"] + c["end_digitised"]),
            "4.3": (handled, c["d_open_reused"] + c["end_reused"]),
            "4.4": (handled, 0),
            "4.5b": (handled, c["d_open_popdata"] + c["end_popdata"]),
            "5.4": (handled, on_time - on_time_neg),
        }
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
    fee_set = catalog_inputs.fee_bearing_procedure_ids(scope)
    citizen = catalog_inputs.citizen_procedure_ids(scope)
    for code, universe in (("3.2", services_set), ("3.5", fee_set), ("3.5b", fee_set)):
        out[code] = Counts(len(_procedures_with(events, code) & universe), len(universe))
    out["4.5a"] = Counts(len(_procedures_with(events, "4.5a") & citizen), len(citizen))
    return out


def dossier_index_counts(
    scope: Scope, period: Period, *, received_only: bool = False
) -> dict[str, Counts]:
    """Every dossier-based input of the 766 index (kpi-766.md codes), from the counters."""
    services.refresh(limit=services.READ_LIMIT)
    agencies = agency_ids(scope)
    w = window(period, received_only=received_only)
    handled = _fact_counts(agencies, w) if received_only else None
    return _counts_from(_counters(agencies, w), _procedure_events(agencies, w), scope, handled)


def index766(scope: Scope, period: Period, *, received_only: bool = False) -> IndexResult:
    """The Decision 766 index of the scope for the period: the dossier-based counts of this
    module, the catalogue and 1022 inputs (``catalog_inputs``, ``petitions``), scored by
    ``index766.score_index`` (pure)."""
    agency = agency_for(scope)
    counts = dossier_index_counts(scope, period, received_only=received_only)
    return _score(scope, period, agency, counts, received_only)


def _score(
    scope: Scope,
    period: Period,
    agency: Agency,
    dossier_counts,
    received_only: bool,
    province_catalog: dict[str, Counts] | None = None,
):
    """``province_catalog``: the province-level catalogue inputs (1.1–1.3, the same for every
    unit, kpi-766.md §0.4) when the caller already has them (``index766_peers``)."""
    counts: dict[str, Counts] = {}
    counts.update(dossier_counts)
    counts.update(catalog_inputs.index_counts(scope, period, province=province_catalog))
    counts.update(petitions.index_counts(scope, period))
    return scoring.score_index(
        counts,
        scope=scope,
        period=period,
        received_only=received_only,
        provisional=periods.is_provisional(period, today()),
        is_root=scope_filter.is_root(agency),
    )


def index766_peers(scope: Scope, period: Period) -> list[tuple[Agency, IndexResult]]:
    """The index of each direct subordinate unit of the scope's agency (for ranks). The
    counters are read once for the whole subtree, grouped by agency, and pooled per unit."""
    services.refresh(limit=services.READ_LIMIT)
    root = agency_for(scope)
    children = list(Agency.objects.filter(parent=root).order_by("code"))
    if not children:
        return []
    w = window(period)
    agencies = agency_ids(Scope(root.code))
    per_agency = _counters(agencies, w, "agency_id")
    events = _procedure_events(agencies, w)
    paths = dict(Agency.objects.filter(pk__in=[*per_agency, *events]).values_list("pk", "path"))
    zero = {k[2:]: 0 for k in _sum_exprs(w, 0)[0]}
    province = catalog_inputs.province_counts(Scope(root.code))  # once, not once per unit
    out = []
    for child in children:
        c = dict(zero)
        child_events: dict = {}
        for aid, values in per_agency.items():
            if paths.get(aid, "").startswith(child.path):
                _merge(c, values)
        for aid, per in events.items():
            if paths.get(aid, "").startswith(child.path):
                child_events[aid] = per
        child_scope = Scope(child.code, subtree=True)
        counts = _counts_from(c, child_events, child_scope)
        out.append((child, _score(child_scope, period, child, counts, False, province)))
    return out
