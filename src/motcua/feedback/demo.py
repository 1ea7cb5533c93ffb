"""Demo data of the 1022 hub: ``generate_demo_feedback(seed, n)`` creates ``n`` items received
from 01/01/2021 to 30/09/2021 with their whole history (assignment, answer, approval,
publication, the reporter's rating) and audit trail. For n = 5,492 the nine-month figures are
the seed's: 5,492 received, 5,286 handled, 206 in progress (the same proportion for other n).

The history is first *planned* (every random choice, every action and its time) and then
written by one of two paths that produce the same rows:

- ``path="services"`` takes each action through ``feedback.services`` (one transaction per
  item, as a user would): the reference, about 200 ms an item on a small machine;
- ``path="bulk"`` (the default) builds the rows the services would write in Python, with the
  same rules (``rules.transition``, ``permissions.acting_role``, the working calendar) and
  writes them through the history import's bulk path (``history.bulk``: COPY on PostgreSQL,
  executemany on SQLite) in one transaction per batch: the 5,492 items and their ~30,000
  audit events in seconds. The audit trail stays append-only: rows are only inserted.

``tests/feedback/test_demo.py`` compares the two paths column by column.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Membership, Role, User
from motcua.agencies.models import Agency
from motcua.core.demo import DemoRun
from motcua.core.text import normalize_search
from motcua.feedback import services
from motcua.feedback.defaults import ensure_default_categories
from motcua.feedback.models import Category, Counter, FeedbackEvent, FeedbackItem
from motcua.feedback.permissions import acting_role, is_operator
from motcua.feedback.rules import Action, Channel, NotAllowed, State, transition
from motcua.history import bulk
from motcua.workcalendar.rules import Duration, WorkingCalendar

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


ANSWER = "Cơ quan chức năng đã kiểm tra, xử lý và khắc phục."
REFUSAL = "Nội dung không thuộc phạm vi xử lý."


@dataclass(frozen=True)
class Step:
    """One action of an item's planned history (``rate``: ``value`` like or dislike)."""

    action: Action | str
    at: dt.datetime
    agency: Agency | None = None
    value: str = ""


@dataclass(frozen=True)
class Plan:
    data: services.NewItem
    received: dt.datetime
    steps: tuple[Step, ...] = field(default_factory=tuple)


