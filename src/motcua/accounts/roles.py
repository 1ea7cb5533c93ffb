"""What each administrator role may open in ``/admin/``: one Django group per role, holding
the model permissions of that role, kept in step with the memberships.

Roles are memberships (``accounts.Membership``); Django's admin checks model permissions. The
two meet here: ``sync_groups`` (run after every ``migrate``) creates the groups below with
exactly these permissions, and ``sync_user`` (run whenever a membership is saved or deleted)
puts a user in the groups of the roles they hold and makes an administrator a staff user.
The desk roles (desk officer, specialist, leader) work on the desk, not in ``/admin/``: no
group. docs/security.md ("Roles in /admin/") lists the same table in prose.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from motcua.accounts.models import Membership, Role, User

FULL = ("add", "change", "delete", "view")
VIEW = ("view",)

# role → {"app_label.model": actions}
PERMISSIONS: dict[Role, dict[str, tuple[str, ...]]] = {
    # the whole province: its reference data (catalog, agencies, calendar, the 1022 hub's
    # categories and routing, kiosks), and read-only views of what services write
    Role.PROVINCE_ADMIN: {
        "catalog.field": FULL,
        "catalog.procedure": FULL,
        "catalog.feeline": FULL,
        "catalog.requireddocument": FULL,
        "catalog.workflow": FULL,
        "catalog.workflowstep": FULL,
        "agencies.agency": ("add", "change", "view"),  # agencies are closed, never deleted
        "workcalendar.calendaroverride": FULL,
        "feedback.category": FULL,
        "feedback.routingrule": FULL,
        "feedback.apiclient": FULL,
        "feedback.feedbackitem": VIEW,
        "ratings.kioskdevice": FULL,
        "ratings.rating": VIEW,
        "dossiers.dossier": VIEW,
        "dossiers.auditevent": VIEW,
        "core.changeevent": VIEW,
        "restapi.apitoken": ("change", "view"),  # revoke; tokens are made by `motcua apitoken`
        # which agency is the reform office; plans and inspections change on the desk only
        "reform.reformoffice": FULL,
        "reform.reformplan": VIEW,
        "reform.task": VIEW,
        "reform.inspection": VIEW,
    },
    # one agency and what is under it: only admin pages filtered to that scope (dossiers and
    # their audit trail), plus the public catalog read-only
    Role.AGENCY_ADMIN: {
        "dossiers.dossier": VIEW,
        "dossiers.auditevent": VIEW,
        "catalog.field": VIEW,
        "catalog.procedure": VIEW,
        "catalog.workflow": VIEW,
    },
}
GROUP_NAMES: dict[Role, str] = {
    Role.PROVINCE_ADMIN: "Quản trị tỉnh",
    Role.AGENCY_ADMIN: "Quản trị cơ quan",
}
ADMIN_ROLES = frozenset(PERMISSIONS)


def _permissions(spec: dict[str, tuple[str, ...]]) -> list[Permission]:
    q = Q(pk__in=[])
    for model, actions in spec.items():
        app_label, name = model.split(".")
        codenames = [f"{action}_{name}" for action in actions]
        q |= Q(content_type__app_label=app_label, codename__in=codenames)
    found = list(Permission.objects.filter(q))
    expected = sum(len(actions) for actions in spec.values())
    if len(found) != expected:  # a renamed model: fail loudly rather than grant less silently
        raise LookupError(f"{expected - len(found)} role permission(s) do not exist")
    return found


@transaction.atomic
def sync_groups() -> None:
    """Create or correct the role groups, then every administrator's group membership."""
    for app_config in apps.get_app_configs():  # permissions of apps migrated after accounts
        create_permissions(app_config, verbosity=0)
    for role, spec in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
        group.permissions.set(_permissions(spec))
    holders = Membership.objects.filter(role__in=ADMIN_ROLES).values_list("user_id", flat=True)
    for user in User.objects.filter(pk__in=holders.distinct()):
        sync_user(user)


def sync_user(user: User) -> None:
    """Put ``user`` in the groups of the administrator roles they hold (and out of the others);
    holding one makes them staff (allowed into /admin/)."""
    held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    wanted = {GROUP_NAMES[role] for role in ADMIN_ROLES if role in held}
    groups = {g.name: g for g in Group.objects.filter(name__in=GROUP_NAMES.values())}
    user.groups.remove(*[g for name, g in groups.items() if name not in wanted])
    user.groups.add(*[g for name, g in groups.items() if name in wanted])
    if wanted and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def on_post_migrate(sender, **kwargs) -> None:
    sync_groups()


def on_membership_change(sender, instance: Membership, **kwargs) -> None:
    if instance.role in ADMIN_ROLES:
        sync_user(instance.user)
