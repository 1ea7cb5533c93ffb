"""History import of 1022 feedback items, each with its own received / handled / published
dates. The state follows from the dates given (published → handled → assigned → received);
the deadlines are computed as ``feedback.services.submit`` computes them (the category's days
in the working calendar), and ``handled_on_time`` compares the handling date with them.
No per-item audit trail is invented: the items are marked ``imported`` and the import is
audited once (``HistoryImport``)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone, translation

from motcua.agencies.models import Agency
from motcua.core.text import normalize_search
from motcua.feedback.models import Category, FeedbackItem
from motcua.feedback.rules import CHANNEL_LABELS_VI, Channel, State
from motcua.history import bulk
from motcua.history.parsing import (
    Column,
    Problem,
    RowReader,
    Table,
    header_key,
    parse_choice,
    parse_datetime,
)
from motcua.workcalendar.queries import get_calendar
from motcua.workcalendar.rules import Duration

C = Column
COLUMNS: tuple[Column, ...] = (
    C("code", "Mã phản ánh", "text", True, "mã trên hệ thống cũ (duy nhất)", max_length=60),
    C("received_at", "Ngày tiếp nhận", "datetime", True, "thời điểm tiếp nhận"),
    C("channel", "Kênh tiếp nhận", "choice", True,
      "hotline, portal, mobile_app, zalo, facebook, email, walk_in", ("Kênh",)),
    C("category", "Lĩnh vực", "code", True, "mã hoặc tên lĩnh vực phản ánh", ("Mã lĩnh vực",)),
    C("title", "Tiêu đề", "text", False, "", max_length=255),
    C("description", "Nội dung", "text", True, "nội dung phản ánh", max_length=20000),
    C("address", "Địa điểm", "text", False, "", max_length=255),
    C("reporter_name", "Người phản ánh", "text", False, "", max_length=200),
    C("reporter_phone", "Số điện thoại", "text", False, "", max_length=20),
    C("agency", "Cơ quan xử lý", "code", False, "mã định danh cơ quan được giao xử lý",
      ("Mã cơ quan xử lý",)),
    C("handled_at", "Ngày xử lý xong", "datetime", False,
      "thời điểm có kết quả xử lý (duyệt trả lời, hoặc từ chối)", ("Ngày xử lý",)),
    C("answer", "Nội dung trả lời", "text", False, "", ("Trả lời",), max_length=20000),
    C("refusal_reason", "Lý do từ chối", "text", False, "khi phản ánh bị từ chối",
      max_length=2000),
    C("published_at", "Ngày công khai", "datetime", False, "thời điểm công khai kết quả"),
    C("rating", "Đánh giá", "choice", False, "like / dislike (hài lòng / chưa hài lòng)"),
)  # fmt: skip
BY_KEY = {c.key: c for c in COLUMNS}
RATINGS = {"like": "like", "dislike": "dislike", "hai long": "like", "chua hai long": "dislike"}
FIELDS = (
    *("code", "token", "channel", "category", "title", "description", "search_text"),
    *("address", "latitude", "longitude", "area", "media_url", "reporter_name"),
    *("reporter_phone", "reporter_email", "reporter_user", "external_sender", "external_id"),
    *("is_public", "dossier_code", "dossier", "centre", "agency", "state", "version"),
    *("received_at", "refuse_due", "request_due", "handle_start", "handle_due", "publish_due"),
    *("handled_at", "handled_on_time", "published_at", "closed_at", "updated_at"),
    *("info_request", "refusal_reason", "answer", "answered_by", "approved_by"),
    *("reopen_count", "rating", "imported", "legacy_code"),
)


def _channels() -> dict[str, str]:
    with translation.override("vi"):
        labels = {header_key(str(label)): c.value for c, label in CHANNEL_LABELS_VI.items()}
    return {**labels, **{header_key(c.value): c.value for c in Channel}, "1022": "hotline"}


@dataclass
class Prepared:
    rows: list[dict] = field(default_factory=list)
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)


def prepare(table: Table, *, now: dt.datetime) -> Prepared:
    from motcua.feedback.services import centre_agency

    out = Prepared(problems=list(table.problems))
    if table.problems:
        return out
    channels = _channels()
    categories: dict[str, Category] = {}
    for category in Category.objects.all():
        categories[header_key(category.code)] = category
        categories.setdefault(header_key(category.name_vi), category)
    agencies = {
        a.code: a
        for a in Agency.objects.filter(
            code__in={str(r["agency"]) for _, r in table.rows if "agency" in r}
        )
    }
    codes = [str(r["code"]) for _, r in table.rows if "code" in r]
    existing: set[str] = set()
    for start in range(0, len(codes), 5000):
        existing.update(
            FeedbackItem.objects.filter(legacy_code__in=codes[start : start + 5000]).values_list(
                "legacy_code", flat=True
            )
        )
    cal = get_calendar()
    centre = centre_agency()
    seen: dict[str, int] = {}
    for line, raw in table.rows:
        reader = RowReader(line, raw, BY_KEY)
        get, text, errors = reader.get, reader.text, reader.errors

        code, description, title = text("code"), text("description"), text("title")
        address, name, phone = text("address"), text("reporter_name"), text("reporter_phone")
        answer, refusal = text("answer"), text("refusal_reason")
        channel = get("channel", lambda v: parse_choice(v, channels, "kênh"))
        rating = get("rating", lambda v: parse_choice(v, RATINGS, "đánh giá")) or ""
        received = get("received_at", parse_datetime)
        handled = get("handled_at", parse_datetime)
        published = get("published_at", parse_datetime)
        category = categories.get(header_key(str(raw.get("category", ""))))
        if "category" in raw and category is None:
            errors.append(Problem(line, "Lĩnh vực", f"không có lĩnh vực “{raw['category']}”."))
        agency_code = text("agency")
        agency = agencies.get(agency_code) if agency_code else None
        if agency_code and agency is None:
            errors.append(Problem(line, "Cơ quan xử lý", f"không có cơ quan mã “{agency_code}”."))
        if code in seen:
            errors.append(Problem(line, "Mã phản ánh", f"trùng mã “{code}” ở dòng {seen[code]}."))
        seen.setdefault(code, line)
        if not errors:
            for key, moment in (("received_at", received), ("handled_at", handled),
                                ("published_at", published)):  # fmt: skip
                if moment is not None and moment > now:
                    errors.append(Problem(line, BY_KEY[key].header, "thời điểm ở tương lai."))
            if handled is not None and handled < received:
                errors.append(Problem(line, "Ngày xử lý xong", "trước ngày tiếp nhận."))
            if published is not None:
                if handled is None:
                    errors.append(Problem(line, "Ngày xử lý xong", "bắt buộc khi đã công khai."))
                elif published < handled:
                    errors.append(Problem(line, "Ngày công khai", "trước ngày xử lý xong."))
            if refusal and handled is None:
                errors.append(Problem(line, "Ngày xử lý xong", "bắt buộc khi đã từ chối."))
            if handled is not None and not refusal:
                if agency is None:
                    errors.append(Problem(line, "Cơ quan xử lý", "bắt buộc khi đã xử lý xong."))
                if not answer:
                    errors.append(Problem(line, "Nội dung trả lời", "bắt buộc khi đã xử lý xong."))
            if rating and published is None:
                errors.append(Problem(line, "Đánh giá", "chỉ đánh giá được kết quả đã công khai."))
        if errors:
            out.problems.extend(errors)
            continue
        if code in existing:
            out.skipped += 1
            continue
        if refusal:
            state = State.REFUSED
        elif published is not None:
            state = State.PUBLISHED
        elif handled is not None:
            state = State.ANSWER_APPROVED
        elif agency is not None:
            state = State.ASSIGNED
        else:
            state = State.RECEIVED
        refuse_due = cal.add(received, Duration(category.refuse_days, "d"))
        handle_due = cal.add(received, Duration(category.handle_days, "d"))
        publish_due = None
        on_time = None
        if handled is not None:
            due = refuse_due if state == State.REFUSED and agency is None else handle_due
            on_time = handled <= due
            if state != State.REFUSED:
                publish_due = cal.add(handled, Duration(category.publish_days, "d"))
        title = title or description.split("\n")[0][:80]
        out.rows.append(
            dict(
                token=uuid.uuid4(),
                channel=channel,
                category=category.pk,
                title=title,
                description=description,
                search_text=normalize_search(f"{title} {description} {answer}"),
                address=address,
                latitude=None,
                longitude=None,
                area=None,
                media_url="",
                reporter_name=name,
                reporter_phone=phone,
                reporter_email="",
                reporter_user=None,
                external_sender="",
                external_id="",
                is_public=True,
                dossier_code="",
                dossier=None,
                centre=centre.pk,
                agency=agency.pk if agency else None,
                state=state.value,
                version=1,
                received_at=received,
                refuse_due=refuse_due,
                request_due=cal.add(received, Duration(category.request_days, "d")),
                handle_start=received,
                handle_due=handle_due,
                publish_due=publish_due,
                handled_at=handled,
                handled_on_time=on_time,
                published_at=published,
                closed_at=None,
                updated_at=max(m for m in (received, handled, published) if m is not None),
                info_request="",
                refusal_reason=refusal,
                answer=answer,
                answered_by=None,
                approved_by=None,
                reopen_count=0,
                rating=rating,
                imported=True,
                legacy_code=code,
            )
        )
    return out


def allocate_codes(received: list[dt.datetime]) -> list[str]:
    """``PA-yymmdd-NNNN`` from the live intake's day counters, each advanced once."""
    tz = timezone.get_current_timezone()
    days = [moment.astimezone(tz).strftime("%y%m%d") for moment in received]
    needed: dict[str, int] = {}
    for day in days:
        needed[f"item:{day}"] = needed.get(f"item:{day}", 0) + 1
    keys = sorted(needed)
    last: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            cursor.execute(
                "INSERT INTO feedback_counter (key, last) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s)"] * len(chunk))
                + " ON CONFLICT (key) DO UPDATE SET last = feedback_counter.last + excluded.last"
                " RETURNING key, last",
                [v for key in chunk for v in (key, needed[key])],
            )
            last.update(dict(cursor.fetchall()))
    following = {key: last[key] - needed[key] for key in needed}
    codes = []
    for day in days:
        following[f"item:{day}"] += 1
        codes.append(f"PA-{day}-{following[f'item:{day}']:04d}")
    return codes


def write(rows: list[dict]) -> list[int]:
    if not rows:
        return []
    codes = allocate_codes([row["received_at"] for row in rows])
    ids = bulk.reserve_ids(FeedbackItem, len(rows))
    for pk, code, row in zip(ids, codes, rows, strict=True):
        row["id"], row["code"] = pk, code
    names = ("id", *FIELDS)
    bulk.write(FeedbackItem, names, (tuple(row[n] for n in names) for row in rows))
    return ids