def plan_demo_feedback(seed: int, n: int, agencies: list[Agency]) -> list[Plan]:
    """Every random choice of the demo, made up front (no database writes)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not security)
    categories = [c.code for c in Category.objects.filter(active=True, code__in=SAMPLES)]
    cal = services.calendar()
    tz = ZoneInfo(settings.TIME_ZONE)
    cap = dt.datetime.combine(PERIOD_END, dt.time(23, 0), tz)
    handled = handled_share(n)
    channels, weights = zip(*CHANNEL_WEIGHTS.items(), strict=True)
    plans = []
    for index, received in enumerate(_received_times(rng, n)):
        channel = rng.choices(channels, weights)[0]
        category = rng.choice(categories)
        title, text = SAMPLES[category]
        phone = f"09{rng.randrange(10**8):08d}"
        data = services.NewItem(
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
        )
        steps = _history(index < handled, rng, cal, cap, received, agencies)
        plans.append(Plan(data, received, steps))
    return plans


def _history(finish, rng, cal, cap, received, agencies) -> tuple[Step, ...]:
    minute = dt.timedelta(minutes=1)
    if finish and rng.random() < 0.03:
        return (Step(Action.REFUSE, min(received + dt.timedelta(hours=3), cap)),)
    if not finish and rng.random() < 0.2:
        return ()  # still waiting at the 1022 centre
    t = received + 30 * minute
    steps = [Step(Action.ASSIGN, t, agency=rng.choice(agencies))]
    if not finish and rng.random() < 0.4:
        return tuple(steps)
    t += 60 * minute
    steps.append(Step(Action.START, t))
    late = rng.random() < 0.05
    days = rng.randint(16, 20) if late else rng.randint(1, 14)
    approve_at = min(cal.add(received, Duration(days, "d")), cap)
    approve_at = max(approve_at, t + 2 * minute)
    if not finish:
        return tuple(steps)
    publish_at = cal.add(approve_at, Duration(1, "d"))
    steps += [
        Step(Action.DRAFT_ANSWER, approve_at - minute),
        Step(Action.APPROVE, approve_at),
        Step(Action.PUBLISH, publish_at),
    ]
    if rng.random() < 0.3:
        value = "like" if rng.random() < 0.85 else "dislike"
        steps.append(Step("rate", publish_at + 60 * minute, value=value))
    return tuple(steps)


def generate_demo_feedback(seed: int = 1022, n: int = SEED_RECEIVED, path: str = "bulk") -> int:
    """Create the demo items not there yet; returns how many (0 when all exist). The bulk
    path commits every ``BATCH`` items, so an interrupted load resumes where it stopped and
    a server running beside it waits at most one batch for the database."""
    prefix = f"{DEMO_PREFIX}{seed}-"
    done = set(
        FeedbackItem.objects.filter(external_id__startswith=prefix).values_list(
            "external_id", flat=True
        )
    )
    if len(done) >= n:
        return 0
    ensure_default_categories()
    by = _system_user()
    # a stable order: a resumed load must plan exactly what the interrupted one planned
    agencies = list(
        Agency.objects.exclude(parent__isnull=True)
        .filter(valid_to__isnull=True)
        .order_by("path", "pk")
    )
    agencies = agencies or list(Agency.objects.order_by("path", "pk")[:1])
    plans = [p for p in plan_demo_feedback(seed, n, agencies) if p.data.external_id not in done]
    if path == "services":
        for plan in plans:
            with transaction.atomic():
                _through_services(plan, by)
    elif path == "bulk":
        roles: dict[tuple, str] = {}  # the actor's role per (action, agency): asked once per load
        for start in range(0, len(plans), BATCH):
            write_bulk(plans[start : start + BATCH], by, roles=roles)
    else:
        raise ValueError(f"unknown path {path!r}")
    return len(plans)


def load_history(run: DemoRun) -> None:
    """History, not reference data: `make run` may load it while the server already answers."""
    count = run.size("feedback", SEED_RECEIVED)
    created = generate_demo_feedback(n=count) if count else 0
    run.log(f"Phản ánh, kiến nghị 1022: {created} mới")


# -- path 1: through the services --------------------------------------------------------------


def _through_services(plan: Plan, by: User) -> None:
    code = services.submit(plan.data, by=by, now=plan.received).code
    for step in plan.steps:
        match step.action:
            case Action.REFUSE:
                services.refuse(code, by=by, reason=REFUSAL, now=step.at)
            case Action.ASSIGN:
                services.assign(code, by=by, agency=step.agency, now=step.at)
            case Action.START:
                services.start(code, by=by, now=step.at)
            case Action.DRAFT_ANSWER:
                services.draft_answer(code, by=by, answer=ANSWER, now=step.at)
            case Action.APPROVE:
                services.approve(code, by=by, now=step.at)
            case Action.PUBLISH:
                services.publish(code, by=by, now=step.at)
            case "rate":
                services.rate(code, value=step.value, contact=plan.data.reporter_phone, now=step.at)
            case _:
                raise ValueError(f"no service for {step.action!r}")


# -- path 2: the same rows, built in Python and inserted in bulk ---------------------------------


@dataclass
class _Writer:
    """Builds items and events exactly as ``feedback.services`` would (see each method's
    service), checking each action against the transition table and the permissions."""

    by: User
    centre: Agency
    cal: WorkingCalendar
    categories: dict[str, Category]
    roles: dict[tuple, str] = field(default_factory=dict)

    def role(self, item: FeedbackItem, action: Action) -> str:
        """``permissions.acting_role`` of the actor, asked once per (action, agency)."""
        key = (action, item.centre_id, item.agency_id)
        if key not in self.roles:
            role = acting_role(self.by, item, transition(item.state, action))
            if role is None:
                raise NotAllowed(f"{self.by} may not {action} demo feedback")
            self.roles[key] = role
        return self.roles[key]

    def event(self, item: FeedbackItem, now, *, role, from_state, action, reason="", data):
        # services._event
        return FeedbackEvent(
            item=item,
            at=now,
            actor=self.by,
            actor_role=role,
            agency=item.agency or item.centre,
            action=action,
            from_state=from_state,
            to_state=item.state,
            reason=reason,
            data=data,
        )

    def submit(self, data: services.NewItem, now: dt.datetime, code: str, operator: bool):
        # services.submit, after services._validate
        category = self.categories[data.category]
        t = transition(None, Action.SUBMIT)
        description = data.description.strip()
        title = (data.title.strip() or description.split("\n")[0][:80])[:255]
        item = FeedbackItem(
            code=code,
            token=uuid.uuid4(),
            channel=Channel(data.channel),
            category=category,
            title=title,
            description=description,
            search_text=normalize_search(f"{title} {description}"),
            address=data.address.strip()[:255],
            latitude=None if data.latitude is None else Decimal(str(data.latitude)),
            longitude=None if data.longitude is None else Decimal(str(data.longitude)),
            area=None,
            media_url=data.media_url,
            reporter_name=data.reporter_name.strip()[:200],
            reporter_phone=data.reporter_phone.strip()[:20],
            reporter_email=data.reporter_email.strip(),
            reporter_user=None,
            external_sender=data.external_sender[:100],
            external_id=data.external_id[:100],
            is_public=data.is_public,
            dossier=None,
            centre=self.centre,
            state=t.target,
            received_at=now,
            updated_at=now,
            refuse_due=self.cal.add(now, Duration(category.refuse_days, "d")),
            request_due=self.cal.add(now, Duration(category.request_days, "d")),
            handle_start=now,
            handle_due=self.cal.add(now, Duration(category.handle_days, "d")),
        )
        role = "operator" if operator else "reporter"
        data = {"channel": item.channel.value, "legal_ref": t.legal_ref}
        return item, self.event(item, now, role=role, from_state="", action=t.action, data=data)

    def act(self, item: FeedbackItem, step: Step) -> FeedbackEvent:
        if step.action == "rate":
            return self.rate(item, step)
        # services._act with each service's apply()
        at, by, reason = step.at, self.by, ""
        t = transition(item.state, step.action)
        role = self.role(item, t.action)
        from_state = item.state
        data: dict = {}
        match t.action:
            case Action.REFUSE:
                due = item.refuse_due if item.state == State.RECEIVED else item.handle_due
                reason = REFUSAL
                item.refusal_reason = reason
                item.handled_at = at
                item.handled_on_time = at <= due
                data = {"on_time": item.handled_on_time}
            case Action.ASSIGN:
                if not step.agency.is_valid_on(timezone.localdate()):
                    raise ValueError(f"demo agency {step.agency.code} is no longer valid")
                item.agency = step.agency
                data = {"agency": step.agency.code, "routed": False}
            case Action.START:
                pass
            case Action.DRAFT_ANSWER:
                data = {"answer": [item.answer, ANSWER]}
                item.answer = ANSWER
                item.answered_by = by
            case Action.APPROVE:
                item.approved_by = by
                item.handled_at = at
                item.handled_on_time = at <= item.handle_due
                days = Duration(item.category.publish_days, "d")
                item.publish_due = self.cal.add(at, days)
                data = {"on_time": item.handled_on_time}
            case Action.PUBLISH:
                item.published_at = at
                text = f"{item.title} {item.description} {item.answer}"
                item.search_text = normalize_search(text)
                data = {"on_time": bool(item.publish_due and at <= item.publish_due)}
            case _:
                raise ValueError(f"the bulk path has no {t.action!r}")
        item.state = t.target
        item.version += 1
        item.updated_at = at
        data["legal_ref"] = t.legal_ref
        return self.event(
            item, at, role=role, from_state=from_state, action=t.action, reason=reason, data=data
        )

    def rate(self, item: FeedbackItem, step: Step) -> FeedbackEvent:
        # services.rate: the reporter (by contact, no user), only once published
        if item.state not in (State.PUBLISHED, State.CLOSED):
            raise ValueError("demo rating before publication")
        before = item.rating
        item.rating = step.value
        item.version += 1
        event = self.event(
            item,
            step.at,
            role="reporter",
            from_state=item.state,
            action="rate",
            data={"rating": [before, step.value]},
        )
        event.actor = None
        return event


def _codes(plans: list[Plan]) -> list[str]:
    """``services.new_code`` for every item, in order: the day counters are read once, then
    advanced by what the demo takes (this runs inside the caller's transaction)."""
    days = [timezone.localtime(p.received).strftime("%y%m%d") for p in plans]
    keys = {f"item:{day}" for day in days}
    last = dict(Counter.objects.filter(key__in=keys).values_list("key", "last"))
    existing = set(last)
    codes = []
    for day in days:
        key = f"item:{day}"
        last[key] = last.get(key, 0) + 1
        codes.append(f"PA-{day}-{last[key]:04d}")
    for key in existing:
        Counter.objects.filter(key=key).update(last=last[key])
    Counter.objects.bulk_create(
        Counter(key=k, last=v) for k, v in last.items() if k not in existing
    )
    return codes


BATCH = 1000


def write_bulk(plans: list[Plan], by: User, *, roles: dict[tuple, str] | None = None) -> None:
    """Insert the planned items and their audit trail in one transaction. The rows are built
    first, so the transaction (the database's write lock on SQLite) lasts only the INSERTs.
    ``roles``: ``_Writer.roles`` of an earlier batch of the same load (the actor's memberships
    do not change during it), so that each batch does not ask them again."""
    if not plans:
        return
    centre = services.centre_agency()
    writer = _Writer(
        by=by,
        centre=centre,
        cal=services.calendar(),
        categories={c.code: c for c in Category.objects.filter(active=True)},
        roles={} if roles is None else roles,
    )
    operator = is_operator(by, centre.pk)
    items: list[FeedbackItem] = []
    trails: list[list[FeedbackEvent]] = []
    for plan in plans:
        item, first = writer.submit(plan.data, plan.received, "", operator)
        trails.append([first] + [writer.act(item, step) for step in plan.steps])
        items.append(item)
    with transaction.atomic():
        for item, code in zip(items, _codes(plans), strict=True):
            item.code = code
        # the history import's bulk path: COPY on PostgreSQL, executemany on SQLite
        bulk.write_objects(items)
        events = []
        for item, trail in zip(items, trails, strict=True):
            for event in trail:
                event.item = item  # now that the item has its primary key
                events.append(event)
        bulk.write_objects(events)


def load_bulletin_2021(run: DemoRun) -> None:
    """The seed's 1022 figures: the history part loads the 5,492 items (whatever size it was
    asked for, the data set needs the seed's); check the nine months' counts."""
    from motcua.stats.figures import province_code
    from motcua.stats.periods import range_period
    from motcua.stats.petitions import feedback_figures
    from motcua.stats.types import Scope

    created = generate_demo_feedback(n=SEED_RECEIVED)
    code = province_code()
    if code is None:
        return
    f = feedback_figures(Scope(code), range_period(PERIOD_START, PERIOD_END))
    handled = f.handled_on_time + f.handled_late
    run.log(
        f"Bản tin 2021 — phản ánh 1022: {created} mới; tiếp nhận {f.received}, đã xử lý "
        f"{handled}, đang xử lý {f.in_progress}"
    )
