"""Who sees and edits register records, scoped like dossiers.

- The reform office (``reform.permissions.is_reform_office``: a superuser, a province
  administrator, or an officer of the agency registered as the reform office — the city's
  Department of Home Affairs) sees and edits every record.
- Any other officer sees the records of the agencies in their scope (``accounts.scope``: their
  agencies, and whole subtrees for administrators) and edits those of the agencies where they
  hold an officer role other than the one-stop desk (or administer an agency above).
"""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.accounts.models import Role, User
from motcua.accounts.scope import role_in, scope_agency_ids
from motcua.agencies.models import Agency
from motcua.reform.permissions import is_reform_office

EDIT_ROLES = frozenset({Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})


def sees_all(user: User | None) -> bool:
    return is_reform_office(user)


def can_edit(user: User | None, agency_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if is_reform_office(user):
        return True
    return role_in(user, agency_id, EDIT_ROLES) is not None


def visible(user: User, queryset: QuerySet) -> QuerySet:
    """``queryset`` (of a register model) narrowed to the user's scope, in one SQL filter."""
    if is_reform_office(user):
        return queryset
    return queryset.filter(agency__in=scope_agency_ids(user))


def editable_agencies(user: User) -> QuerySet[Agency]:
    """The agencies a user may file records for (the form's choices)."""
    agencies = Agency.objects.order_by("path")
    if is_reform_office(user):
        return agencies
    return agencies.filter(pk__in=scope_agency_ids(user, EDIT_ROLES))
