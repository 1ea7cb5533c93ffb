"""Citizen-facing labels, translatable (Vietnamese source strings, English in locale/en).

The engine's own label tables are Vietnamese-only; these mirror them through gettext so the
English interface shows English states and actions.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.rules import Action, State

STATE_LABELS = {
    State.REGISTERED: _("Mới đăng ký"),
    State.COMPLETION_REQUESTED: _("Yêu cầu hoàn thiện hồ sơ"),
    State.NOT_RECEIVED: _("Không được tiếp nhận"),
    State.RECEIVED: _("Đã tiếp nhận"),
    State.IN_PROCESS: _("Đang xử lý"),
    State.SUPPLEMENT_REQUESTED: _("Yêu cầu bổ sung giấy tờ"),
    State.DECIDED: _("Đã xử lý xong"),
    State.AWAITING_PAYMENT: _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    State.RETURNED: _("Đã trả kết quả"),
    State.WITHDRAWN: _("Công dân yêu cầu rút hồ sơ"),
    State.STOPPED: _("Dừng xử lý"),
}

ACTION_LABELS = {
    Action.SUBMIT: _("Nộp hồ sơ trực tuyến"),
    Action.RECEIVE: _("Tiếp nhận hồ sơ"),
    Action.REQUEST_COMPLETION: _("Yêu cầu hoàn thiện hồ sơ"),
    Action.COMPLETE: _("Hoàn thiện hồ sơ"),
    Action.REFUSE_RECEPTION: _("Từ chối tiếp nhận"),
    Action.HAND_OVER: _("Chuyển bước xử lý"),
    Action.FORWARD: _("Chuyển cơ quan liên thông"),
    Action.REQUEST_SUPPLEMENT: _("Yêu cầu bổ sung hồ sơ"),
    Action.SUPPLEMENT: _("Bổ sung hồ sơ"),
    Action.APOLOGISE: _("Xin lỗi và hẹn lại ngày trả"),
    Action.STOP: _("Dừng giải quyết"),
    Action.WITHDRAW: _("Rút hồ sơ"),
    Action.APPROVE: _("Phê duyệt kết quả"),
    Action.REFUSE: _("Từ chối giải quyết"),
    Action.REQUEST_PAYMENT: _("Yêu cầu thực hiện nghĩa vụ tài chính"),
    Action.CONFIRM_PAYMENT: _("Xác nhận hoàn thành nghĩa vụ tài chính"),
    Action.RETURN_RESULT: _("Trả kết quả"),
}

ONLINE_MODE_LABELS = {
    "full": _("Toàn trình"),
    "partial": _("Một phần"),
    "none": _("Không"),
}

LEVEL_LABELS = {
    "commune": _("Cấp xã"),
    "district": _("Cấp huyện"),
    "province": _("Cấp tỉnh"),
}

# Legal forms a citizen receives (06 and 07 are internal registers)
CITIZEN_FORMS = frozenset({"01", "02", "03", "04", "05"})
FORM_TITLES = {
    "01": _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": _("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    "05": _("Thông báo dừng giải quyết hồ sơ"),
}


def state_label(state: str) -> str:
    try:
        return str(STATE_LABELS[State(state)])
    except ValueError:
        return state


# fee and payment records in the audit trail (motcua.payments)
PAYMENT_EVENT_LABELS = {
    "fee_corrected": _("Khoản phí được điều chỉnh"),
    "fee_cancelled": _("Khoản phí bị hủy"),
    "payment_cancelled": _("Hủy giao dịch thanh toán trực tuyến"),
    "payment_refund_due": _("Ghi nhận khoản cần hoàn tiền"),
}


def action_label(action: str) -> str:
    try:
        return str(ACTION_LABELS[Action(action)])
    except ValueError:
        return str(PAYMENT_EVENT_LABELS.get(action, action))
