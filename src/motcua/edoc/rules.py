"""Pure rules of the document registers: statuses, which status codes an officer may report at
each point, and how edXML status codes map onto register statuses. No ORM here."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.edoc.edxml import model as ed


class EdocError(Exception):
    """A refused edoc action: a Vietnamese message, the offending fields, a stable code."""

    code = "invalid"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str = ""):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class Direction(models.TextChoices):
    IN = "in", _("Văn bản đến")
    OUT = "out", _("Văn bản đi")


class DocStatus(models.TextChoices):
    # incoming
    PENDING = "pending", _("Chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Đã từ chối")
    ASSIGNED = "assigned", _("Đã phân công")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    DONE = "done", _("Hoàn thành")
    REVOKED = "revoked", _("Đã thu hồi")
    # outgoing
    ISSUED = "issued", _("Đã ban hành")


class Delivery(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class Priority(models.IntegerChoices):
    NORMAL = 0, _("Thường")
    URGENT = 1, _("Khẩn")
    VERY_URGENT = 2, _("Thượng khẩn")
    EXPRESS = 3, _("Hỏa tốc")
    TIMED_EXPRESS = 4, _("Hỏa tốc hẹn giờ")


class BusinessType(models.IntegerChoices):
    NEW = ed.BUSINESS_NEW, _("Văn bản mới")
    REVOKE = ed.BUSINESS_REVOKE, _("Thu hồi")
    UPDATE = ed.BUSINESS_UPDATE, _("Cập nhật")
    REPLACE = ed.BUSINESS_REPLACE, _("Thay thế")


# the register's document types (Decree 30/2020/NĐ-CP, Appendix III) and their notations
DOCUMENT_TYPES = (
    ("Công văn", ""),
    ("Quyết định", "QĐ"),
    ("Chỉ thị", "CT"),
    ("Thông báo", "TB"),
    ("Kế hoạch", "KH"),
    ("Báo cáo", "BC"),
    ("Tờ trình", "TTr"),
    ("Giấy mời", "GM"),
    ("Công điện", "CĐ"),
    ("Hướng dẫn", "HD"),
    ("Biên bản", "BB"),
    ("Nghị quyết", "NQ"),
)
TYPE_NAMES = tuple(name for name, _ in DOCUMENT_TYPES)

# incoming: the status an officer reports → the edXML status code sent back to the sender
STATUS_CODE = {
    DocStatus.RECEIVED: ed.STATUS_RECEIVED,
    DocStatus.REFUSED: ed.STATUS_REFUSED,
    DocStatus.ASSIGNED: ed.STATUS_ASSIGNED,
    DocStatus.IN_PROGRESS: ed.STATUS_IN_PROGRESS,
    DocStatus.DONE: ed.STATUS_DONE,
    DocStatus.REVOKED: ed.STATUS_REVOKED,
}

# incoming: which statuses may follow which (assignment has its own action)
_NEXT = {
    DocStatus.PENDING: {DocStatus.RECEIVED, DocStatus.REFUSED},
    DocStatus.RECEIVED: {DocStatus.IN_PROGRESS, DocStatus.DONE},
    DocStatus.ASSIGNED: {DocStatus.IN_PROGRESS, DocStatus.DONE},
    DocStatus.IN_PROGRESS: {DocStatus.DONE},
}


def next_statuses(current: str, business_type: int) -> list[DocStatus]:
    """What an officer may report next on an incoming document. A revocation package is only
    acknowledged (13) or refused; an update/replace is accepted (15) or refused (16) through
    ``update_answers``."""
    if business_type == BusinessType.REVOKE and current == DocStatus.PENDING:
        return [DocStatus.REVOKED, DocStatus.REFUSED]
    return sorted(_NEXT.get(DocStatus(current), set()), key=list(DocStatus).index)


def status_code_for(status: str, business_type: int) -> str:
    """The edXML status code reporting ``status``: an update/replace package is accepted (15)
    or refused (16), a revocation acknowledged (13); anything else by the plain table."""
    if business_type in (BusinessType.UPDATE, BusinessType.REPLACE):
        if status == DocStatus.RECEIVED:
            return ed.STATUS_UPDATE_ACCEPTED
        if status == DocStatus.REFUSED:
            return ed.STATUS_UPDATE_REFUSED
    return STATUS_CODE[DocStatus(status)]


def may_assign(current: str) -> bool:
    return current in (DocStatus.RECEIVED, DocStatus.ASSIGNED, DocStatus.IN_PROGRESS)


def status_label(code: str) -> str:
    return ed.STATUS_CODES.get(code, code)


def reason_required(status: str) -> bool:
    return status == DocStatus.REFUSED
