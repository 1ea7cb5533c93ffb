"""Demo data of the dossier engine: dossiers of 2021 in every state, each taken from submission
to its final state through the services (every action at a plausible time, audited)."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction

from motcua.accounts.models import User
from motcua.agencies.demo import DEMO_COMMUNE
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.core.demo import DemoRun
from motcua.dossiers import services as S
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Channel, Dossier
from motcua.workcalendar.queries import get_calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_COUNT = 300
DEMO_PREFIX = "demo-"

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


def load_history(run: DemoRun) -> None:
    """History, not reference data: `make run` may load it while the server already answers."""
    load_dossiers(run.size("dossiers", DEFAULT_COUNT), run)


def demo_key(seed: int, i: int) -> str:
    """The idempotency key of demo dossier ``i``: it marks the dossiers already made."""
    return f"{DEMO_PREFIX}{seed}-{i}"


def load_dossiers(count: int, run: DemoRun, seed: int = 2021) -> int:
    """Create ``count`` dossiers of 2021 through the services, each in its own transaction
    with its own random generator, so an interrupted load resumes where it stopped; returns
    how many were created (0 when all are there)."""
    log = run.log
    keys = [demo_key(seed, i) for i in range(count)]
    done = set(
        Dossier.objects.filter(idempotency_key__startswith=f"{DEMO_PREFIX}{seed}-").values_list(
            "idempotency_key", flat=True
        )
    )
    if not done and Dossier.objects.exists():
        # dossiers without demo keys: real data, or a demo loaded before the keys existed
        log(f"Hồ sơ: đã có {Dossier.objects.count()}, không tạo thêm")
        return 0
    if all(key in done for key in keys):
        log(f"Hồ sơ minh họa: đã đủ {count}")
        return 0
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
        if keys[i] in done:
            continue
        rng = random.Random(keys[i])  # noqa: S311 - reproducible demo data, not security
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
        if i < len(OUTCOMES):  # every final state at least once, whatever the draw
            outcome = OUTCOMES[i][0]
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
                _drive(procedure, agency, when, outcome, online, rng, staff, citizen, keys[i])
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
    key: str,
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
        idempotency_key=key,
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
