"""Demo data of the accounts app: one user per role (the demo commune's officers, a district
and a province administrator, a citizen) and the superuser ``admin``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.demo import CITY, DEMO_COMMUNE, DEMO_DISTRICT
from motcua.agencies.models import Agency, AgencySigner
from motcua.core.demo import DemoRun

DEMO_PASSWORD = "motcua-demo-2021"  # noqa: S105 - printed for the local demo


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role | None  # None: a citizen
    agency_code: str | None = None


DEMO_USERS = (
    DemoUser("quantri", "Trần Văn Quản", Role.PROVINCE_ADMIN, CITY),
    DemoUser("ninhkieu.admin", "Lê Thị Ninh", Role.AGENCY_ADMIN, DEMO_DISTRICT),
    DemoUser("motcua.caikhe", "Phạm Thị Mai", Role.DESK_OFFICER, DEMO_COMMUNE),
    DemoUser("chuyenvien.caikhe", "Nguyễn Văn Thụ", Role.SPECIALIST, DEMO_COMMUNE),
    DemoUser("lanhdao.caikhe", "Võ Minh Đạo", Role.LEADER, DEMO_COMMUNE),
    DemoUser("congdan", "Nguyễn Thị Hồng Nhung", None),
)


def load(run: DemoRun) -> None:
    created = 0
    hashed = ""  # hashing is slow by design (Argon2): once for every demo user
    for spec in DEMO_USERS:
        user, new = User.objects.get_or_create(
            username=spec.username, defaults={"full_name": spec.full_name}
        )
        if new:
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.is_staff = spec.role in (Role.PROVINCE_ADMIN, Role.AGENCY_ADMIN)
            user.save()
            created += 1
        if spec.role:
            Membership.objects.get_or_create(
                user=user, role=spec.role, agency=Agency.objects.get(code=spec.agency_code)
            )
    _link_demo_signer()
    if not User.objects.filter(username="admin").exists():
        admin = User.objects.create_superuser("admin", password=None, full_name="Quản trị hệ thống")
        admin.password = hashed or make_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
        created += 1
    run.log(f"Người dùng demo: {created} mới")


def _link_demo_signer() -> None:
    """The demo leader signs the commune's letters (Forms 04–05) digitally as one of its
    configured signers: a letter naming a signer is signed by that signer's account only."""
    leader = User.objects.get(username="lanhdao.caikhe")
    AgencySigner.objects.update_or_create(
        agency=Agency.objects.get(code=DEMO_COMMUNE),
        name=leader.full_name,
        defaults={"role": "deputy", "position": "Phó Chủ tịch", "order": 3, "user": leader},
    )


def summary(run: DemoRun) -> None:
    """The logins, printed once everything is loaded."""
    run.log("")
    run.log(f"Đăng nhập demo (mật khẩu chung: {DEMO_PASSWORD}):")
    run.log("  admin                — quản trị hệ thống: http://127.0.0.1:8000/admin/")
    for spec in DEMO_USERS:
        role = spec.role.label if spec.role else "Công dân (cổng dịch vụ công)"
        run.log(f"  {spec.username:<20} — {role}")
