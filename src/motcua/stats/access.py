"""Which statistics an officer may read: the agencies of their scope (accounts.scope), never
others. A unit's figures pool its subordinate units only for a reader whose scope covers the
whole subtree (an administrator of it, or a superuser); an officer who belongs to one agency
sees that agency's own figures.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from motcua.accounts.models import SUBTREE_ROLES, Membership, User
from motcua.accounts.scope import is_unrestricted, role_in
from motcua.agencies.models import Agency
from motcua.stats.filters import Filters


class OutOfScope(PermissionError):
    """The agency asked for lies outside the reader's scope."""

    code = "agency_out_of_scope"

    def __init__(self) -> None:
        super().__init__(_("Bạn không có quyền xem số liệu của cơ quan này."))
        self.message = str(self.args[0])


def report_units(user: User) -> list[Agency]:
    """The agencies offered in the desk's unit selector: the user's own memberships (for a
    superuser, the province and its direct subordinate units)."""
    if is_unrestricted(user):
        root = Agency.objects.filter(parent__isnull=True).order_by("code")
        return list(root) + list(Agency.objects.filter(parent__in=root).order_by("code"))
    ids = Membership.objects.filter(user_id=user.pk).values("agency_id")
    return list(Agency.objects.filter(pk__in=ids).order_by("code"))


def default_unit(user: User) -> Agency | None:
    units = report_units(user)
    return units[0] if units else None


def may_pool(user: User, agency: Agency) -> bool:
    """Whether the user's scope covers the agency's whole subtree."""
    return is_unrestricted(user) or bool(
        role_in(user, agency.pk, SUBTREE_ROLES, agency_path=agency.path)
    )


def may_read(user: User, agency: Agency) -> bool:
    if may_pool(user, agency):
        return True
    return Membership.objects.filter(user_id=user.pk, agency_id=agency.pk).exists()


def checked(user: User, filters: Filters) -> Filters:
    """The filters narrowed to what the user may see: raises ``OutOfScope`` for an agency
    outside their scope; pooling is switched off where their scope is only the agency itself."""
    if not may_read(user, filters.agency):
        raise OutOfScope()
    if filters.subtree and not may_pool(user, filters.agency):
        return replace(filters, subtree=False)
    return filters
