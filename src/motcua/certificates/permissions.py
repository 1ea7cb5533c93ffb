"""Who sees and manages which certificates.

- The register office sees and manages every certificate: a superuser, a province
  administrator, or any officer of an agency registered as ``CertificateOffice`` (the
  Department of Information and Communications and the Department of Home Affairs in the
  demo). Only the office imports the issuer's lists.
- An agency's officers see the certificates of their agency and of the agencies under it
  (a department's certificates include its sub-units'); its leaders and administrators
  record revocations and returns there.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.accounts.models import Membership, Role, User
from motcua.accounts.scope import is_unrestricted, memberships_of
from motcua.certificates.models import Certificate, CertificateOffice
from motcua.certificates.rules import CertificateError

MANAGE_ROLES = frozenset({Role.LEADER, Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})


class NotAllowed(CertificateError):
    pass


def is_register_office(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if is_unrestricted(user):
        return True
    cached = getattr(user, "_motcua_certificate_office", None)
    if cached is None:
        memberships = Membership.objects.filter(user_id=user.pk)
        offices = CertificateOffice.objects.values("agency_id")
        cached = (
            memberships.filter(role=Role.PROVINCE_ADMIN).exists()
            or memberships.filter(agency_id__in=offices).exists()
        )
        user._motcua_certificate_office = cached
    return cached


def scope_q(user: User, roles: frozenset[Role] | None = None) -> Q:
    """Certificates of the agencies (and their subtrees) the user belongs to."""
    q = Q(pk__in=[])
    for role, _agency, path in memberships_of(user):
        if path and (roles is None or role in roles):
            q |= Q(agency__path__startswith=path)
    return q


def visible(user: User) -> Q:
    return Q() if is_register_office(user) else scope_q(user)


def can_manage(user: User | None, certificate: Certificate) -> bool:
    if is_register_office(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    path = certificate.agency.path
    return any(
        role in MANAGE_ROLES and agency_path and path.startswith(agency_path)
        for role, _agency, agency_path in memberships_of(user)
    )


def require_manage(user: User | None, certificate: Certificate) -> None:
    if not can_manage(user, certificate):
        raise NotAllowed(_("Bạn không có quyền cập nhật chứng thư số này."))


def require_office(user: User | None) -> None:
    if not is_register_office(user):
        raise NotAllowed(_("Chỉ cơ quan quản lý chứng thư số được nhập danh sách của tổ chức cấp."))
