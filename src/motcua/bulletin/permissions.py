"""Who may make bulletins of which scope (reform/permissions.py's rules, applied to a scope):
the city's reform office for any scope (the whole city included); an agency's leaders and
administrators (``reform.permissions.PLAN_ROLES``) for their agency and the units under it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.accounts.models import Membership, User
from motcua.accounts.scope import role_in
from motcua.agencies.models import Agency
from motcua.reform.permissions import PLAN_ROLES, is_reform_office


def can_edit(user: User | None, agency: Agency) -> bool:
    if is_reform_office(user):
        return True
    return bool(
        user
        and user.is_authenticated
        and role_in(user, agency.pk, PLAN_ROLES, agency_path=agency.path)
    )


def scopes(user: User | None) -> QuerySet[Agency]:
    """The agencies whose bulletins the user may make (all of them for the reform office)."""
    if is_reform_office(user):
        return Agency.objects.all()
    if user is None or not user.is_authenticated:
        return Agency.objects.none()
    paths = Membership.objects.filter(user_id=user.pk, role__in=PLAN_ROLES).values_list(
        "agency__path", flat=True
    )
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return Agency.objects.filter(q)
