"""A small province for the registers: the city, the Department of Home Affairs (the reform
office), the Department of Justice with a division under it, a district; an officer of each,
an administrator of the district, and a citizen."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.reform.models import ReformOffice


@dataclass
class World:
    city: Agency
    home: Agency
    justice: Agency
    division: Agency
    district: Agency
    office: User  # reform office specialist (Sở Nội vụ): sees and edits everything
    justice_officer: User
    district_admin: User
    desk_officer: User  # one-stop desk officer of the justice department: sees, does not edit
    citizen: User


def _user(name: str) -> User:
    return User.objects.create_user(username=name, password="x-Secret-123", full_name=name)


def make_world() -> World:
    city = Agency.objects.create(
        code="000.00.00.H13", name_vi="Ủy ban nhân dân thành phố Cần Thơ", level="province"
    )

    def agency(code: str, name: str, level: str, parent: Agency, ref: str = "") -> Agency:
        return Agency.objects.create(
            code=code, name_vi=name, level=level, parent=parent, local_ref=ref
        )

    home = agency("000.00.10.H13", "Sở Nội vụ", "department", city, "92.SNV")
    justice = agency("000.00.11.H13", "Sở Tư pháp", "department", city, "92.STP")
    division = agency("000.11.01.H13", "Phòng Xây dựng văn bản", "other", justice)
    district = agency("000.00.21.H13", "Ủy ban nhân dân quận Ninh Kiều", "district", city, "916")
    ReformOffice.objects.create(agency=home)
    office, justice_officer = _user("cchc"), _user("tuphap")
    district_admin, desk = _user("ninhkieu"), _user("motcua")
    Membership.objects.create(user=office, role=Role.SPECIALIST, agency=home)
    Membership.objects.create(user=justice_officer, role=Role.SPECIALIST, agency=justice)
    Membership.objects.create(user=district_admin, role=Role.AGENCY_ADMIN, agency=district)
    Membership.objects.create(user=desk, role=Role.DESK_OFFICER, agency=justice)
    return World(
        city,
        home,
        justice,
        division,
        district,
        office,
        justice_officer,
        district_admin,
        desk,
        _user("dan"),
    )


@pytest.fixture
def world(db) -> World:
    return make_world()
