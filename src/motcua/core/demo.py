"""The Cần Thơ 2021 demo: agencies, procedures, one user per role, and dossiers in every state.

Everything goes through the apps' importers and services (never raw rows), and every step is
idempotent: a second run finds what it would create and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from zoneinfo import ZoneInfo

from django.db import transaction

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.importers import import_agencies_csv
from motcua.agencies.models import Agency
from motcua.catalog.importers import import_procedures_csv
from motcua.catalog.models import Procedure
from motcua.catalog.services import link_agencies_by_level
from motcua.dossiers import services as S
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Channel, Dossier
from motcua.workcalendar.queries import get_calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_PASSWORD = "motcua-demo-2021"  # noqa: S105 - printed for the local demo
CITY = "000.00.00.H13"
DEMO_COMMUNE = "000.01.21.H13"  # phường Cái Khế, quận Ninh Kiều
DEMO_DISTRICT = "000.00.21.H13"  # quận Ninh Kiều

# Province-level procedures are decided by these departments (local_ref of the 2021 CSV).
DEPARTMENT_BY_FIELD = {
    "Lý lịch tư pháp": "92.STP",
    "Thành lập và hoạt động doanh nghiệp": "92.SKHDT",
    "Hoạt động xây dựng": "92.SXD",
    "Đường bộ": "92.SGTVT",
    "Khám bệnh, chữa bệnh": "92.SYT",
}


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

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Hữu", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hạnh",
    "Khoa",
    "Lan",
    "Nam",
    "Phúc",
    "Quyên",
    "Sơn",
    "Tâm",
    "Uyên",
    "Vinh",
    "Xuân",
    "Yến",
    "Thảo",
    "Trí",
    "Nhung",
]
STREETS = [
    "Hòa Bình",
    "Trần Hưng Đạo",
    "Nguyễn Văn Cừ",
    "30 Tháng 4",
    "Mậu Thân",
    "Cách Mạng Tháng 8",
    "Lý Tự Trọng",
    "3 Tháng 2",
]


def load_reference_data(log: Callable[[str], None]) -> None:
    with resources.as_file(
        resources.files("motcua.agencies") / "data" / "agencies_cantho_2021.csv"
    ) as path:
        result = import_agencies_csv(path)
    log(f"Cơ quan: {result.created} mới, {result.unchanged} không đổi")
    with resources.as_file(
        resources.files("motcua.catalog") / "data" / "procedures_cantho_2021.csv"
    ) as path:
        result = import_procedures_csv(path)
    log(f"Thủ tục: {result.created} mới, {result.unchanged} không đổi")
    _link_implementing_agencies()
    _load_form_fields(log)


def _load_form_fields(log: Callable[[str], None]) -> None:
    from motcua.catalog.formfields import import_form_fields_csv

    with resources.as_file(
        resources.files("motcua.catalog") / "data" / "form_fields_cantho_2021.csv"
    ) as path:
        fields = import_form_fields_csv(path)
    log(f"Trường tờ khai: {fields.created} mới, {fields.unchanged} không đổi")


def _link_implementing_agencies() -> None:
    for level in ("commune", "district"):
        agencies = Agency.objects.filter(level=level)
        missing = Procedure.objects.filter(
            **{f"at_{level}": True}, implementing_agencies__isnull=True
        )
        if missing.exists():
            link_agencies_by_level(level, agencies)
    for procedure in Procedure.objects.filter(at_province=True, implementing_agencies__isnull=True):
        ref = DEPARTMENT_BY_FIELD.get(procedure.field.name_vi)
        agency = Agency.objects.filter(local_ref=ref).first() if ref else None
        procedure.implementing_agencies.add(agency or Agency.objects.get(code=CITY))


def load_users(log: Callable[[str], None]) -> list[DemoUser]:
    created = 0
    for spec in DEMO_USERS:
        user, new = User.objects.get_or_create(
            username=spec.username, defaults={"full_name": spec.full_name}
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = spec.role in (Role.PROVINCE_ADMIN, Role.AGENCY_ADMIN)
            user.save()
            created += 1
        if spec.role:
            Membership.objects.get_or_create(
                user=user, role=spec.role, agency=Agency.objects.get(code=spec.agency_code)
            )
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(
            "admin", password=DEMO_PASSWORD, full_name="Quản trị hệ thống"
        )
        created += 1
    log(f"Người dùng demo: {created} mới")
    return list(DEMO_USERS)


# -- dossiers -------------------------------------------------------------------------------

# Final states and their weights: most 2021 dossiers were returned; some are still open.
OUTCOMES = [
    ("returned", 55),
    ("returned_late", 8),
    ("in_process", 8),
    ("supplement_requested", 5),
    ("received", 4),
    ("registered", 4),
    ("completion_requested", 2),
    ("not_received", 3),
    ("decided", 3),
    ("awaiting_payment", 2),
    ("withdrawn", 3),
    ("stopped", 2),
    ("returned_two_supplements", 1),
]


def _applicant(rng: random.Random) -> S.ApplicantData:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return S.ApplicantData(
        name=name,
        id_number=f"092{rng.randint(0, 1)}{rng.randint(60, 99):02d}{rng.randint(0, 999999):06d}",
        phone=f"09{rng.randint(10000000, 99999999)}",
        address=f"{rng.randint(1, 300)} {rng.choice(STREETS)}, Cần Thơ",
        vneid=rng.random() < 0.3,
    )


def _receiving_agency(procedure: Procedure, rng: random.Random) -> Agency:
    agencies = list(procedure.implementing_agencies.all())
    # the demo commune gets a fair share so its officers have a real queue
    commune = next((a for a in agencies if a.code == DEMO_COMMUNE), None)
    if commune and rng.random() < 0.25:
        return commune
    return rng.choice(agencies)


def load_dossiers(count: int, log: Callable[[str], None], seed: int = 2021) -> int:
    """Create ``count`` dossiers of 2021 through the services (skipped if any exist)."""
    if Dossier.objects.exists():
        log(f"Hồ sơ: đã có {Dossier.objects.count()}, không tạo thêm")
        return 0
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    province_admin = User.objects.get(username="quantri")
    commune_staff = {
        role: User.objects.get(username=name)
        for role, name in (
            ("desk", "motcua.caikhe"),
            ("specialist", "chuyenvien.caikhe"),
            ("leader", "lanhdao.caikhe"),
        )
    }
    citizen = User.objects.get(username="congdan")
    procedures = list(
        Procedure.objects.filter(workflows__status="active")
        .distinct()
        .prefetch_related("implementing_agencies")
        .order_by("pk")
    )
    cal = get_calendar()
    start, end = dt.date(2021, 1, 4), dt.date(2021, 9, 24)
    created = 0
    for i in range(count):
        procedure = procedures[i % len(procedures)]
        day = start + dt.timedelta(days=rng.randrange((end - start).days))
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
        when = dt.datetime.combine(
            day,
            dt.time(rng.choice([7, 8, 9, 10, 13, 14, 15]), rng.choice([0, 15, 30, 45])),
            tzinfo=VN,
        )
        outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
        online = procedure.online_mode != "none" and rng.random() < 0.45
        agency = _receiving_agency(procedure, rng)
        # the demo commune's own officers act on its dossiers; elsewhere the province admin
        staff = (
            commune_staff
            if agency.code == DEMO_COMMUNE
            else dict.fromkeys(commune_staff, province_admin)
        )
        try:
            with transaction.atomic():
                _drive(
                    procedure,
                    agency,
                    when,
                    outcome,
                    online,
                    rng,
                    staff,
                    citizen,
                )
            created += 1
        except DossierError as exc:  # a demo path the rules refuse is a bug in the demo
            raise RuntimeError(f"demo dossier {i}: {exc}") from exc
    log(f"Hồ sơ: {created} mới")
    return created


def _drive(
    procedure: Procedure,
    agency: Agency,
    when: dt.datetime,
    outcome: str,
    online: bool,
    rng: random.Random,
    staff: dict[str, User],
    citizen: User,
) -> None:
    """Take one dossier from submission to ``outcome``, each action at a plausible time."""
    cal = get_calendar()

    def later(t: dt.datetime, hours: float) -> dt.datetime:
        return cal.add_time(t, dt.timedelta(hours=hours))

    desk, specialist, leader = staff["desk"], staff["specialist"], staff["leader"]
    by_applicant = citizen if online else desk
    channel = Channel.CITY_PORTAL if online else rng.choice([Channel.DESK] * 5 + [Channel.POST])
    documents = [
        S.DocumentInput(
            name=doc.name,
            required_document_id=doc.pk,
            originals=doc.originals,
            copies=doc.copies,
            digitised=online or rng.random() < 0.5,
        )
        for doc in procedure.required_documents.filter(present_only=False)
    ]
    d = S.submit(
        by=by_applicant,
        procedure=procedure,
        receiving_agency=agency,
        applicant=_applicant(rng),
        documents=documents,
        channel=channel,
        now=when,
    )
    t = later(when, 0.5)
    if outcome == "registered":
        return
    if outcome in ("completion_requested", "not_received"):
        S.request_completion(
            d.pk,
            by=desk,
            now=t,
            missing=[
                S.MissingItem(
                    documents[0].name if documents else "Tờ khai", "Bổ sung bản chính để đối chiếu"
                )
            ],
        )
        if outcome == "not_received":
            S.refuse_reception(
                d.pk, by=desk, now=later(t, 8), reasons=["Hồ sơ không thuộc thẩm quyền giải quyết"]
            )
        return
    d = S.receive(d.pk, by=desk, now=t)
    if outcome == "received":
        return
    if outcome == "withdrawn":
        S.withdraw(d.pk, by=by_applicant, reason="Không còn nhu cầu", now=later(t, 4))
        return
    if outcome == "stopped":
        S.stop(
            d.pk,
            by=leader,
            reason="Người yêu cầu không bổ sung hồ sơ theo quy định",
            legal_basis="Nghị định 118/2025/NĐ-CP",
            now=later(t, 2),
        )
        return
    t = later(t, 1)
    S.hand_over(d.pk, by=desk, now=t)
    rounds = (
        2
        if outcome == "returned_two_supplements"
        else (1 if outcome == "supplement_requested" or rng.random() < 0.1 else 0)
    )
    for _ in range(rounds):
        t = later(t, 2)
        S.request_supplement(
            d.pk,
            by=specialist,
            now=t,
            missing=[S.MissingItem("Bản sao giấy tờ chứng minh nơi cư trú")],
        )
        if outcome == "supplement_requested":
            return
        t = later(t, 8 * rng.randint(1, 3))
        S.supplement(d.pk, by=by_applicant, now=t)
    if outcome == "in_process":
        return
    d = Dossier.objects.get(pk=d.pk)
    total = cal.working_time(t, d.effective_due_at)
    share = rng.uniform(0.3, 0.9) if outcome != "returned_late" else 1.0
    t = max(later(t, 1), cal.add_time(t, total * share))
    if outcome == "returned_late":
        t = later(d.effective_due_at, 8 * rng.randint(1, 4))
    for _ in range(Dossier.objects.get(pk=d.pk).steps.filter(role__in=["specialist"]).count()):
        S.hand_over(d.pk, by=specialist, now=t)
        t = later(t, 1)
    if rng.random() < 0.08:
        S.refuse(d.pk, by=leader, reasons=["Không đủ điều kiện theo quy định"], now=t)
    else:
        S.approve(
            d.pk,
            by=leader,
            result_documents=[procedure.result_type or "Văn bản kết quả"],
            electronic=online,
            now=t,
        )
    if outcome == "decided":
        return
    t = later(t, 2)
    if outcome == "awaiting_payment":
        S.request_payment(d.pk, by=specialist, fees=[("Phí thẩm định", 50000)], now=t)
        return
    if d.fees.filter(paid_at__isnull=True).exists():
        S.pay_fees(
            d.pk,
            by=by_applicant,
            channel="online" if online else "cash",
            gateway="sandbox" if online else "",
            now=t,
        )
        t = later(t, 1)
    S.return_result(d.pk, by=desk, delivery="online" if online else "desk", now=t)


def load_feedback(count: int, log: Callable[[str], None]) -> None:
    """The 1022 hub's nine months of 2021, through its services (skipped if already there)."""
    from motcua.feedback.demo import generate_demo_feedback

    created = generate_demo_feedback(n=count) if count else 0
    log(f"Phản ánh, kiến nghị 1022: {created} mới")
