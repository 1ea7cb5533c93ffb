"""Agency scope as one SQL filter.

``scope_agency_ids(user)`` is a subquery of the agency ids a user may see: the agencies of their
memberships, plus whole subtrees for administrators. Queries join it (``field__in=...``) so that
permission checks stay in the database, whatever the number of rows.
"""

from __future__ import annotations

from django.db.models import (
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from motcua.accounts.models import SUBTREE_ROLES, Membership, Role, User
from motcua.agencies.models import Agency


def is_unrestricted(user: User) -> bool:
    return bool(user.is_superuser)


def is_officer(user: User) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Membership.objects.filter(user=user).exists()
    )


def scope_agency_ids(user: User, roles: frozenset[Role] | set[Role] | None = None) -> QuerySet:
    """Ids of agencies in the user's scope (optionally only through the given roles)."""
    memberships = Membership.objects.filter(user_id=user.pk)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    direct = memberships.filter(agency=OuterRef("pk"))
    subtree = (
        memberships.filter(role__in=SUBTREE_ROLES)
        .annotate(outer_path=ExpressionWrapper(OuterRef("path"), output_field=CharField()))
        .filter(outer_path__startswith=F("agency__path"))
    )
    return Agency.objects.filter(Exists(direct) | Exists(subtree)).values("pk")


def agency_scope_q(user: User, *fields: str, roles: set[Role] | None = None) -> Q:
    """A filter keeping rows whose agency field(s) fall in the user's scope (OR over fields)."""
    if is_unrestricted(user):
        return Q()
    ids = scope_agency_ids(user, roles)
    q = Q(pk__in=[])
    for field in fields:
        q |= Q(**{f"{field}__in": ids})
    return q


def role_in(user: User, agency_id: int, roles: set[Role] | frozenset[Role]) -> str | None:
    """The first of ``roles`` the user holds for this agency (directly, or as an administrator
    of an agency above it), in one query; None when they hold none."""
    target_path = Agency.objects.filter(pk=agency_id).values("path")[:1]
    return (
        Membership.objects.filter(user_id=user.pk, role__in=roles)
        .annotate(target_path=Subquery(target_path))
        .filter(
            Q(agency_id=agency_id)
            | Q(role__in=SUBTREE_ROLES, target_path__startswith=F("agency__path"))
        )
        .order_by("role")
        .values_list("role", flat=True)
        .first()
    )
