"""The dossiers behind an indicator: from a figure to the list, then to the dossier.

Evaluates ``stats.indicators.membership`` over the facts of the scope that can belong to the
period (received by the cut-off, not ended before the start), so the list is exactly the
dossiers the counters counted. The candidates are read through the (agency, received_day)
index; the cost is proportional to the dossiers of the scope open or active in the period.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.dossiers.models import Dossier
from motcua.stats import indicators, queries, services
from motcua.stats.models import DossierFact
from motcua.stats.refresh import from_model
from motcua.stats.types import Period, Scope

PARTS = ("numerator", "denominator")


class UnknownIndicator(ValueError):
    code = "unknown_indicator"


def indicator_dossier_ids(
    code: str,
    scope: Scope,
    period: Period,
    *,
    part: str = "numerator",
    received_only: bool = False,
) -> list[int]:
    if code not in indicators.CODES:
        raise UnknownIndicator(f"Chỉ tiêu “{code[:10]}” không tính từ hồ sơ.")
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}")
    services.refresh()
    w = queries.window(period, received_only=received_only)
    candidates = DossierFact.objects.filter(
        agency_id__in=queries.agency_ids(scope),
        received_day__lte=w.cutoff,
    ).filter(Q(ended_day__isnull=True) | Q(ended_day__gte=w.start))
    if code not in indicators.HANDLED_CODES or received_only:
        candidates = candidates.filter(received_day__gte=w.start)
    procedures = _procedure_filter(code, scope)
    ids = []
    for m in candidates.order_by("dossier_id").iterator(chunk_size=5000):
        if procedures is not None and m.procedure_id not in procedures:
            continue
        den, num = indicators.membership(from_model(m), w, code)
        if (num if part == "numerator" else den) and den:
            ids.append(m.dossier_id)
    return ids


def _procedure_filter(code: str, scope: Scope) -> set[int] | None:
    """The procedure indicators count procedures of a catalogue set: their dossiers only."""
    if code == "3.2":
        return queries.online_service_procedure_ids(scope)
    if code in ("3.5", "3.5b"):
        return queries._fee_bearing_procedures(scope)
    if code == "4.5a":
        return queries._citizen_procedures(scope)
    return None


def indicator_dossiers(
    code: str,
    scope: Scope,
    period: Period,
    *,
    part: str = "numerator",
    received_only: bool = False,
) -> QuerySet[Dossier]:
    """The dossiers in the numerator (or denominator) of indicator ``code`` (kpi-766.md
    numbering) for the scope and period. For the procedure indicators (3.2, 3.5, 3.5b, 4.5a)
    these are the dossiers that make their procedure count (numerator) or the dossiers received
    in the period of the procedures of the denominator's set."""
    ids = indicator_dossier_ids(code, scope, period, part=part, received_only=received_only)
    return Dossier.objects.filter(pk__in=ids).order_by("pk")
