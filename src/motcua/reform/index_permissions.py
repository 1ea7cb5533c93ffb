"""Who may do what with the PAR index.

- The reform office (reform/permissions.py: a superuser, a province administrator, or an
  officer of the Department of Home Affairs) imports schemes, appoints the council, opens
  assessments, feeds survey and automatic figures and publishes.
- A unit scores and explains only its OWN assessment: an officer (specialist, leader, agency
  administrator) holding a role in that very agency — an administrator above it does not
  self-assess for it. Sending (the self-assessment, the explanation) is for its leaders.
- Council members (appointed per scheme) appraise.
- Reading an assessment: the unit, the council, the office; published results: any officer.
"""

from __future__ import annotations

from motcua.accounts.models import Membership, Role, User
from motcua.accounts.scope import is_unrestricted
from motcua.reform.models import Assessment, CouncilMember, Scheme
from motcua.reform.permissions import is_reform_office, require, require_office  # noqa: F401

UNIT_ROLES = frozenset({Role.SPECIALIST, Role.LEADER, Role.AGENCY_ADMIN})
SUBMIT_ROLES = frozenset({Role.LEADER, Role.AGENCY_ADMIN})


def _authenticated(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated)


def _member_of(user: User, agency_id: int, roles: frozenset[Role]) -> bool:
    return Membership.objects.filter(user_id=user.pk, agency_id=agency_id, role__in=roles).exists()


def can_self_assess(user: User | None, assessment: Assessment) -> bool:
    return _authenticated(user) and _member_of(user, assessment.agency_id, UNIT_ROLES)


def can_submit(user: User | None, assessment: Assessment) -> bool:
    return _authenticated(user) and _member_of(user, assessment.agency_id, SUBMIT_ROLES)


def is_council(user: User | None, scheme: Scheme) -> bool:
    if not _authenticated(user):
        return False
    if is_unrestricted(user):
        return True
    return CouncilMember.objects.filter(scheme=scheme, user_id=user.pk).exists()


def can_view(user: User | None, assessment: Assessment) -> bool:
    return (
        can_self_assess(user, assessment)
        or is_council(user, assessment.scheme)
        or is_reform_office(user)
    )
