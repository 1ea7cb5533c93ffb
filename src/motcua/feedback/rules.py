"""The 1022 feedback lifecycle as one reviewed transition table (no ORM).

Every row is (state, action) → next state with the legal reference that allows it. Services
look actions up here and nowhere else; a missing row is an illegal action.

Legal sources: Nghị định 20/2008/NĐ-CP (tiếp nhận, xử lý phản ánh, kiến nghị về quy định
hành chính), sửa đổi bởi Nghị định 92/2017/NĐ-CP; thời hạn theo Quyết định 766/QĐ-TTg, chỉ số
5.2 (từ chối ≤ 2, yêu cầu bổ sung lần đầu ≤ 5, xử lý ≤ 15, công khai ≤ 2 ngày làm việc).
Article numbers are left out where we could not check them against the published text
(docs/feedback.md, "to confirm").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class FeedbackError(Exception):
    """A refused feedback operation; ``code`` is stable, ``message`` Vietnamese."""

    code = "feedback_error"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(FeedbackError):
    code = "invalid"
    status = 422


class NotAllowed(FeedbackError):
    code = "forbidden"
    status = 403


class NotFound(FeedbackError):
    code = "not_found"
    status = 404


class Conflict(FeedbackError):
    code = "conflict"
    status = 409


class IllegalAction(FeedbackError):
    code = "illegal_action"
    status = 409


class State(StrEnum):
    RECEIVED = "received"
    REFUSED = "refused"
    INFO_REQUESTED = "info_requested"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ANSWER_DRAFTED = "answer_drafted"
    ANSWER_APPROVED = "answer_approved"
    PUBLISHED = "published"
    CLOSED = "closed"


# Labels are lazy translations (Vietnamese msgids; English in feedback/locale).
STATE_LABELS_VI: dict[State, Promise] = {
    State.RECEIVED: _("Đã tiếp nhận"),
    State.REFUSED: _("Từ chối xử lý"),
    State.INFO_REQUESTED: _("Yêu cầu bổ sung thông tin"),
    State.ASSIGNED: _("Đã chuyển cơ quan xử lý"),
    State.IN_PROGRESS: _("Đang xử lý"),
    State.ANSWER_DRAFTED: _("Đã dự thảo trả lời"),
    State.ANSWER_APPROVED: _("Đã duyệt trả lời"),
    State.PUBLISHED: _("Đã công khai trả lời"),
    State.CLOSED: _("Đã đóng"),
}

# Handling is over (the item counts as handled): refused, or an answer was approved.
HANDLED_STATES = frozenset({State.REFUSED, State.ANSWER_APPROVED, State.PUBLISHED, State.CLOSED})
# The handling clock (≤ 15 working days) runs in these states.
HANDLING_STATES = frozenset(
    {
        State.RECEIVED,
        State.INFO_REQUESTED,
        State.ASSIGNED,
        State.IN_PROGRESS,
        State.ANSWER_DRAFTED,
    }
)
# Open311 maps every state to open or closed.
OPEN311_CLOSED = frozenset({State.REFUSED, State.PUBLISHED, State.CLOSED})


def open311_status(state: str) -> str:
    return "closed" if state in OPEN311_CLOSED else "open"


class Action(StrEnum):
    SUBMIT = "submit"
    REFUSE = "refuse"
    REQUEST_INFO = "request_info"
    PROVIDE_INFO = "provide_info"
    ASSIGN = "assign"
    TRANSFER = "transfer"
    START = "start"
    DRAFT_ANSWER = "draft_answer"
    RETURN_DRAFT = "return_draft"
    APPROVE = "approve"
    PUBLISH = "publish"
    CLOSE = "close"
    REOPEN = "reopen"


ACTION_LABELS_VI: dict[Action, Promise] = {
    Action.SUBMIT: _("Tiếp nhận phản ánh"),
    Action.REFUSE: _("Từ chối xử lý"),
    Action.REQUEST_INFO: _("Yêu cầu bổ sung thông tin"),
    Action.PROVIDE_INFO: _("Bổ sung thông tin"),
    Action.ASSIGN: _("Chuyển cơ quan xử lý"),
    Action.TRANSFER: _("Chuyển sang cơ quan khác"),
    Action.START: _("Nhận xử lý"),
    Action.DRAFT_ANSWER: _("Dự thảo trả lời"),
    Action.RETURN_DRAFT: _("Trả lại dự thảo"),
    Action.APPROVE: _("Duyệt trả lời"),
    Action.PUBLISH: _("Công khai trả lời"),
    Action.CLOSE: _("Đóng phản ánh"),
    Action.REOPEN: _("Mở lại (người phản ánh chưa hài lòng)"),
}


class Actor(StrEnum):
    """Who may take an action: the 1022 operator (centre), the handling agency's specialist
    or leader, or the reporter."""

    OPERATOR = "operator"
    HANDLER = "handler"  # specialist or leader of the responsible agency
    LEADER = "leader"
    REPORTER = "reporter"


@dataclass(frozen=True)
class Transition:
    source: State | None
    action: Action
    target: State
    actors: frozenset[Actor]
    legal_ref: str


ND20 = "Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP)"
QD766 = "Quyết định 766/QĐ-TTg, chỉ số 5.2"
OP = frozenset({Actor.OPERATOR})
HANDLER = frozenset({Actor.HANDLER, Actor.LEADER})
LEAD = frozenset({Actor.LEADER})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(None, Action.SUBMIT, State.RECEIVED, OP | {Actor.REPORTER}, ND20 + " (tiếp nhận)"),
    Transition(State.RECEIVED, Action.REFUSE, State.REFUSED, OP, QD766 + " (từ chối ≤ 2 ngày)"),
    Transition(
        State.RECEIVED,
        Action.REQUEST_INFO,
        State.INFO_REQUESTED,
        OP,
        QD766 + " (yêu cầu bổ sung lần đầu ≤ 5 ngày)",
    ),
    Transition(
        State.INFO_REQUESTED,
        Action.PROVIDE_INFO,
        State.RECEIVED,
        OP | {Actor.REPORTER},
        ND20 + " (bổ sung thông tin)",
    ),
    Transition(
        State.INFO_REQUESTED,
        Action.REFUSE,
        State.REFUSED,
        OP,
        ND20 + " (không bổ sung thông tin)",
    ),
    Transition(State.RECEIVED, Action.ASSIGN, State.ASSIGNED, OP, ND20 + " (chuyển xử lý)"),
    Transition(
        State.ASSIGNED,
        Action.TRANSFER,
        State.ASSIGNED,
        OP | HANDLER,
        QD766 + " (xử lý ≤ 15 ngày kể từ khi chuyển)",
    ),
    Transition(
        State.IN_PROGRESS,
        Action.TRANSFER,
        State.ASSIGNED,
        OP | HANDLER,
        QD766 + " (xử lý ≤ 15 ngày kể từ khi chuyển)",
    ),
    Transition(State.ASSIGNED, Action.START, State.IN_PROGRESS, HANDLER, ND20 + " (xử lý)"),
    Transition(
        State.IN_PROGRESS, Action.DRAFT_ANSWER, State.ANSWER_DRAFTED, HANDLER, ND20 + " (dự thảo)"
    ),
    Transition(
        State.ANSWER_DRAFTED,
        Action.DRAFT_ANSWER,
        State.ANSWER_DRAFTED,
        HANDLER,
        ND20 + " (sửa dự thảo)",
    ),
    Transition(
        State.ANSWER_DRAFTED, Action.RETURN_DRAFT, State.IN_PROGRESS, LEAD, ND20 + " (trả lại)"
    ),
    Transition(
        State.ANSWER_DRAFTED,
        Action.APPROVE,
        State.ANSWER_APPROVED,
        LEAD,
        QD766 + " (xử lý xong ≤ 15 ngày)",
    ),
    Transition(
        State.ANSWER_APPROVED,
        Action.PUBLISH,
        State.PUBLISHED,
        OP | LEAD,
        QD766 + " (công khai ≤ 2 ngày)",
    ),
    Transition(State.PUBLISHED, Action.CLOSE, State.CLOSED, OP, ND20 + " (kết thúc)"),
    Transition(
        State.PUBLISHED,
        Action.REOPEN,
        State.IN_PROGRESS,
        OP | {Actor.REPORTER},
        ND20 + " (người phản ánh chưa đồng ý với trả lời)",
    ),
    Transition(
        State.CLOSED,
        Action.REOPEN,
        State.IN_PROGRESS,
        OP | {Actor.REPORTER},
        ND20 + " (người phản ánh chưa đồng ý với trả lời)",
    ),
)

_TABLE: dict[tuple[State | None, Action], Transition] = {
    (t.source, t.action): t for t in TRANSITIONS
}


def transition(source: State | str | None, action: Action | str) -> Transition:
    state = State(source) if source is not None else None
    act = Action(action)
    try:
        return _TABLE[(state, act)]
    except KeyError:
        label = STATE_LABELS_VI[state] if state else gettext("chưa tạo")
        raise IllegalAction(
            gettext("Không thể “%(action)s” khi phản ánh ở trạng thái “%(state)s”.")
            % {"action": ACTION_LABELS_VI[act], "state": label}
        ) from None


def allowed_actions(state: State | str) -> list[Action]:
    s = State(state)
    return [t.action for t in TRANSITIONS if t.source == s]


# -- deadlines (working days), per category with these defaults --------------------------------
DEFAULT_REFUSE_DAYS = 2
DEFAULT_REQUEST_DAYS = 5
DEFAULT_HANDLE_DAYS = 15
DEFAULT_PUBLISH_DAYS = 2


class Channel(StrEnum):
    HOTLINE = "hotline"
    PORTAL = "portal"
    MOBILE_APP = "mobile_app"
    ZALO = "zalo"
    FACEBOOK = "facebook"
    EMAIL = "email"
    WALK_IN = "walk_in"


CHANNEL_LABELS_VI: dict[Channel, Promise] = {
    Channel.HOTLINE: _("Tổng đài 1022"),
    Channel.PORTAL: _("Cổng thông tin 1022"),
    Channel.MOBILE_APP: _("Ứng dụng di động"),
    Channel.ZALO: _("Zalo"),
    Channel.FACEBOOK: _("Facebook"),
    Channel.EMAIL: _("Thư điện tử"),
    Channel.WALK_IN: _("Trực tiếp"),
}
OPERATOR_CHANNELS = frozenset({Channel.HOTLINE, Channel.WALK_IN, Channel.EMAIL})


# -- location -------------------------------------------------------------------------------
Bounds = tuple[float, float, float, float]  # lat_min, lat_max, lon_min, lon_max
CAN_THO_BOUNDS: Bounds = (9.92, 10.33, 105.22, 105.85)


def parse_bounds(value: object) -> Bounds:
    if isinstance(value, str):
        parts = [float(p) for p in value.split(",")]
    else:
        parts = [float(p) for p in value]  # type: ignore[union-attr]
    if len(parts) != 4 or parts[0] >= parts[1] or parts[2] >= parts[3]:
        raise ValueError("Giới hạn tọa độ phải có dạng lat_min,lat_max,lon_min,lon_max.")
    return (parts[0], parts[1], parts[2], parts[3])


def check_location(lat: float | None, lon: float | None, bounds: Bounds) -> dict[str, str]:
    """Field errors (Vietnamese) for a location; empty when fine."""
    if lat is None and lon is None:
        return {}
    if lat is None or lon is None:
        return {"location": gettext("Cần nhập cả vĩ độ và kinh độ.")}
    lat_min, lat_max, lon_min, lon_max = bounds
    if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
        return {"location": gettext("Vị trí nằm ngoài địa bàn tỉnh, thành phố.")}
    return {}
