"""The only code that changes feedback items.

Every public function is one use case and one transaction: lock the row, look the action up
in the transition table, check the caller's permission, change the item and append the
audit event (``FeedbackEvent``, append-only in the database).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import media
from motcua.core.counters import next_value
from motcua.core.text import normalize_search
from motcua.dossiers.attachments import read_checked, safe_name
from motcua.dossiers.errors import InvalidInput as UploadRefused
from motcua.feedback import dossier_link, routing
from motcua.feedback.models import Category, FeedbackAttachment, FeedbackEvent
from motcua.feedback.models import FeedbackItem as Item
from motcua.feedback.permissions import authorise, is_operator
from motcua.feedback.rules import (
    CAN_THO_BOUNDS,
    OPERATOR_CHANNELS,
    Action,
    Channel,
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    State,
    Transition,
    check_location,
    parse_bounds,
    transition,
)
from motcua.notifications import hooks as notify_hooks
from motcua.stats import hooks as stats_hooks
from motcua.workcalendar.queries import get_calendar
from motcua.workcalendar.rules import Duration, WorkingCalendar

MAX_FILES = 5


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class NewItem:
    channel: str
    category: str  # Category.code
    description: str
    title: str = ""
    address: str = ""
    latitude: float | Decimal | None = None
    longitude: float | Decimal | None = None
    area_code: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    is_public: bool = True  # the portal form and the mobile API ask (opt-in, unticked)
    dossier_code: str = ""
    # last 4 digits of the applicant's phone or ID number: the proof that links the dossier
    dossier_digits: str = ""
    external_sender: str = ""
    external_id: str = ""
    media_url: str = ""
    files: Sequence[Upload] = field(default_factory=tuple)


def province_bounds() -> tuple[float, float, float, float]:
    return parse_bounds(getattr(settings, "MOTCUA_PROVINCE_BOUNDS", CAN_THO_BOUNDS))


def centre_agency() -> Agency:
    """The agency running the 1022 hotline: setting MOTCUA_FEEDBACK_CENTRE_CODE, else the
    root of the agency tree (the province People's Committee)."""
    code = getattr(settings, "MOTCUA_FEEDBACK_CENTRE_CODE", "")
    qs = Agency.objects.filter(code=code) if code else Agency.objects.filter(parent__isnull=True)
    centre = qs.order_by("path").first()
    if centre is None:
        raise InvalidInput(gettext("Chưa cấu hình đơn vị tiếp nhận phản ánh 1022."))
    return centre


def calendar() -> WorkingCalendar:
    return get_calendar()


def new_code(when: dt.datetime) -> str:
    """``PA-yymmdd-NNNN``: the public code a reporter quotes (never the primary key)."""
    day = timezone.localtime(when).strftime("%y%m%d")
    return f"PA-{day}-{next_value('feedback_counter', f'item:{day}'):04d}"


_PHONE_DIGITS = re.compile(r"\D")


def _same_phone(a: str, b: str) -> bool:
    da, db = _PHONE_DIGITS.sub("", a), _PHONE_DIGITS.sub("", b)
    da = "0" + da[2:] if da.startswith("84") else da
    db = "0" + db[2:] if db.startswith("84") else db
    return bool(da) and da == db


def contact_matches(item: Item, contact: str) -> bool:
    """The reporter proves who they are with the phone or e-mail they gave."""
    contact = (contact or "").strip()
    if not contact:
        return False
    if item.reporter_email and contact.lower() == item.reporter_email.lower():
        return True
    return bool(item.reporter_phone) and _same_phone(contact, item.reporter_phone)


# -- intake -----------------------------------------------------------------------------------


def _validate(data: NewItem, by: User | None) -> dict:
    errors: dict[str, str] = {}
    try:
        channel = Channel(data.channel)
    except ValueError:
        channel = None
        errors["channel"] = gettext("Kênh tiếp nhận không hợp lệ.")
    category = Category.objects.filter(code=data.category, active=True).first()
    if category is None:
        errors["category"] = gettext("Chọn lĩnh vực phản ánh.")
    description = (data.description or "").strip()
    if len(description) < 10:
        errors["description"] = gettext("Nội dung phản ánh cần ít nhất 10 ký tự.")
    title = (data.title or "").strip() or description.split("\n")[0][:80]
    lat = None if data.latitude in (None, "") else Decimal(str(data.latitude))
    lon = None if data.longitude in (None, "") else Decimal(str(data.longitude))
    errors.update(
        check_location(
            None if lat is None else float(lat),
            None if lon is None else float(lon),
            province_bounds(),
        )
    )
    area = None
    if data.area_code:
        area = Agency.objects.filter(code=data.area_code).first()
        if area is None:
            errors["area"] = gettext("Không tìm thấy địa bàn.")
    # never an error about the dossier itself: whether a code exists is not the reporter's to
    # learn (dossier_link); only the digits' shape is checked
    if dossier_link.digits_error(data.dossier_digits):
        errors["dossier_digits"] = gettext("Nhập đúng 4 chữ số cuối.")
    authenticated = by is not None and by.is_authenticated
    has_contact = bool(
        data.reporter_phone.strip()
        or data.reporter_email.strip()
        or data.external_sender
        or authenticated
    )
    if not has_contact:
        errors["contact"] = gettext(
            "Vui lòng để lại số điện thoại hoặc thư điện tử để nhận trả lời."
        )
    if data.reporter_phone and len(_PHONE_DIGITS.sub("", data.reporter_phone)) not in range(9, 13):
        errors["reporter_phone"] = gettext("Số điện thoại không hợp lệ.")
    if len(data.files) > MAX_FILES:
        errors["files"] = gettext("Tối đa %(n)d tệp đính kèm.") % {"n": MAX_FILES}
    files = []
    for upload in data.files:
        try:  # the project's one upload check (content, size), shared with dossiers
            checked, mime = read_checked(io.BytesIO(upload.data))
        except UploadRefused as exc:
            errors["files"] = f"{upload.name}: {exc.message}"
            continue
        files.append((Upload(upload.name, checked), mime))
    if errors:
        raise InvalidInput(gettext("Thông tin phản ánh chưa hợp lệ."), fields=errors)
    return {
        "channel": channel,
        "category": category,
        "title": title[:255],
        "description": description,
        "lat": lat,
        "lon": lon,
        "area": area,
        "dossier_code": dossier_link.clean_code(data.dossier_code),
        "dossier": dossier_link.linkable_dossier(
            data.dossier_code, by=by, digits=data.dossier_digits
        ),
        "files": files,
    }


def submit(data: NewItem, *, by: User | None = None, now: dt.datetime | None = None) -> Item:
    """Receive one item from any channel. Operator channels (hotline, walk-in, e-mail) need a
    1022 operator; the others accept anonymous reporters who leave a contact. A repeated
    platform message (same channel and external id) returns the item already created."""
    now = now or timezone.now()
    v = _validate(data, by)
    channel: Channel = v["channel"]
    category: Category = v["category"]
    with transaction.atomic():
        if data.external_id:
            existing = Item.objects.filter(channel=channel, external_id=data.external_id).first()
            if existing is not None:
                return existing
        centre = centre_agency()
        operator = is_operator(by, centre.pk)
        if channel in OPERATOR_CHANNELS and not operator:
            raise NotAllowed(
                gettext("Chỉ tổng đài viên 1022 được tiếp nhận phản ánh qua kênh này.")
            )
        cal = calendar()
        t = transition(None, Action.SUBMIT)
        reporter_user = by if by is not None and by.is_authenticated and not operator else None
        item = Item.objects.create(
            code=new_code(now),
            channel=channel,
            category=category,
            title=v["title"],
            description=v["description"],
            search_text=normalize_search(f"{v['title']} {v['description']}"),
            address=data.address.strip()[:255],
            latitude=v["lat"],
            longitude=v["lon"],
            area=v["area"],
            media_url=data.media_url,
            reporter_name=data.reporter_name.strip()[:200],
            reporter_phone=data.reporter_phone.strip()[:20],
            reporter_email=data.reporter_email.strip(),
            reporter_user=reporter_user,
            external_sender=data.external_sender[:100],
            external_id=data.external_id[:100],
            is_public=data.is_public,
            dossier_code=v["dossier_code"],
            dossier=v["dossier"],
            centre=centre,
            state=t.target,
            received_at=now,
            updated_at=now,
            refuse_due=cal.add(now, Duration(category.refuse_days, "d")),
            request_due=cal.add(now, Duration(category.request_days, "d")),
            handle_start=now,
            handle_due=cal.add(now, Duration(category.handle_days, "d")),
        )
        for upload, mime in v["files"]:
            _store_file(item, upload, mime, now)
        _event(
            item,
            t,
            by=by,
            role="operator" if operator else "reporter",
            now=now,
            from_state="",
            data={"channel": channel.value},
        )
        stats_hooks.touch(item.dossier_id)  # a PAKN about a dossier is negative feedback (5.4)
    return item


def _store_file(item: Item, upload: Upload, mime: str, now: dt.datetime) -> None:
    digest = hashlib.sha256(upload.data).hexdigest()
    attachment = FeedbackAttachment(
        item=item,
        original_name=safe_name(upload.name, mime),
        content_type=mime,
        size=len(upload.data),
        sha256=digest,
        uploaded_at=now,
    )
    # a blob written before its row: a rolled-back intake leaves an orphan for media check
    attachment.file.name = media.store(upload.data)
    attachment.save()


def _event(
    item: Item,
    t: Transition | None,
    *,
    by: User | None,
    role: str,
    now: dt.datetime,
    from_state: str,
    action: str = "",
    reason: str = "",
    data: dict | None = None,
) -> FeedbackEvent:
    payload = dict(data or {})
    if t is not None:
        payload["legal_ref"] = t.legal_ref
    return FeedbackEvent.objects.create(
        item=item,
        at=now,
        actor=by if by is not None and by.is_authenticated else None,
        actor_role=role,
        agency=item.agency or item.centre,
        action=action or (t.action.value if t else ""),
        from_state=from_state,
        to_state=item.state,
        reason=reason,
        data=payload,
    )


# -- the one path every lifecycle action takes --------------------------------------------


def _lock(code: str, expected_version: int | None) -> Item:
    qs = Item.objects.select_related("category", "agency", "centre")
    try:
        if connection.vendor == "postgresql":
            item = qs.select_for_update(nowait=True, of=("self",)).get(code=code)
        else:  # SQLite: IMMEDIATE transactions already serialise writers
            item = qs.get(code=code)
    except Item.DoesNotExist:
        raise NotFound(gettext("Không tìm thấy phản ánh %(code)s.") % {"code": code}) from None
    except DatabaseError:
        raise Conflict(gettext("Phản ánh đang được người khác xử lý. Vui lòng thử lại.")) from None
    if expected_version is not None and item.version != expected_version:
        raise Conflict(
            gettext("Phản ánh %(code)s đã được thay đổi bởi người khác. Vui lòng tải lại.")
            % {"code": item.code}
        )
    return item


Apply = Callable[[Item, dt.datetime, WorkingCalendar], dict]


def _act(
    code: str,
    action: Action,
    *,
    by: User | None,
    now: dt.datetime | None,
    expected_version: int | None = None,
    reporter_contact: str = "",
    reason: str = "",
    apply: Apply | None = None,
) -> Item:
    now = now or timezone.now()
    with transaction.atomic():
        item = _lock(code, expected_version)
        from_state = item.state
        t = transition(from_state, action)
        proof = contact_matches(item, reporter_contact)
        role = authorise(by, item, t, reporter_proof=proof)
        data = apply(item, now, calendar()) if apply else {}
        item.state = t.target
        item.version += 1
        item.updated_at = now
        item.save()
        _event(item, t, by=by, role=role, now=now, from_state=from_state, reason=reason, data=data)
    return item


def _required(text: str, field_name: str, message: Promise) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(str(message), fields={field_name: str(message)})
    return text


def refuse(code: str, *, by: User, reason: str, now: dt.datetime | None = None, **kw) -> Item:
    reason = _required(reason, "reason", gettext_lazy("Nêu lý do từ chối xử lý."))

    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        due = item.refuse_due if item.state == State.RECEIVED else item.handle_due
        item.refusal_reason = reason
        item.handled_at = at
        item.handled_on_time = at <= due
        return {"on_time": item.handled_on_time}

    return _act(code, Action.REFUSE, by=by, now=now, reason=reason, apply=apply, **kw)


def request_info(
    code: str, *, by: User, request: str, now: dt.datetime | None = None, **kw
) -> Item:
    request = _required(request, "request", gettext_lazy("Nêu thông tin cần bổ sung."))

    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        item.info_request = request
        first = not item.events.filter(action=Action.REQUEST_INFO).exists()
        return {"first_request": first, "on_time": (at <= item.request_due) if first else None}

    return _act(code, Action.REQUEST_INFO, by=by, now=now, reason=request, apply=apply, **kw)


def provide_info(
    code: str,
    *,
    text: str,
    by: User | None = None,
    contact: str = "",
    now: dt.datetime | None = None,
    **kw,
) -> Item:
    text = _required(text, "text", gettext_lazy("Nhập thông tin bổ sung."))

    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        stamp = timezone.localtime(at).strftime("%d/%m/%Y")
        item.description = f"{item.description}\n\n[Bổ sung {stamp}] {text}"
        item.search_text = normalize_search(f"{item.title} {item.description}")
        item.info_request = ""
        return {}

    return _act(
        code,
        Action.PROVIDE_INFO,
        by=by,
        now=now,
        reporter_contact=contact,
        reason=text,
        apply=apply,
        **kw,
    )


def _target_agency(item: Item, agency: Agency | None) -> Agency:
    target = agency or routing.route(item.category, item.area)
    if target is None:
        raise InvalidInput(
            gettext("Chưa có quy tắc chuyển xử lý phù hợp; hãy chọn cơ quan xử lý."),
            fields={"agency": gettext("Chọn cơ quan xử lý.")},
        )
    if not target.is_valid_on(timezone.localdate()):
        raise InvalidInput(
            gettext("Cơ quan này không còn hoạt động."), fields={"agency": "inactive"}
        )
    return target


def assign(
    code: str,
    *,
    by: User,
    agency: Agency | None = None,
    category: str = "",
    now: dt.datetime | None = None,
    **kw,
) -> Item:
    """Send the item to the responsible agency (the routing rule's, unless one is given);
    the operator may correct the category at the same time."""

    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        data: dict = {}
        if category and category != item.category.code:
            new = Category.objects.filter(code=category, active=True).first()
            if new is None:
                raise InvalidInput(
                    gettext("Lĩnh vực không hợp lệ."), fields={"category": "not_found"}
                )
            data["category"] = [item.category.code, new.code]
            item.category = new
        target = _target_agency(item, agency)
        item.agency = target
        data["agency"] = target.code
        data["routed"] = agency is None
        return data

    return _act(code, Action.ASSIGN, by=by, now=now, apply=apply, **kw)


def transfer(
    code: str, *, by: User, agency: Agency, reason: str, now: dt.datetime | None = None, **kw
) -> Item:
    """Move the item to another agency; the handling clock restarts from the transfer."""
    reason = _required(reason, "reason", gettext_lazy("Nêu lý do chuyển."))

    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        if agency.pk == item.agency_id:
            raise InvalidInput(gettext("Phản ánh đã ở cơ quan này."), fields={"agency": "same"})
        target = _target_agency(item, agency)
        before = item.agency.code if item.agency else ""
        item.agency = target
        item.handle_start = at
        item.handle_due = cal.add(at, Duration(item.category.handle_days, "d"))
        return {"agency": [before, target.code], "handle_due": item.handle_due.isoformat()}

    return _act(code, Action.TRANSFER, by=by, now=now, reason=reason, apply=apply, **kw)


def start(code: str, *, by: User, now: dt.datetime | None = None, **kw) -> Item:
    return _act(code, Action.START, by=by, now=now, **kw)


def draft_answer(code: str, *, by: User, answer: str, now: dt.datetime | None = None, **kw) -> Item:
    answer = _required(answer, "answer", gettext_lazy("Nhập nội dung trả lời."))

    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        before = item.answer
        item.answer = answer
        item.answered_by = by
        return {"answer": [before, answer]}

    return _act(code, Action.DRAFT_ANSWER, by=by, now=now, apply=apply, **kw)


def return_draft(code: str, *, by: User, reason: str, now: dt.datetime | None = None, **kw) -> Item:
    reason = _required(reason, "reason", gettext_lazy("Nêu lý do trả lại dự thảo."))
    return _act(code, Action.RETURN_DRAFT, by=by, now=now, reason=reason, **kw)


def approve(code: str, *, by: User, now: dt.datetime | None = None, **kw) -> Item:
    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        item.approved_by = by
        item.handled_at = at
        item.handled_on_time = at <= item.handle_due
        item.publish_due = cal.add(at, Duration(item.category.publish_days, "d"))
        return {"on_time": item.handled_on_time}

    return _act(code, Action.APPROVE, by=by, now=now, apply=apply, **kw)


def publish(code: str, *, by: User, now: dt.datetime | None = None, **kw) -> Item:
    """Publish the approved answer (on the public page when the reporter agreed; otherwise
    only to the reporter, through the tracking page)."""

    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        item.published_at = at
        item.search_text = normalize_search(f"{item.title} {item.description} {item.answer}")
        notify_hooks.feedback_answered(item, at)  # queued; sent after commit
        return {"on_time": bool(item.publish_due and at <= item.publish_due)}

    return _act(code, Action.PUBLISH, by=by, now=now, apply=apply, **kw)


def close(code: str, *, by: User, now: dt.datetime | None = None, **kw) -> Item:
    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        item.closed_at = at
        return {}

    return _act(code, Action.CLOSE, by=by, now=now, apply=apply, **kw)


def reopen(
    code: str,
    *,
    reason: str,
    by: User | None = None,
    contact: str = "",
    now: dt.datetime | None = None,
    **kw,
) -> Item:
    """The reporter is not satisfied: back to the handling agency with a fresh clock."""
    reason = _required(reason, "reason", gettext_lazy("Nêu lý do chưa đồng ý với câu trả lời."))

    def apply(item: Item, at: dt.datetime, cal: WorkingCalendar) -> dict:
        item.reopen_count += 1
        item.handled_at = None
        item.handled_on_time = None
        item.published_at = None
        item.publish_due = None
        item.closed_at = None
        item.handle_start = at
        item.handle_due = cal.add(at, Duration(item.category.handle_days, "d"))
        return {"reopen_count": item.reopen_count}

    return _act(
        code,
        Action.REOPEN,
        by=by,
        now=now,
        reason=reason,
        reporter_contact=contact,
        apply=apply,
        **kw,
    )


def rate(
    code: str,
    *,
    value: str,
    by: User | None = None,
    contact: str = "",
    now: dt.datetime | None = None,
) -> Item:
    """The reporter likes or dislikes the published answer (the last rating counts)."""
    if value not in ("like", "dislike"):
        raise InvalidInput(gettext("Đánh giá không hợp lệ."), fields={"value": "like hoặc dislike"})
    now = now or timezone.now()
    with transaction.atomic():
        item = _lock(code, None)
        own = by is not None and by.is_authenticated and item.reporter_user_id == by.pk
        if not (own or contact_matches(item, contact)):
            raise NotAllowed(gettext("Chỉ người phản ánh được đánh giá câu trả lời."))
        if item.state not in (State.PUBLISHED, State.CLOSED):
            raise InvalidInput(gettext("Chỉ đánh giá được khi câu trả lời đã công khai."))
        before = item.rating
        item.rating = value
        item.version += 1
        item.save(update_fields=["rating", "version"])
        _event(
            item,
            None,
            by=by,
            role="reporter",
            now=now,
            from_state=item.state,
            action="rate",
            data={"rating": [before, value]},
        )
    return item
