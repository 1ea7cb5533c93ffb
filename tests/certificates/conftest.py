"""A small city: the City People's Committee, the Department of Information and
Communications (the register office), the Department of Justice with a sub-unit, and the
Department of Health; officers of each and a citizen."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.certificates import services
from motcua.certificates.models import Certificate, CertificateOffice
from motcua.certificates.rules import Kind

ISSUER = "Ban Cơ yếu Chính phủ"
HEADERS = [
    "STT",
    "Loại chứng thư",
    "Tên thuê bao",
    "Chức vụ",
    "Cơ quan",
    "Số hiệu chứng thư",
    "Tổ chức cấp",
    "Hiệu lực từ ngày",
    "Hiệu lực đến ngày",
    "Số serial USB token",
    "Trạng thái",
    "Ngày thu hồi",
    "Lý do thu hồi",
]


@dataclass
class World:
    city: Agency
    ict: Agency
    justice: Agency
    notary: Agency  # under justice
    health: Agency
    office: User  # officer of the register office (Sở TT&TT)
    justice_officer: User  # specialist of justice: sees justice and the notary office
    justice_leader: User
    health_officer: User
    citizen: User


def _user(name: str) -> User:
    return User.objects.create_user(username=name, password="x-Secret-123", full_name=name)


def make_world() -> World:
    city = Agency.objects.create(
        code="000.00.00.H13", name_vi="Ủy ban nhân dân thành phố Cần Thơ", level="province"
    )

    def unit(code: str, name: str, parent: Agency = city) -> Agency:
        return Agency.objects.create(code=code, name_vi=name, level="department", parent=parent)

    ict = unit("000.00.12.H13", "Sở Thông tin và Truyền thông")
    justice = unit("000.00.11.H13", "Sở Tư pháp")
    notary = unit("000.11.01.H13", "Phòng Công chứng số 1", justice)
    health = unit("000.00.13.H13", "Sở Y tế")
    CertificateOffice.objects.create(agency=ict)
    office, jo, jl, ho = _user("cts"), _user("tuphap"), _user("gd.tuphap"), _user("yte")
    Membership.objects.create(user=office, role=Role.SPECIALIST, agency=ict)
    Membership.objects.create(user=jo, role=Role.SPECIALIST, agency=justice)
    Membership.objects.create(user=jl, role=Role.LEADER, agency=justice)
    Membership.objects.create(user=ho, role=Role.SPECIALIST, agency=health)
    return World(city, ict, justice, notary, health, office, jo, jl, ho, _user("dan"))


@pytest.fixture
def world(db) -> World:
    return make_world()


def entry(agency: Agency, serial: str = "5403F2A1", **kw) -> services.Entry:
    values = {
        "kind": Kind.PERSONAL,
        "holder_name": "Nguyễn Văn An",
        "holder_position": "Giám đốc",
        "agency": agency,
        "serial": serial,
        "issuer": ISSUER,
        "valid_from": dt.date(2021, 3, 1),
        "valid_to": dt.date(2026, 2, 28),
    }
    values.update(kw)
    return services.Entry(**values)


def add(agency: Agency, serial: str = "5403F2A1", **kw) -> Certificate:
    return services.create(None, entry(agency, serial, **kw))


def xlsx(rows: list[list], headers: list[str] | None = None, title: bool = True) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["DANH SÁCH CHỨNG THƯ SỐ"])
    ws.append(headers or HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(n: int, serial: str, agency: str = "Sở Tư pháp", **kw) -> list:
    values = {
        "kind": "Cá nhân",
        "holder": f"Người {n}",
        "position": "Chuyên viên",
        "serial": serial,
        "issuer": ISSUER,
        "start": "01/03/2021",
        "end": "28/02/2026",
        "token": "",
        "status": "Đang hoạt động",
        "revoked": "",
        "reason": "",
    }
    values.update(kw)
    return [
        n,
        values["kind"],
        values["holder"],
        values["position"],
        agency,
        values["serial"],
        values["issuer"],
        values["start"],
        values["end"],
        values["token"],
        values["status"],
        values["revoked"],
        values["reason"],
    ]
