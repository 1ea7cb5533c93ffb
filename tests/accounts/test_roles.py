"""What each role may open in /admin/ (issue 9 §5: the demo's province administrator
``quantri`` got 403 on the catalog and the ratings). Roles are memberships; their model
permissions are the groups of ``accounts.roles``."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from motcua.accounts import demo
from motcua.accounts.models import Membership, Role, User
from motcua.accounts.roles import GROUP_NAMES
from motcua.core.demo import DemoRun
from tests.dossiers.conftest import make_world

PROVINCE_ADMIN_OPENS = [
    "/admin/",
    "/admin/catalog/procedure/",
    "/admin/catalog/procedure/add/",
    "/admin/catalog/field/",
    "/admin/catalog/workflow/",
    "/admin/agencies/agency/",
    "/admin/workcalendar/calendaroverride/",
    "/admin/feedback/category/",
    "/admin/feedback/routingrule/",
    "/admin/feedback/feedbackitem/",
    "/admin/ratings/rating/",
    "/admin/ratings/kioskdevice/",
    "/admin/ratings/kioskdevice/add/",
    "/admin/dossiers/dossier/",
    "/admin/core/changeevent/",
    "/admin/restapi/apitoken/",
]
# accounts, groups and permissions stay with the superuser: changing a user could grant
# superuser status
PROVINCE_ADMIN_REFUSED = [
    "/admin/accounts/user/",
    "/admin/accounts/user/add/",
    "/admin/auth/group/",
    "/admin/agencies/agency/1/delete/",
]
AGENCY_ADMIN_OPENS = [
    "/admin/",
    "/admin/dossiers/dossier/",
    "/admin/dossiers/auditevent/",
    "/admin/catalog/procedure/",
]
AGENCY_ADMIN_REFUSED = [
    "/admin/catalog/procedure/add/",
    "/admin/agencies/agency/",
    "/admin/ratings/rating/",
    "/admin/ratings/kioskdevice/",
    "/admin/feedback/category/",
    "/admin/workcalendar/calendaroverride/",
    "/admin/accounts/user/",
]


@pytest.fixture
def demo_users(db):
    world = make_world()
    demo.load(DemoRun(log=lambda message: None))  # the demo's own users, roles, memberships
    return world


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_demo_province_administrator_opens_what_the_role_needs_and_no_more(demo_users):
    client = _as("quantri")
    for url in PROVINCE_ADMIN_OPENS:
        assert client.get(url).status_code == 200, url
    for url in PROVINCE_ADMIN_REFUSED:
        assert client.get(url).status_code == 403, url


def test_demo_agency_administrator_opens_its_scoped_pages_only(demo_users):
    client = _as("ninhkieu.admin")
    for url in AGENCY_ADMIN_OPENS:
        assert client.get(url).status_code == 200, url
    for url in AGENCY_ADMIN_REFUSED:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("username", ["motcua.caikhe", "chuyenvien.caikhe", "lanhdao.caikhe"])
def test_desk_roles_do_not_enter_the_admin(demo_users, username):
    response = _as(username).get("/admin/catalog/procedure/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_groups_follow_the_memberships(demo_users):
    """A new administrator membership makes a staff member of the group; removing it takes
    the group away."""
    user = User.objects.create_user("moi.quantri", password="x-Secret-123")
    membership = Membership.objects.create(
        user=user, agency=demo_users.province, role=Role.PROVINCE_ADMIN
    )
    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.PROVINCE_ADMIN]]
    assert _as("moi.quantri").get("/admin/catalog/procedure/").status_code == 200
    membership.delete()
    assert not user.groups.exists()
    assert _as("moi.quantri").get("/admin/catalog/procedure/").status_code == 403


def test_groups_exist_after_migrate_with_their_permissions(db):
    province = Group.objects.get(name=GROUP_NAMES[Role.PROVINCE_ADMIN])
    codenames = set(province.permissions.values_list("codename", flat=True))
    assert {"change_procedure", "view_rating", "add_kioskdevice"} <= codenames
    assert not codenames & {"change_user", "add_user", "change_group", "delete_agency"}
