"""Who may do what with reform plans and inspections.

- The reform office manages everything: a superuser, a province administrator (whose scope is
  the whole province), or an officer (specialist, leader, agency administrator) of an agency
  registered as ``ReformOffice`` (the Department of Home Affairs in the demo).
- An agency's leaders and administrators manage their own agency's plan.
- An agency reports progress on the tasks it leads, as it works on its dossiers: any officer
  role of the lead agency (or an administrator above it), through ``accounts.scope``.
- An inspected agency follows up the remedies required of it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.accounts.models import Membership, Role, User
from motcua.accounts.scope import is_unrestricted, role_in
from motcua.reform.models import Inspection, ReformOffice, ReformPlan, Remedy, Task
from motcua.reform.rules import NotAllowed

OFFICE_ROLES = frozenset({Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN})
PLAN_ROLES = frozenset({Role.LEADER, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})
REPORT_ROLES = frozenset(Role)


def is_reform_office(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if is_unrestricted(user):
        return True
    cached = getattr(user, "_motcua_reform_office", None)
    if cached is None:
        memberships = Membership.objects.filter(user_id=user.pk)
        offices = ReformOffice.objects.values("agency_id")
        cached = (
            memberships.filter(role=Role.PROVINCE_ADMIN).exists()
            or memberships.filter(role__in=OFFICE_ROLES, agency_id__in=offices).exists()
        )
        user._motcua_reform_office = cached
    return cached


def can_manage_plan(user: User | None, plan: ReformPlan) -> bool:
    if is_reform_office(user):
        return True
    return bool(user and user.is_authenticated and role_in(user, plan.agency_id, PLAN_ROLES))


def can_report(user: User | None, task: Task) -> bool:
    if can_manage_plan(user, task.plan):
        return True
    return bool(user and user.is_authenticated and role_in(user, task.lead_agency_id, REPORT_ROLES))


def can_follow_up(user: User | None, remedy: Remedy) -> bool:
    if is_reform_office(user):
        return True
    return bool(user and user.is_authenticated and role_in(user, remedy.agency_id, REPORT_ROLES))


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("Bạn không có quyền thực hiện thao tác này."))


def require_office(user: User | None) -> None:
    require(
        is_reform_office(user),
        _("Chỉ cơ quan thường trực cải cách hành chính được thực hiện thao tác này."),
    )


def require_inspection_office(user: User | None, inspection: Inspection | None = None) -> None:
    require_office(user)
