"""Pure rules of notifications: events, channels, which engine action is which event, and
what an SMS may say."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# events
RECEIVED = "received"
SUPPLEMENT_REQUESTED = "supplement_requested"
PAYMENT_REQUESTED = "payment_requested"
RESULT_READY = "result_ready"
RESULT_RETURNED = "result_returned"
DEADLINE_AT_RISK = "deadline_at_risk"
OVERDUE = "overdue"
APOLOGY = "apology"
FEEDBACK_ANSWERED = "feedback_answered"

EVENT_CHOICES = [
    (RECEIVED, _("Hồ sơ đã được tiếp nhận")),
    (SUPPLEMENT_REQUESTED, _("Yêu cầu bổ sung, hoàn thiện hồ sơ")),
    (PAYMENT_REQUESTED, _("Yêu cầu nộp phí, lệ phí")),
    (RESULT_READY, _("Đã có kết quả")),
    (RESULT_RETURNED, _("Đã trả kết quả")),
    (DEADLINE_AT_RISK, _("Hồ sơ sắp đến hạn")),
    (OVERDUE, _("Hồ sơ quá hạn")),
    (APOLOGY, _("Thư xin lỗi, hẹn lại ngày trả (Mẫu 04)")),
    (FEEDBACK_ANSWERED, _("Phản ánh, kiến nghị đã được trả lời")),
]
EVENT_LABELS = dict(EVENT_CHOICES)
# events for the officers handling a dossier (and their leader), not for the applicant
OFFICER_EVENTS = frozenset({DEADLINE_AT_RISK, OVERDUE})

# the engine's actions (dossiers.rules.Action values) that notify the applicant
ACTION_EVENTS: dict[str, str] = {
    "receive": RECEIVED,
    "request_completion": SUPPLEMENT_REQUESTED,
    "request_supplement": SUPPLEMENT_REQUESTED,
    "request_payment": PAYMENT_REQUESTED,
    "approve": RESULT_READY,
    "refuse": RESULT_READY,
    "return_result": RESULT_RETURNED,
    "apologise": APOLOGY,
}

# channels
EMAIL = "email"
SMS = "sms"
ZALO = "zalo"
CHANNEL_CHOICES = [(EMAIL, _("Thư điện tử")), (SMS, _("Tin nhắn SMS")), (ZALO, _("Zalo"))]
CHANNEL_LABELS = dict(CHANNEL_CHOICES)

# delivery states
QUEUED = "queued"
SENT = "sent"
FAILED = "failed"  # this attempt failed; the job retries it
GAVE_UP = "gave_up"  # refused for good (bad number, provider said no) or out of attempts
STATUS_CHOICES = [
    (QUEUED, _("Đang gửi")),
    (SENT, _("Đã gửi")),
    (FAILED, _("Lỗi, đang thử lại")),
    (GAVE_UP, _("Không gửi được")),
]

# An SMS names the dossier by its code and says its status: nothing else (no name, no
# address, no reason), since an SMS crosses operators and lock screens in clear.
SMS_CONTEXT_KEYS = ("code", "status")
SMS_MAX_CHARS = 160

_PHONE = re.compile(r"^\+?\d{9,15}$")


def normalise_phone(raw: str) -> str:
    """Vietnamese numbers as the gateways want them: 84xxxxxxxxx (no plus, no leading 0)."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if not _PHONE.match(digits):
        return ""
    digits = digits.lstrip("+")
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits


def mask_address(address: str) -> str:
    """How a recipient's address shows on a timeline: enough to recognise, not to harvest."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    if len(address) > 6:
        return f"{address[:3]}****{address[-3:]}"
    return "***"


def sms_text(text: str) -> str:
    """One line, at most one SMS long."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SMS_MAX_CHARS else flat[: SMS_MAX_CHARS - 1] + "…"
