"""Who hears about an event, on which channels, in which language."""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.accounts.models import Membership, Role, User
from motcua.notifications import rules as R
from motcua.notifications.models import Preference

DEFAULT_CHANNELS = (R.EMAIL, R.SMS)
# a workflow step's role (catalog.rules) -> the officers' role (accounts.Role) who hold it
STEP_HOLDERS = {
    "reception": Role.DESK_OFFICER,
    "return": Role.DESK_OFFICER,
    "specialist": Role.SPECIALIST,
    "leader": Role.LEADER,
    "other": Role.SPECIALIST,
}


@dataclass
class Recipient:
    role: str  # applicant | officer | leader | reporter
    name: str
    email: str = ""
    phone: str = ""
    user: User | None = None
    language: str = "vi"
    channels: tuple[str, ...] = field(default=DEFAULT_CHANNELS)

    def address(self, channel: str) -> str:
        if channel == R.EMAIL:
            return self.email.strip()
        return R.normalise_phone(self.phone)


def _with_preferences(r: Recipient) -> Recipient:
    if r.user is not None:
        pref = Preference.objects.filter(user=r.user).first()
        if pref is not None:
            r.channels, r.language = tuple(pref.channels()), pref.language
    return r


def for_applicant(dossier) -> list[Recipient]:
    user = dossier.applicant_user
    r = Recipient(
        role="applicant",
        name=dossier.applicant_name,
        email=dossier.applicant_email or (user.email if user else ""),
        phone=dossier.applicant_phone or (user.phone if user else ""),
        user=user,
    )
    return [_with_preferences(r)]


def for_officers(dossier) -> list[Recipient]:
    """The officers holding the dossier's current step in its current agency, and the
    agency's leaders."""
    step = dossier.steps.filter(order=dossier.current_step).first()
    roles = {STEP_HOLDERS.get(step.role, Role.SPECIALIST) if step else Role.SPECIALIST, Role.LEADER}
    agency_id = step.agency_id if step else dossier.current_agency_id
    memberships = (
        Membership.objects.filter(agency_id=agency_id, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "role")
    )
    seen: dict[int, Recipient] = {}
    for m in memberships:
        role = "leader" if m.role == Role.LEADER else "officer"
        if m.user_id in seen:
            continue
        seen[m.user_id] = _with_preferences(
            Recipient(
                role=role,
                name=m.user.display_name(),
                email=m.user.email,
                phone=m.user.phone,
                user=m.user,
            )
        )
    return list(seen.values())


def for_reporter(item) -> list[Recipient]:
    user = item.reporter_user
    r = Recipient(
        role="reporter",
        name=item.reporter_name or (user.display_name() if user else ""),
        email=item.reporter_email or (user.email if user else ""),
        phone=item.reporter_phone or (user.phone if user else ""),
        user=user,
    )
    return [_with_preferences(r)]
