"""Read paths of the reform app: scoped lists for the desk pages, and two plain-dataclass
figures for the bulletin (``plan_progress``, ``inspection_counts``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.scope import scope_agency_ids
from motcua.agencies.models import Agency, AgencyLevel
from motcua.core.models import ChangeEvent
from motcua.reform.models import Inspection, ReformPlan, Remedy, Target, Task
from motcua.reform.permissions import is_reform_office
from motcua.reform.rules import (
    AREA_ORDER,
    AREA_REFERENCES,
    OVERDUE,
    Area,
    InspectionKind,
    InspectionStatus,
    Progress,
    RemedyStatus,
    effective_status,
    progress,
    target_met,
)

# -- scope ----------------------------------------------------------------------------------


def visible_plans(user: User) -> QuerySet[ReformPlan]:
    """The reform office sees every plan; an agency its own plans and those it has tasks in."""
    plans = ReformPlan.objects.select_related("agency")
    if is_reform_office(user):
        return plans
    ids = scope_agency_ids(user)
    return plans.filter(
        Q(agency__in=ids) | Q(tasks__lead_agency__in=ids) | Q(tasks__partners__in=ids)
    ).distinct()


def visible_tasks(user: User) -> QuerySet[Task]:
    """The tasks an officer sees: all for the reform office; otherwise those of their agency's
    plans and those their agency leads or takes part in (one SQL filter, accounts.scope)."""
    tasks = Task.objects.select_related("plan", "objective", "lead_agency", "plan__agency")
    if is_reform_office(user):
        return tasks
    ids = scope_agency_ids(user)
    own = Q(plan__agency__in=ids) | Q(lead_agency__in=ids)
    partner = Task.partners.through.objects.filter(agency_id__in=ids).values("task_id")
    return tasks.filter(own | Q(pk__in=partner))


def visible_inspections(user: User) -> QuerySet[Inspection]:
    inspections = Inspection.objects.select_related("organiser")
    if is_reform_office(user):
        return inspections
    ids = scope_agency_ids(user)
    return inspections.filter(Q(targets__agency__in=ids) | Q(organiser__in=ids)).distinct()


def task_history(task: Task) -> list[ChangeEvent]:
    return list(
        ChangeEvent.objects.filter(object_type="reform.task", object_id=str(task.pk))
        .select_related("actor")
        .order_by("at", "pk")
    )


# -- progress -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaProgress:
    area: str
    label: str
    progress: Progress


@dataclass(frozen=True)
class AgencyProgress:
    agency_code: str
    agency_name: str
    progress: Progress


@dataclass(frozen=True)
class TargetValue:
    target_id: int
    code: str
    name: str
    comparator: str
    value: Decimal
    unit: str
    actual: Decimal | None
    met: bool | None


@dataclass(frozen=True)
class PlanProgress:
    year: int
    plan_id: int | None
    decision_number: str
    decision_date: dt.date | None
    agency_code: str
    objectives: int = 0
    total: Progress = field(default_factory=Progress)
    by_area: list[AreaProgress] = field(default_factory=list)
    by_agency: list[AgencyProgress] = field(default_factory=list)
    targets: list[TargetValue] = field(default_factory=list)


def province() -> Agency | None:
    return (
        Agency.objects.filter(level=AgencyLevel.PROVINCE, parent__isnull=True)
        .order_by("pk")
        .first()
    )


def progress_of(plan: ReformPlan, today: dt.date | None = None) -> PlanProgress:
    today = today or timezone.localdate()
    rows = list(
        plan.tasks.values_list(
            "status", "deadline", "objective__area", "lead_agency__code", "lead_agency__name_vi"
        )
    )
    areas: dict[str, list] = defaultdict(list)
    agencies: dict[tuple[str, str], list] = defaultdict(list)
    for status, deadline, area, code, name in rows:
        areas[area].append((status, deadline))
        agencies[(code, name)].append((status, deadline))
    by_area = [
        AreaProgress(area, str(Area(area).label), progress(pairs, today))
        for area, pairs in sorted(areas.items(), key=lambda kv: AREA_ORDER[kv[0]])
    ]
    by_agency = sorted(
        (
            AgencyProgress(code, name, progress(pairs, today))
            for (code, name), pairs in agencies.items()
        ),
        key=lambda a: (-a.progress.overdue, a.agency_name),
    )
    targets = [
        TargetValue(
            t.pk,
            t.code,
            t.name,
            t.comparator,
            t.value,
            t.unit,
            t.actual,
            target_met(t.comparator, t.value, t.actual),
        )
        for t in Target.objects.filter(plan=plan).order_by("pk")
    ]
    return PlanProgress(
        year=plan.year,
        plan_id=plan.pk,
        decision_number=plan.decision_number,
        decision_date=plan.decision_date,
        agency_code=plan.agency.code,
        objectives=plan.objectives.count(),
        total=progress(((s, d) for s, d, *_ in rows), today),
        by_area=by_area,
        by_agency=by_agency,
        targets=targets,
    )


def plan_progress(
    year: int, agency: Agency | None = None, *, today: dt.date | None = None
) -> PlanProgress:
    """Progress of ``agency``'s plan for ``year`` (the province's plan when None): the two
    ratios overall, per area and per lead agency, and the targets. An empty figure when the
    plan does not exist (the bulletin then prints zeros, never fails)."""
    agency = agency or province()
    plan = (
        ReformPlan.objects.select_related("agency").filter(year=year, agency=agency).first()
        if agency is not None
        else None
    )
    if plan is None:
        return PlanProgress(
            year=year,
            plan_id=None,
            decision_number="",
            decision_date=None,
            agency_code=agency.code if agency else "",
        )
    return progress_of(plan, today)


@dataclass(frozen=True)
class LateTask:
    task: Task
    days_late: int


@dataclass(frozen=True)
class LateGroup:
    agency: Agency
    tasks: list[LateTask]


def late_tasks(
    user: User, *, today: dt.date | None = None, year: int | None = None
) -> list[LateGroup]:
    """A leader's view: every open task past its deadline, grouped by the agency that owns it
    (the agency with most late tasks first)."""
    today = today or timezone.localdate()
    qs = visible_tasks(user).filter(status__in=["not_started", "in_progress"], deadline__lt=today)
    if year is not None:
        qs = qs.filter(plan__year=year)
    groups: dict[int, LateGroup] = {}
    for task in qs.order_by("deadline", "pk"):
        group = groups.setdefault(task.lead_agency_id, LateGroup(task.lead_agency, []))
        group.tasks.append(LateTask(task, (today - task.deadline).days))
    return sorted(groups.values(), key=lambda g: (-len(g.tasks), g.agency.name_vi))


def task_rows(plan: ReformPlan, tasks: QuerySet[Task], today: dt.date) -> list[dict]:
    """Tasks of a plan grouped area → objective, each with its effective status."""
    rows = []
    for task in (
        tasks.filter(plan=plan).prefetch_related("partners").order_by("objective__number", "number")
    ):
        rows.append(
            {
                "task": task,
                "status": effective_status(task.status, task.deadline, today),
                "area": task.objective.area,
                "reference": AREA_REFERENCES[task.objective.area],
            }
        )
    rows.sort(key=lambda r: (AREA_ORDER[r["area"]], r["task"].objective.number, r["task"].number))
    return rows


# -- inspections ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionCounts:
    period_start: dt.date
    period_end: dt.date
    periodic: int = 0
    surprise: int = 0
    thematic: int = 0
    closed: int = 0
    remedies: int = 0
    remedies_open: int = 0

    @property
    def total(self) -> int:
        return self.periodic + self.surprise + self.thematic


def inspection_counts(
    period_start: dt.date, period_end: dt.date, agency: Agency | None = None
) -> InspectionCounts:
    """Inspections that started within the period, by kind; with ``agency``, only those
    inspecting it or an agency under it."""
    qs = Inspection.objects.filter(start_date__gte=period_start, start_date__lte=period_end)
    if agency is not None:
        qs = qs.filter(targets__agency__path__startswith=agency.path).distinct()
    by_kind = dict.fromkeys(InspectionKind.values, 0)
    closed = 0
    for kind, status in qs.values_list("kind", "status"):
        by_kind[kind] += 1
        closed += status == InspectionStatus.CLOSED
    remedies = Remedy.objects.filter(inspection__in=qs.values("pk"))
    if agency is not None:
        remedies = remedies.filter(agency__path__startswith=agency.path)
    return InspectionCounts(
        period_start=period_start,
        period_end=period_end,
        periodic=by_kind[InspectionKind.PERIODIC],
        surprise=by_kind[InspectionKind.SURPRISE],
        thematic=by_kind[InspectionKind.THEMATIC],
        closed=closed,
        remedies=remedies.count(),
        remedies_open=remedies.filter(status=RemedyStatus.OPEN).count(),
    )


__all__ = [
    "OVERDUE",
    "InspectionCounts",
    "PlanProgress",
    "inspection_counts",
    "late_tasks",
    "plan_progress",
    "visible_inspections",
    "visible_plans",
    "visible_tasks",
]
