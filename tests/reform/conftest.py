"""A small province: the city, the Department of Home Affairs (the reform office), two
departments; an officer of each, and the reform office's specialist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.reform import services
from motcua.reform.models import ReformOffice, ReformPlan
from motcua.reform.rules import Area


@dataclass
class World:
    city: Agency
    home: Agency
    justice: Agency
    ict: Agency
    office: User  # reform office specialist (Sở Nội vụ)
    justice_officer: User
    ict_officer: User
    citizen: User


def _user(name: str) -> User:
    return User.objects.create_user(username=name, password="x-Secret-123", full_name=name)


def make_world() -> World:
    city = Agency.objects.create(
        code="000.00.00.H13",
        name_vi="Ủy ban nhân dân thành phố Cần Thơ",
        level="province",
        local_ref="92",
    )

    def dept(code: str, name: str, ref: str) -> Agency:
        return Agency.objects.create(
            code=code, name_vi=name, level="department", parent=city, local_ref=ref
        )

    home = dept("000.00.10.H13", "Sở Nội vụ", "92.SNV")
    justice = dept("000.00.11.H13", "Sở Tư pháp", "92.STP")
    ict = dept("000.00.12.H13", "Sở Thông tin và Truyền thông", "92.STTTT")
    ReformOffice.objects.create(agency=home)
    office, justice_officer, ict_officer = _user("cchc"), _user("tuphap"), _user("tttt")
    Membership.objects.create(user=office, role=Role.SPECIALIST, agency=home)
    Membership.objects.create(user=justice_officer, role=Role.SPECIALIST, agency=justice)
    Membership.objects.create(user=ict_officer, role=Role.SPECIALIST, agency=ict)
    return World(city, home, justice, ict, office, justice_officer, ict_officer, _user("dan"))


@pytest.fixture
def world(db) -> World:
    return make_world()


def make_plan(w: World) -> ReformPlan:
    plan = services.create_plan(
        by=w.office,
        year_=2021,
        agency=w.city,
        decision_number="164/KH-UBND",
        decision_date=dt.date(2020, 12, 31),
        title="Kế hoạch CCHC năm 2021",
    )
    o1 = services.add_objective(
        by=w.office, plan_id=plan.pk, area=Area.INSTITUTIONS, title="Thể chế"
    )
    o2 = services.add_objective(by=w.office, plan_id=plan.pk, area=Area.E_GOVERNMENT, title="Số")
    services.add_task(
        by=w.office,
        objective_id=o1.pk,
        content="Rà soát văn bản",
        lead_agency=w.justice,
        deadline=dt.date(2021, 6, 30),
    )
    services.add_task(
        by=w.office,
        objective_id=o2.pk,
        content="Trục liên thông",
        lead_agency=w.ict,
        partners=[w.home],
        deadline=dt.date(2021, 9, 30),
        output="Hệ thống",
    )
    services.add_task(
        by=w.office,
        objective_id=o2.pk,
        content="An toàn thông tin",
        lead_agency=w.ict,
        deadline=None,
    )
    return plan


@pytest.fixture
def plan(world) -> ReformPlan:
    return make_plan(world)
