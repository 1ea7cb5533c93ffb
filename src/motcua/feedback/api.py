"""The 1022 mobile-app API (a Ninja router; the REST API mounts it at /api/v1/feedback/).

Thin: parse, call a service or query, shape the output. Errors are problem details (RFC 9457)
with a stable ``code``. Reporters are anonymous (with a contact) or signed in; a reporter
proves who they are with the ``X-Reporter-Contact`` header (the phone or e-mail they gave).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Header, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from motcua.core.dateparams import MAX_OFFSET
from motcua.feedback import queries, services, throttle
from motcua.feedback.models import Category
from motcua.feedback.rules import Channel, NotFound
from motcua.restapi.problems import ProblemDetails, problem


class CategoryOut(Schema):
    code: str
    name: str
    parent: str | None
    handle_days: int


class ItemIn(Schema):
    category: str = Field(description="Mã lĩnh vực (GET /categories).")
    description: str = Field(min_length=1, max_length=10000)
    title: str = Field("", max_length=255)
    address: str = Field("", max_length=255)
    latitude: float | None = None
    longitude: float | None = None
    area_code: str = Field("", description="Mã định danh cơ quan của địa bàn (xã, phường).")
    reporter_name: str = Field("", max_length=200)
    reporter_phone: str = Field("", max_length=20)
    reporter_email: str = Field("", max_length=254)
    is_public: bool = Field(
        False, description="Người phản ánh đồng ý công khai (mặc định: không; phải chọn)."
    )
    dossier_code: str = Field(
        "",
        max_length=40,
        description="Mã hồ sơ liên quan, nếu có. Lưu nguyên văn; chỉ gắn với hồ sơ khi người "
        "gửi là chủ hồ sơ hoặc cho đúng 4 số cuối (dossier_digits). Trả lời như nhau dù mã có "
        "tồn tại hay không.",
    )
    dossier_digits: str = Field(
        "", max_length=4, description="4 số cuối số điện thoại hoặc CCCD của người nộp hồ sơ."
    )


class ItemCreated(Schema):
    code: str
    token: str
    state: str
    received_at: dt.datetime
    handle_due: dt.datetime


class ItemOut(Schema):
    code: str
    state: str
    state_label: str
    channel: str
    category: str
    title: str
    received_at: dt.datetime
    handle_due: dt.datetime
    agency: str
    info_request: str
    answer: str
    published_at: dt.datetime | None
    rating: str


class AnswerOut(Schema):
    code: str
    category: str
    title: str
    description: str
    agency: str
    answer: str
    published_at: dt.datetime | None


class RatingIn(Schema):
    value: str = Field(pattern="^(like|dislike)$")


class ReopenIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


def _user(request: HttpRequest):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def build_router() -> Router:
    """A fresh router (a Ninja router can be attached to one API only; tests build their own)."""
    router = Router(tags=["feedback"])

    @router.get("/categories", response=list[CategoryOut], summary="Lĩnh vực phản ánh")
    def categories(request: HttpRequest):
        return [
            {
                "code": c.code,
                "name": c.name,
                "parent": c.parent.code if c.parent_id else None,
                "handle_days": c.handle_days,
            }
            for c in Category.objects.filter(active=True).select_related("parent")
        ]

    @router.post(
        "/items",
        response={201: ItemCreated, frozenset({400, 403, 409, 422, 429}): ProblemDetails},
        summary="Gửi phản ánh từ ứng dụng di động",
    )
    def create_item(request: HttpRequest, payload: ItemIn):
        wait = throttle.refused(request)
        if wait is not None:
            return problem(
                429,
                "rate_limited",
                "Quá nhiều phản ánh từ địa chỉ này, vui lòng thử lại sau.",
                headers={"Retry-After": str(wait)},
            )
        data = services.NewItem(
            channel=Channel.MOBILE_APP,
            category=payload.category,
            description=payload.description,
            title=payload.title,
            address=payload.address,
            latitude=payload.latitude,
            longitude=payload.longitude,
            area_code=payload.area_code,
            reporter_name=payload.reporter_name,
            reporter_phone=payload.reporter_phone,
            reporter_email=payload.reporter_email,
            is_public=payload.is_public,
            dossier_code=payload.dossier_code,
            dossier_digits=payload.dossier_digits,
        )
        item = services.submit(data, by=_user(request))
        created = {
            "code": item.code,
            "token": str(item.token),
            "state": item.state,
            "received_at": item.received_at,
            "handle_due": item.handle_due,
        }
        return Status(201, created)

    @router.get(
        "/items/{code}",
        response={200: ItemOut, frozenset({400, 404}): ProblemDetails},
        summary="Theo dõi phản ánh theo mã",
    )
    def get_item(
        request: HttpRequest, code: str, contact: str = Header("", alias="X-Reporter-Contact")
    ):
        item = queries.by_code(code)
        if item is None:
            raise NotFound(gettext("Không tìm thấy phản ánh %(code)s.") % {"code": code})
        user = _user(request)
        reporter = services.contact_matches(item, contact) or (
            user is not None and item.reporter_user_id == user.pk
        )
        return Status(200, queries.public_view(item, reporter=reporter))

    @router.post(
        "/items/{code}/rating",
        response={200: ItemOut, frozenset({400, 403, 404, 409, 422}): ProblemDetails},
        summary="Đánh giá câu trả lời (hài lòng / chưa hài lòng)",
    )
    def rate_item(
        request: HttpRequest,
        code: str,
        payload: RatingIn,
        contact: str = Header("", alias="X-Reporter-Contact"),
    ):
        item = services.rate(code, value=payload.value, by=_user(request), contact=contact)
        return Status(200, queries.public_view(item, reporter=True))

    @router.post(
        "/items/{code}/reopen",
        response={200: ItemOut, frozenset({400, 403, 404, 409, 422}): ProblemDetails},
        summary="Mở lại phản ánh khi chưa hài lòng với câu trả lời",
    )
    def reopen_item(
        request: HttpRequest,
        code: str,
        payload: ReopenIn,
        contact: str = Header("", alias="X-Reporter-Contact"),
    ):
        item = services.reopen(code, reason=payload.reason, by=_user(request), contact=contact)
        return Status(200, queries.public_view(item, reporter=True))

    @router.get(
        "/answers",
        response={200: list[AnswerOut], frozenset({400, 422}): ProblemDetails},
        summary="Câu trả lời đã công khai",
    )
    def answers(
        request: HttpRequest,
        q: str = Query("", max_length=200),
        category: str = Query("", max_length=50),
        # bounded so that no database sees an integer beyond 64 bits (a 500 before)
        limit: int = Query(20, ge=1, le=100),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
    ):
        rows = queries.public_answers(q, category)[offset : offset + limit]
        return [
            {
                "code": i.code,
                "category": i.category.name,
                "title": queries.redact(i.title),
                "description": queries.redact(i.description),
                "agency": i.agency.name_vi if i.agency else "",
                "answer": i.answer,
                "published_at": i.published_at,
            }
            for i in rows
        ]

    return router


router = build_router()
