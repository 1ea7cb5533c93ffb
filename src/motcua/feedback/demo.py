"""Demo data for the 1022 hub: ``generate_demo_feedback(seed, n)`` creates ``n`` items received
from 01/01/2021 to 30/09/2021, every one through the services (so deadlines, audit trail and
statistics are real). For n = 5,492 the nine-month figures are the seed's: 5,492 received,
5,286 handled, 206 in progress (the same proportion for other n)."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.feedback import services
from motcua.feedback.defaults import ensure_default_categories
from motcua.feedback.models import Category, FeedbackItem
from motcua.feedback.rules import Channel
from motcua.workcalendar.rules import Duration

SEED_RECEIVED, SEED_HANDLED = 5492, 5286
PERIOD_START, PERIOD_END = dt.date(2021, 1, 1), dt.date(2021, 9, 30)
DEMO_PREFIX = "demo-"
CHANNEL_WEIGHTS = {
    Channel.HOTLINE: 45,
    Channel.PORTAL: 15,
    Channel.MOBILE_APP: 10,
    Channel.ZALO: 14,
    Channel.FACEBOOK: 8,
    Channel.EMAIL: 3,
    Channel.WALK_IN: 5,
}
SAMPLES = {
    "urban-order": (
        "Lấn chiếm vỉa hè",
        "Quán ăn lấn chiếm vỉa hè, người đi bộ phải đi xuống lòng đường.",
    ),
    "environment": ("Rác thải chưa được thu gom", "Rác tồn đọng nhiều ngày, bốc mùi hôi."),
    "traffic": ("Đèn tín hiệu giao thông hỏng", "Đèn tín hiệu tại giao lộ không hoạt động."),
    "infrastructure": ("Đèn đường không sáng", "Cả dãy đèn đường không sáng vào ban đêm."),
    "administrative-procedures": (
        "Hỏi về thủ tục cấp giấy phép xây dựng",
        "Xin hướng dẫn thành phần hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ.",
    ),
    "officials-conduct": ("Thái độ tiếp dân", "Cán bộ tiếp nhận hồ sơ chưa hướng dẫn tận tình."),
    "other": ("Góp ý chung", "Đề nghị bố trí thêm ghế chờ tại bộ phận một cửa."),
}
STREETS = (
    "Hòa Bình",
    "30 Tháng 4",
    "Trần Hưng Đạo",
    "Mậu Thân",
    "Nguyễn Văn Cừ",
    "Cách Mạng Tháng 8",
)


def handled_share(n: int) -> int:
    return round(n * SEED_HANDLED / SEED_RECEIVED)


def _system_user() -> User:
    root = Agency.objects.filter(parent__isnull=True).order_by("path").first()
    user, created = User.objects.get_or_create(
        username="tongdai1022_demo", defaults={"full_name": "Tổng đài 1022 (dữ liệu mẫu)"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    if root is not None:
        Membership.objects.get_or_create(user=user, agency=root, role=Role.PROVINCE_ADMIN)
    return user


def _received_times(rng: random.Random, n: int) -> list[dt.datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = services.calendar()
    days = [
        PERIOD_START + dt.timedelta(d)
        for d in range((PERIOD_END - PERIOD_START).days + 1)
        if cal.is_working_day(PERIOD_START + dt.timedelta(d))
    ]
    times = []
    for _ in range(n):
        day = rng.choice(days)
        minute = rng.randrange(7 * 60 + 30, 15 * 60)
        times.append(dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tz))
    return sorted(times)


def generate_demo_feedback(seed: int = 1022, n: int = SEED_RECEIVED) -> int:
    """Create the demo items; returns how many (0 when demo items already exist)."""
    if FeedbackItem.objects.filter(external_id__startswith=DEMO_PREFIX).exists():
        return 0
    ensure_default_categories()
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not security)
    by = _system_user()
    agencies = list(Agency.objects.exclude(parent__isnull=True).filter(valid_to__isnull=True))
    agencies = agencies or list(Agency.objects.all()[:1])
    categories = [c.code for c in Category.objects.filter(active=True, code__in=SAMPLES)]
    cal = services.calendar()
    tz = ZoneInfo(settings.TIME_ZONE)
    cap = dt.datetime.combine(PERIOD_END, dt.time(23, 0), tz)
    handled = handled_share(n)
    channels, weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
    for index, received in enumerate(_received_times(rng, n)):
        channel = rng.choices(channels, weights)[0]
        category = rng.choice(categories)
        title, text = SAMPLES[category]
        phone = f"09{rng.randrange(10**8):08d}"
        with transaction.atomic():
            item = services.submit(
                services.NewItem(
                    channel=channel,
                    category=category,
                    title=title,
                    description=text,
                    address=f"{rng.randrange(1, 300)} {rng.choice(STREETS)}, Cần Thơ",
                    latitude=round(rng.uniform(9.98, 10.08), 6),
                    longitude=round(rng.uniform(105.70, 105.80), 6),
                    reporter_name="Người phản ánh (mẫu)",
                    reporter_phone=phone,
                    is_public=channel not in (Channel.ZALO, Channel.FACEBOOK),
                    external_sender="demo" if channel in (Channel.ZALO, Channel.FACEBOOK) else "",
                    external_id=f"{DEMO_PREFIX}{seed}-{index}",
                ),
                by=by,
                now=received,
            )
            _process(item.code, index < handled, rng, cal, cap, received, by, phone, agencies)
    return n


def _process(code, finish, rng, cal, cap, received, by, phone, agencies) -> None:
    minute = dt.timedelta(minutes=1)
    if finish and rng.random() < 0.03:
        services.refuse(
            code,
            by=by,
            reason="Nội dung không thuộc phạm vi xử lý.",
            now=min(received + dt.timedelta(hours=3), cap),
        )
        return
    if not finish and rng.random() < 0.2:
        return  # still waiting at the 1022 centre
    t = received + 30 * minute
    services.assign(code, by=by, agency=rng.choice(agencies), now=t)
    if not finish and rng.random() < 0.4:
        return
    t += 60 * minute
    services.start(code, by=by, now=t)
    late = rng.random() < 0.05
    days = rng.randint(16, 20) if late else rng.randint(1, 14)
    approve_at = min(cal.add(received, Duration(days, "d")), cap)
    approve_at = max(approve_at, t + 2 * minute)
    if not finish:
        return
    services.draft_answer(
        code,
        by=by,
        answer="Cơ quan chức năng đã kiểm tra, xử lý và khắc phục.",
        now=approve_at - minute,
    )
    services.approve(code, by=by, now=approve_at)
    publish_at = cal.add(approve_at, Duration(1, "d"))
    services.publish(code, by=by, now=publish_at)
    if rng.random() < 0.3:
        services.rate(
            code,
            value="like" if rng.random() < 0.85 else "dislike",
            contact=phone,
            now=publish_at + 60 * minute,
        )
