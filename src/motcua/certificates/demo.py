"""Demo data of the certificate register (core.demo runs it after agencies and accounts).

``load``: the register office (the Department of Information and Communications) and its
officer. ``load_bulletin_2021``: the certificates the 2021 bulletin counts (seed
000_8c12119a4fc466e9: 454 organisational certificates, 298 active; 2,114 personal, 1,007
active, 272 of them on a USB token), written as the issuer's Excel list and loaded THROUGH
the import, like a real list, so the figures are computed from records, never typed in.

Every certificate is dated inside 2021-01-04..2021-09-15 (valid five years); the inactive
ones were revoked (the holder moved or retired, the agency merged) or handed back before
the period's end. The list is generated deterministically (numbered rows spread round-robin
over the demo agencies), so a second run re-imports the same list and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.contrib.auth.hashers import make_password

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.certificates import excel
from motcua.certificates.models import CertificateOffice
from motcua.core.demo import DemoRun

OFFICE_REF = "92.STTTT"  # Sở Thông tin và Truyền thông
OFFICER = "chungthu.tttt"
ISSUER = "Ban Cơ yếu Chính phủ"
FIRST_DAY, LAST_DAY = dt.date(2021, 1, 4), dt.date(2021, 9, 15)

# (kind, issued, active at 2021-09-30, with a USB token (personal) of which active)
ORGANISATION = ("Tổ chức", 454, 298)
PERSONAL = ("Cá nhân", 2114, 1007)
TOKENS, TOKENS_ACTIVE = 272, 180

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi")
MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Quốc", "Thu")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Linh", "Nam", "Phúc", "Tâm")
POSITIONS = ("Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng", "Văn thư")


def load(run: DemoRun) -> None:
    office = Agency.objects.get(local_ref=OFFICE_REF)
    CertificateOffice.objects.get_or_create(agency=office)
    user, new = User.objects.get_or_create(
        username=OFFICER, defaults={"full_name": "Lâm Thị Chứng Thư"}
    )
    if new:
        from motcua.accounts.demo import DEMO_PASSWORD, DEMO_USERS

        # reuse the hash the accounts demo made (Argon2 is slow by design)
        known = User.objects.filter(username=DEMO_USERS[0].username).first()
        user.password = known.password if known else make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=Role.SPECIALIST, agency=office)
    run.log(f"Chứng thư số: cơ quan quản lý {office.name_vi}")


def summary(run: DemoRun) -> None:
    run.log(f"  {OFFICER:<20} — Quản lý chứng thư số, Sở TT&TT: /desk/certificates/")


def _day(i: int, n: int) -> dt.date:
    """The i-th of n days spread evenly over the demo period."""
    span = (LAST_DAY - FIRST_DAY).days
    return FIRST_DAY + dt.timedelta(days=(i * span) // max(n - 1, 1))


def _serial(kind: str, i: int) -> str:
    return "54" + hashlib.sha256(f"cantho-2021/{kind}/{i}".encode()).hexdigest()[:30]


def _name(i: int) -> str:
    return (
        f"{SURNAMES[i % len(SURNAMES)]} {MIDDLE[(i // 10) % len(MIDDLE)]} "
        f"{GIVEN[(i // 80) % len(GIVEN)]}"
    )


def rows(agencies: list[Agency]) -> list[list]:
    """The issuer's list: one row per certificate, in excel.COLUMNS' Vietnamese headers."""
    out = []
    for label, issued, active in (ORGANISATION, PERSONAL):
        personal = label == PERSONAL[0]
        for i in range(issued):
            agency = agencies[i % len(agencies)]
            start = _day(i, issued)
            end = start.replace(year=start.year + 5) - dt.timedelta(days=1)
            # the first `active` rows stay active; of the others, every fourth was handed
            # back, the rest revoked, a week after issue at the earliest
            inactive_at = min(start + dt.timedelta(days=7 + i % 60), LAST_DAY)
            status, revoked, reason, returned = "Đang hoạt động", "", "", ""
            if i >= active:
                if i % 4 == 0:
                    status, returned = "Đã nộp lại", inactive_at.strftime("%d/%m/%Y")
                else:
                    status, revoked = "Đã thu hồi", inactive_at.strftime("%d/%m/%Y")
                    reason = "Thay đổi vị trí công tác" if personal else "Sắp xếp tổ chức bộ máy"
            # tokens: TOKENS_ACTIVE among the active personal rows, the rest among the others
            token = ""
            if personal and (i < TOKENS_ACTIVE or active <= i < active + TOKENS - TOKENS_ACTIVE):
                token = f"TK{2021_0000 + i:08d}"
            holder = agency.name_vi if not personal else _name(i)
            out.append(
                [
                    i + 1,
                    label,
                    holder,
                    POSITIONS[i % len(POSITIONS)] if personal else "",
                    agency.code,
                    _serial(label, i),
                    ISSUER,
                    start.strftime("%d/%m/%Y"),
                    end.strftime("%d/%m/%Y"),
                    token,
                    "USB token" if token else "",
                    status,
                    revoked,
                    reason,
                    returned,
                ]
            )
    return out


HEADERS = [
    "STT",
    "Loại chứng thư",
    "Tên thuê bao",
    "Chức vụ",
    "Mã cơ quan",
    "Số hiệu chứng thư",
    "Tổ chức cấp",
    "Hiệu lực từ ngày",
    "Hiệu lực đến ngày",
    "Số serial USB token",
    "Thiết bị lưu khóa",
    "Trạng thái",
    "Ngày thu hồi",
    "Lý do thu hồi",
    "Ngày nộp lại",
]


def workbook(agencies: list[Agency]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sach CTS"
    ws.append(["DANH SÁCH CHỨNG THƯ SỐ CẤP CHO CÁC CƠ QUAN, ĐƠN VỊ THÀNH PHỐ CẦN THƠ"])
    ws.append([f"(Tính đến ngày {LAST_DAY:%d/%m/%Y})"])
    ws.append(HEADERS)
    for row in rows(agencies):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def load_bulletin_2021(run: DemoRun) -> None:
    agencies = list(Agency.objects.exclude(code="").order_by("path", "pk"))
    result = excel.import_bytes(workbook(agencies), by=None)
    run.log(
        f"Chứng thư số 2021: {result.created} mới, {result.updated} cập nhật, "
        f"{result.unchanged} không đổi"
    )
