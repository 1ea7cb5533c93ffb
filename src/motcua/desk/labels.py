"""Display labels of the engine's states and actions, translatable.

The engine keeps its labels in Vietnamese (``rules.STATE_LABELS_VI``); the desk looks them up in
its own catalog at render time so that the English interface translates them too.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

from motcua.dossiers.models import Channel, Delivery, FeeCharge
from motcua.dossiers.queries import DeadlineStatus
from motcua.dossiers.rules import ACTION_LABELS_VI, STATE_LABELS_VI, Action, State

# Listed so that makemessages collects them; the values equal the engine's labels (a test
# checks that every engine label has an English translation).
_CATALOG = (
    gettext_noop("Mới đăng ký"),
    gettext_noop("Yêu cầu hoàn thiện hồ sơ"),
    gettext_noop("Không được tiếp nhận"),
    gettext_noop("Đã tiếp nhận"),
    gettext_noop("Đang xử lý"),
    gettext_noop("Yêu cầu bổ sung giấy tờ"),
    gettext_noop("Đã xử lý xong"),
    gettext_noop("Yêu cầu thực hiện nghĩa vụ tài chính"),
    gettext_noop("Đã trả kết quả"),
    gettext_noop("Công dân yêu cầu rút hồ sơ"),
    gettext_noop("Dừng xử lý"),
    gettext_noop("Nộp hồ sơ trực tuyến"),
    gettext_noop("Tiếp nhận hồ sơ"),
    gettext_noop("Hoàn thiện hồ sơ"),
    gettext_noop("Từ chối tiếp nhận"),
    gettext_noop("Chuyển bước xử lý"),
    gettext_noop("Chuyển cơ quan liên thông"),
    gettext_noop("Yêu cầu bổ sung hồ sơ"),
    gettext_noop("Bổ sung hồ sơ"),
    gettext_noop("Xin lỗi và hẹn lại ngày trả"),
    gettext_noop("Dừng giải quyết"),
    gettext_noop("Rút hồ sơ"),
    gettext_noop("Phê duyệt kết quả"),
    gettext_noop("Từ chối giải quyết"),
    gettext_noop("Xác nhận hoàn thành nghĩa vụ tài chính"),
    gettext_noop("Trả kết quả"),
    gettext_noop("Trực tiếp tại Bộ phận Một cửa"),
    gettext_noop("Qua dịch vụ bưu chính công ích"),
    gettext_noop("Cổng Dịch vụ công của tỉnh"),
    gettext_noop("Cổng Dịch vụ công quốc gia"),
    gettext_noop("Ki-ốt thông minh"),
    gettext_noop("Tại Bộ phận Một cửa"),
    gettext_noop("Qua bưu chính"),
    gettext_noop("Trực tuyến"),
    gettext_noop("Tiền mặt"),
    gettext_noop("Chuyển khoản"),
    gettext_noop("Thanh toán trực tuyến"),
    gettext_noop("Rất hài lòng"),
    gettext_noop("Hài lòng"),
    gettext_noop("Không hài lòng"),
    gettext_noop("Cán bộ một cửa"),
    gettext_noop("Chuyên viên thụ lý"),
    gettext_noop("Lãnh đạo phê duyệt"),
    gettext_noop("Quản trị cơ quan"),
    gettext_noop("Quản trị tỉnh"),
)

DEADLINE_LABELS = {
    DeadlineStatus.NOT_STARTED: gettext_noop("Chưa tiếp nhận"),
    DeadlineStatus.PAUSED: gettext_noop("Tạm dừng (chờ bổ sung)"),
    DeadlineStatus.ON_TIME: gettext_noop("Trong hạn"),
    DeadlineStatus.DUE_SOON: gettext_noop("Sắp đến hạn (≤ 1 ngày làm việc)"),
    DeadlineStatus.OVERDUE: gettext_noop("Quá hạn"),
    DeadlineStatus.ENDED_ON_TIME: gettext_noop("Đã xong, đúng hạn"),
    DeadlineStatus.ENDED_LATE: gettext_noop("Đã xong, trễ hạn"),
}


def state_label(state: str) -> str:
    return gettext(STATE_LABELS_VI[State(state)])


def action_label(action: str) -> str:
    return gettext(ACTION_LABELS_VI[Action(action)])


EVENT_LABELS = {
    "issue_form": gettext_noop("Cấp biểu mẫu"),
    "sign_form": gettext_noop("Ký số biểu mẫu"),
    "pay_fees": gettext_noop("Nộp phí, lệ phí"),
    "fee_corrected": gettext_noop("Khoản phí được điều chỉnh"),
    "fee_cancelled": gettext_noop("Khoản phí bị hủy"),
    "payment_cancelled": gettext_noop("Hủy giao dịch thanh toán trực tuyến"),
    "payment_refund_due": gettext_noop("Ghi nhận khoản cần hoàn tiền"),
}


def event_label(action: str) -> str:
    """An audit event's action: an engine action, or a form/payment record."""
    if action in Action._value2member_map_:
        return action_label(action)
    return gettext(EVENT_LABELS.get(action, action))


def deadline_label(status: str) -> str:
    return gettext(DEADLINE_LABELS.get(status, status))


def channel_label(channel: str) -> str:
    return gettext(Channel(channel).label) if channel in Channel.values else channel


def delivery_choices() -> list[tuple[str, str]]:
    return [(value, gettext(label)) for value, label in Delivery.choices]


def payment_channel_choices() -> list[tuple[str, str]]:
    return [(value, gettext(label)) for value, label in FeeCharge.PaymentChannel.choices]


def state_choices() -> list[tuple[str, str]]:
    return [(s.value, state_label(s)) for s in State]
