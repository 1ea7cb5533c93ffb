"""A province with a 1022 centre, a department, a district and a commune; operators at the
centre, specialists and leaders at the department and the district; default categories come
from the migration."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.feedback import services as S
from motcua.feedback.defaults import ensure_default_categories
from motcua.feedback.models import RoutingRule
from tests.helpers import UsersByName

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class World(UsersByName):
    province: Agency
    centre: Agency
    transport: Agency
    district: Agency
    commune: Agency
    users: dict[str, User]


def _user(name: str) -> User:
    return User.objects.create_user(username=name, password="x-Secret-123", full_name=name)


def make_world() -> World:
    ensure_default_categories()  # live_server tests flush the migration's rows
    province = Agency.objects.create(
        code="000.00.00.H13", name_vi="Ủy ban nhân dân thành phố Cần Thơ", level="province"
    )
    centre = Agency.objects.create(
        code="000.00.01.H13",
        name_vi="Trung tâm Phục vụ hành chính công (Tổng đài 1022)",
        level="service_centre",
        parent=province,
    )
    transport = Agency.objects.create(
        code="000.00.02.H13", name_vi="Sở Giao thông vận tải", level="department", parent=province
    )
    district = Agency.objects.create(
        code="000.00.21.H13",
        name_vi="Ủy ban nhân dân quận Ninh Kiều",
        level="district",
        parent=province,
    )
    commune = Agency.objects.create(
        code="000.01.21.H13",
        name_vi="Ủy ban nhân dân phường Cái Khế",
        level="commune",
        parent=district,
    )
    users = {"root": User.objects.create_superuser("root", password="x-Secret-123")}
    users["citizen"] = _user("citizen")
    users["operator"] = _user("operator")
    Membership.objects.create(user=users["operator"], agency=centre, role=Role.DESK_OFFICER)
    for agency, tag in ((transport, "gt"), (district, "nk")):
        for role in (Role.SPECIALIST, Role.LEADER):
            user = users[f"{role.value}_{tag}"] = _user(f"{role.value}_{tag}")
            Membership.objects.create(user=user, agency=agency, role=role)
    RoutingRule.objects.create(category=None, area=district, agency=district, priority=100)
    RoutingRule.objects.create(
        category_id=_cat("traffic"), area=None, agency=transport, priority=50
    )
    return World(province, centre, transport, district, commune, users)


def _cat(code: str) -> int:
    from motcua.feedback.models import Category

    return Category.objects.get(code=code).pk


@pytest.fixture
def world(db, settings) -> World:
    settings.MOTCUA_FEEDBACK_CENTRE_CODE = "000.00.01.H13"
    return make_world()


def new_item(**kw) -> S.NewItem:
    base = {
        "channel": "portal",
        "category": "environment",
        "title": "Rác thải tồn đọng",
        "description": "Rác tồn đọng nhiều ngày trước nhà số 12 đường Hòa Bình, bốc mùi hôi.",
        "address": "12 Hòa Bình, Cái Khế, Ninh Kiều",
        "latitude": 10.0452,
        "longitude": 105.7469,
        "area_code": "000.01.21.H13",
        "reporter_name": "Nguyễn Văn An",
        "reporter_phone": "0901234567",
    }
    base.update(kw)
    return S.NewItem(**base)


def to_published(world: World, code: str, *, start: dt.datetime | None = None) -> None:
    """Drive an item from received to a published answer, as the real roles."""
    t = start
    step = dt.timedelta(hours=2)

    def nxt():
        nonlocal t
        if t is None:
            return None
        t = t + step
        return t

    item = S.assign(code, by=world.operator, now=nxt())
    spec = world.specialist_gt if item.agency == world.transport else world.specialist_nk
    lead = world.leader_gt if item.agency == world.transport else world.leader_nk
    S.start(code, by=spec, now=nxt())
    S.draft_answer(code, by=spec, answer="Đã chỉ đạo thu gom, xử lý dứt điểm.", now=nxt())
    S.approve(code, by=lead, now=nxt())
    S.publish(code, by=world.operator, now=nxt())


# -- real HTTP ------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def http(method: str, url: str, *, data: bytes | None = None, headers: dict | None = None) -> Reply:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Reply(resp.status, dict(resp.headers), resp.read())
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, dict(exc.headers), exc.read())
