"""Read paths for feedback, scoped by the caller in SQL and shaped for their screens."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.scope import agency_scope_q, is_officer
from motcua.core.text import normalize_search
from motcua.feedback.models import FeedbackItem, localized_name
from motcua.feedback.rules import HANDLING_STATES, State

PUBLIC_STATES = (State.PUBLISHED, State.CLOSED)


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Items whose current deadline has passed: handling (≤ 15 days) or publication (≤ 2)."""
    now = now or timezone.now()
    return Q(state__in=list(HANDLING_STATES), handle_due__lt=now) | Q(
        state=State.ANSWER_APPROVED, publish_due__lt=now
    )


def with_overdue(qs: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    return qs.annotate(
        overdue=Case(
            When(overdue_q(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def visible_items(user: User) -> QuerySet:
    """Officers see items received at or assigned to agencies in their scope; a citizen sees
    their own items."""
    qs = FeedbackItem.objects.select_related("category", "agency", "centre")
    if not user.is_authenticated:
        return qs.none()
    if is_officer(user):
        return qs.filter(agency_scope_q(user, "centre", "agency"))
    return qs.filter(reporter_user=user)


def worklist(user: User, *, state: str = "", overdue: bool = False, q: str = "") -> QuerySet:
    qs = with_overdue(visible_items(user))
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(overdue=True)
    for word in normalize_search(q).split():
        qs = qs.filter(Q(search_text__contains=word) | Q(code__icontains=word))
    return qs.order_by("handle_due", "pk")


def get_visible(user: User, code: str) -> FeedbackItem | None:
    return with_overdue(visible_items(user)).filter(code=code).first()


def by_code(code: str) -> FeedbackItem | None:
    return (
        FeedbackItem.objects.select_related("category", "agency")
        .filter(code=(code or "").strip().upper())
        .first()
    )


# -- public answers (personal data removed) -------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_NUMBER = re.compile(r"(?<!\w)(\+?\d[\d .-]{7,}\d)(?!\w)")


def redact(text: str) -> str:
    """Hide e-mail addresses and phone or ID-card numbers a reporter typed into the text."""
    text = _EMAIL.sub("[đã ẩn]", text or "")
    return _NUMBER.sub("[đã ẩn]", text)


def public_answers(q: str = "", category: str = "") -> QuerySet:
    qs = FeedbackItem.objects.select_related("category", "agency").filter(
        state__in=PUBLIC_STATES, is_public=True
    )
    if category:
        qs = qs.filter(category__code=category)
    for word in normalize_search(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-published_at", "-pk")


def public_view(item: FeedbackItem, *, reporter: bool = False) -> dict:
    """What anyone holding the code may see; the answer too when it is public or the reporter
    proved who they are. Never the reporter's name or contact."""
    answer_visible = item.state in PUBLIC_STATES and (item.is_public or reporter)
    return {
        "code": item.code,
        "state": item.state,
        "state_label": item.state_label,
        "channel": item.channel,
        "category": item.category.name,
        "title": redact(item.title) if item.is_public or reporter else "",
        "received_at": item.received_at,
        "handle_due": item.handle_due,
        "agency": localized_name(item.agency),
        "info_request": item.info_request if item.state == State.INFO_REQUESTED else "",
        "answer": item.answer if answer_visible else "",
        "published_at": item.published_at if answer_visible else None,
        "rating": item.rating if reporter else "",
    }


# -- duplicate hints -------------------------------------------------------------------------

NEAR_DEGREES = Decimal("0.002")  # about 200 m at Cần Thơ's latitude


def duplicate_hints(item: FeedbackItem, *, days: int = 30, limit: int = 10) -> QuerySet:
    """Possible duplicates: same category, received in the last ``days`` days before or after,
    at the same place (within ~200 m, or the same address text)."""
    window = dt.timedelta(days=days)
    qs = FeedbackItem.objects.filter(
        category_id=item.category_id,
        received_at__gte=item.received_at - window,
        received_at__lte=item.received_at + window,
    ).exclude(pk=item.pk)
    place = Q(pk__in=[])
    if item.latitude is not None and item.longitude is not None:
        place |= Q(
            latitude__gte=item.latitude - NEAR_DEGREES,
            latitude__lte=item.latitude + NEAR_DEGREES,
            longitude__gte=item.longitude - NEAR_DEGREES,
            longitude__lte=item.longitude + NEAR_DEGREES,
        )
    if item.address.strip():
        place |= Q(address__iexact=item.address.strip())
    return qs.filter(place).order_by("-received_at")[:limit]
