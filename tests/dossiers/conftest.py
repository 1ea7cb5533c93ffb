"""A two-agency set-up for the dossier engine: communes A and B under district D.

Each role exists once per agency; the district's agency administrator sees both communes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.catalog.models import FeeLine, Field, Procedure
from motcua.catalog.services import create_default_workflow
from motcua.dossiers import services as S
from motcua.dossiers.models import Channel
from tests.helpers import UsersByName, at


@dataclass
class World(UsersByName):
    province: Agency
    district: Agency
    a: Agency
    b: Agency
    procedure: Procedure
    users: dict[str, User]


def _user(name: str, **kw) -> User:
    return User.objects.create_user(username=name, password="x-Secret-123", full_name=name, **kw)


def make_world() -> World:
    province = Agency.objects.create(
        code="000.00.00.H13", name_vi="Ủy ban nhân dân thành phố", level="province"
    )
    district = Agency.objects.create(
        code="000.00.21.H13",
        name_vi="Ủy ban nhân dân quận Ninh Kiều",
        level="district",
        parent=province,
    )
    a = Agency.objects.create(
        code="000.01.21.H13",
        name_vi="Ủy ban nhân dân phường Cái Khế",
        level="commune",
        parent=district,
    )
    b = Agency.objects.create(
        code="000.02.21.H13",
        name_vi="Ủy ban nhân dân phường An Hòa",
        level="commune",
        parent=district,
    )
    field = Field.objects.create(name_vi="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.004884",
        name_vi="Thủ tục đăng ký lại khai sinh",
        field=field,
        at_commune=True,
        processing_amount=5,
        processing_unit="d",
    )
    FeeLine.objects.create(procedure=procedure, name="Lệ phí", amount_vnd=8000)
    create_default_workflow(procedure)
    users = {"root": User.objects.create_superuser("root", password="x-Secret-123")}
    for name in ("citizen1", "citizen2"):
        users[name] = _user(name)
    for agency, tag in ((a, "a"), (b, "b")):
        for role in (Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER):
            user = users[f"{role.value}_{tag}"] = _user(f"{role.value}_{tag}")
            Membership.objects.create(user=user, agency=agency, role=role)
    users["admin_d"] = _user("admin_d")
    Membership.objects.create(user=users["admin_d"], agency=district, role=Role.AGENCY_ADMIN)
    users["admin_p"] = _user("admin_p")
    Membership.objects.create(user=users["admin_p"], agency=province, role=Role.PROVINCE_ADMIN)
    return World(province, district, a, b, procedure, users)


@pytest.fixture
def world(db) -> World:
    return make_world()


APPLICANT = S.ApplicantData(
    name="Nguyễn Thị Hồng Nhung",
    id_number="092190001234",
    phone="0901234567",
    address="12 Hòa Bình, Cái Khế, Ninh Kiều",
)


def submit(
    world: World,
    *,
    agency: Agency | None = None,
    by: User | None = None,
    when: dt.datetime | None = None,
    **kw,
) -> int:
    dossier = S.submit(
        by=by or world.citizen1,
        procedure=world.procedure,
        receiving_agency=agency or world.a,
        applicant=APPLICANT,
        channel=kw.pop("channel", Channel.CITY_PORTAL),
        documents=[S.DocumentInput(name="Tờ khai đăng ký lại khai sinh")],
        now=when or at(2025, 1, 24, 9),
        **kw,
    )
    return dossier.pk
