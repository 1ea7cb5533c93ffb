"""Open dossiers past their effective due date, for the desk dashboards: scoped to what the
reader may see (``dossiers.queries.visible_dossiers``, one SQL filter) and to the chosen unit.

"Overdue" is operational here (the clock is running and ``effective_due_at`` has passed), as
the work queue shows it; a dossier waiting for a supplement has its clock stopped and is not
counted.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, QuerySet, Subquery

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.queries import visible_dossiers
from motcua.dossiers.rules import CLOCK_RUNNING_STATES


def overdue_dossiers(
    user: User, agency: Agency, *, subtree: bool, now: dt.datetime
) -> QuerySet[Dossier]:
    qs = visible_dossiers(user).filter(
        state__in=list(CLOCK_RUNNING_STATES), effective_due_at__lt=now
    )
    if subtree:
        return qs.filter(current_agency__path__startswith=agency.path)
    return qs.filter(current_agency=agency)


def by_agency(qs: QuerySet[Dossier]) -> list[dict]:
    """Overdue dossiers per agency holding them now, most first."""
    return list(
        qs.order_by()
        .values("current_agency__code", "current_agency__name_vi", "current_agency__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n", "current_agency__code")
    )


def by_officer(qs: QuerySet[Dossier]) -> list[dict]:
    """Overdue dossiers per officer who last handled them (finished the step before the one
    they wait at): an open step has no assignee in motcua (anyone with its role at its agency
    may act), so this is the person who passed the dossier on; ``None`` = still at reception."""
    last = (
        DossierStep.objects.filter(dossier=OuterRef("pk"), finished_at__isnull=False)
        .order_by("-order")
        .values("handled_by")[:1]
    )
    rows = list(
        qs.order_by().annotate(officer=Subquery(last)).values("officer").annotate(n=Count("pk"))
    )
    names = {
        u.pk: u.display_name()
        for u in User.objects.filter(pk__in=[r["officer"] for r in rows if r["officer"]])
    }
    out = [{"officer": names.get(r["officer"], ""), "n": r["n"]} for r in rows]
    return sorted(out, key=lambda r: (-r["n"], r["officer"]))
