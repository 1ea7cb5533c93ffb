"""Who may take which feedback action: the transition table names the actors, this module
maps an actor to roles in an agency (accounts.scope, one query per check)."""

from __future__ import annotations

from django.utils.translation import gettext

from motcua.accounts.models import Role, User
from motcua.accounts.scope import is_unrestricted, role_in
from motcua.feedback.models import FeedbackItem
from motcua.feedback.rules import ACTION_LABELS_VI, Actor, NotAllowed, Transition

ADMINS = frozenset({Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})
OPERATOR_ROLES = frozenset({Role.DESK_OFFICER, *ADMINS})
HANDLER_ROLES = frozenset({Role.SPECIALIST, Role.LEADER, *ADMINS})
LEADER_ROLES = frozenset({Role.LEADER, *ADMINS})


def is_operator(user: User | None, centre_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return is_unrestricted(user) or role_in(user, centre_id, OPERATOR_ROLES) is not None


def acting_role(
    user: User | None, item: FeedbackItem, t: Transition, *, reporter_proof: bool = False
) -> str | None:
    """The role under which ``user`` may take transition ``t`` on ``item``, or None."""
    authenticated = user is not None and user.is_authenticated
    own = authenticated and item.reporter_user_id == user.pk
    if Actor.REPORTER in t.actors and (reporter_proof or own):
        return "reporter"
    if not authenticated:
        return None
    if is_unrestricted(user):
        return "superuser"
    if Actor.OPERATOR in t.actors and role_in(user, item.centre_id, OPERATOR_ROLES):
        return "operator"
    if item.agency_id:
        if Actor.HANDLER in t.actors:
            role = role_in(user, item.agency_id, HANDLER_ROLES)
            if role:
                return str(role)
        if Actor.LEADER in t.actors:
            role = role_in(user, item.agency_id, LEADER_ROLES)
            if role:
                return str(role)
    return None


def authorise(
    user: User | None, item: FeedbackItem, t: Transition, *, reporter_proof: bool = False
) -> str:
    role = acting_role(user, item, t, reporter_proof=reporter_proof)
    if role is None:
        raise NotAllowed(
            gettext("Bạn không có quyền “%(action)s” đối với phản ánh %(code)s.")
            % {"action": ACTION_LABELS_VI[t.action], "code": item.code}
        )
    return role
