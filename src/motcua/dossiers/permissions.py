"""Who may take which action on a dossier: one table, checked inside every service.

Each action lists (agency field of the dossier, roles): the user must hold one of the roles in
that agency — or be an administrator of an agency above it. Applicant actions are also open to
the citizen who owns the dossier.
"""

from __future__ import annotations

from motcua.accounts.models import Role, User
from motcua.accounts.scope import is_unrestricted, role_in
from motcua.dossiers.errors import NotAllowed
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import ACTION_LABELS_VI, Action

ADMINS = {Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN}
DESK = {Role.DESK_OFFICER, *ADMINS}
PROCESSING = {Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, *ADMINS}
SPECIALISTS = {Role.SPECIALIST, Role.LEADER, *ADMINS}
LEADERS = {Role.LEADER, *ADMINS}

OFFICER_RULES: dict[Action, tuple[tuple[str, set[Role]], ...]] = {
    Action.SUBMIT: (("receiving_agency", DESK),),
    Action.RECEIVE: (("receiving_agency", DESK),),
    Action.REQUEST_COMPLETION: (("receiving_agency", DESK),),
    Action.COMPLETE: (("receiving_agency", DESK),),
    Action.REFUSE_RECEPTION: (("receiving_agency", DESK),),
    Action.HAND_OVER: (("current_agency", PROCESSING),),
    Action.FORWARD: (("current_agency", SPECIALISTS),),
    Action.REQUEST_SUPPLEMENT: (("current_agency", SPECIALISTS), ("receiving_agency", DESK)),
    Action.SUPPLEMENT: (("receiving_agency", DESK),),
    Action.APOLOGISE: (("deciding_agency", LEADERS),),
    Action.STOP: (("deciding_agency", LEADERS),),
    Action.WITHDRAW: (("receiving_agency", DESK),),
    Action.APPROVE: (("deciding_agency", LEADERS),),
    Action.REFUSE: (("deciding_agency", LEADERS),),
    Action.REQUEST_PAYMENT: (("deciding_agency", SPECIALISTS), ("receiving_agency", DESK)),
    Action.CONFIRM_PAYMENT: (("receiving_agency", DESK), ("deciding_agency", SPECIALISTS)),
    Action.RETURN_RESULT: (("receiving_agency", DESK),),
}
APPLICANT_ACTIONS = frozenset({Action.SUBMIT, Action.COMPLETE, Action.SUPPLEMENT, Action.WITHDRAW})


def acting_role(user: User, dossier: Dossier, action: Action) -> str | None:
    """The role under which ``user`` may take ``action`` on ``dossier``, or None."""
    if not user.is_authenticated:
        return None
    if is_unrestricted(user):
        return "superuser"
    if action in APPLICANT_ACTIONS and dossier.applicant_user_id == user.pk:
        return "applicant"
    for field, roles in OFFICER_RULES.get(action, ()):
        agency = getattr(dossier, field)
        role = role_in(user, agency.pk, roles, agency_path=agency.path)
        if role:
            return role
    return None


def authorise(user: User, dossier: Dossier, action: Action) -> str:
    role = acting_role(user, dossier, action)
    if role is None:
        raise NotAllowed(
            f"Bạn không có quyền “{ACTION_LABELS_VI[action]}” đối với hồ sơ {dossier.code}."
        )
    return role
