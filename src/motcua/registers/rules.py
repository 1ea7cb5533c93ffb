"""Pure rules of the registers (no ORM, no clock): the kinds each register sorts its records
into, the bounds every value must respect, and the cross-field checks of one record.

The bounds are the same for the desk forms, the Excel import and any other caller of the
services, so a value that passes here always fits its database column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_COUNT = 1_000_000  # a count on one record (a batch, a decision): far above any real one
MAX_VALUE = 10**12  # an outside system's figure
MAX_TEXT = 500
MAX_NOTE = 2000
MAX_REFERENCE = 100
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class RegisterError(Exception):
    code = "invalid"

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})


class InvalidInput(RegisterError):
    code = "invalid"


class NotAllowed(RegisterError):
    code = "forbidden"


class LegalKind(models.TextChoices):
    """Legal-documents work (văn bản QPPL) of the Department of Justice and the agencies."""

    APPRAISAL_RESOLUTION_DRAFT = (
        "appraisal_resolution_draft",
        gettext_lazy("Thẩm định dự thảo nghị quyết HĐND"),
    )
    APPRAISAL_RESOLUTION_PROPOSAL = (
        "appraisal_resolution_proposal",
        gettext_lazy("Thẩm định đề nghị xây dựng nghị quyết HĐND"),
    )
    APPRAISAL_DECISION_DRAFT = (
        "appraisal_decision_draft",
        gettext_lazy("Thẩm định dự thảo quyết định UBND"),
    )
    COMMENT_CENTRAL = "comment_central", gettext_lazy("Góp ý dự thảo VBQPPL của Trung ương")
    COMMENT_LOCAL = "comment_local", gettext_lazy("Góp ý dự thảo VBQPPL của địa phương")
    OPINION_PROPOSAL = (
        "opinion_proposal",
        gettext_lazy("Ý kiến đối với đề nghị xây dựng VBQPPL"),
    )
    SELF_CHECK = "self_check", gettext_lazy("Tự kiểm tra văn bản")


class Proposal(models.TextChoices):
    SHORTER_TIME = "shorter_time", gettext_lazy("Giảm thời gian giải quyết")
    FEWER_DOCUMENTS = "fewer_documents", gettext_lazy("Đơn giản hóa thành phần hồ sơ")
    OTHER = "other", gettext_lazy("Phương án khác")


class ApparatusKind(models.TextChoices):
    ESTABLISHED = "established", gettext_lazy("Thành lập đơn vị")
    DISSOLVED = "dissolved", gettext_lazy("Giải thể đơn vị")
    MERGED = "merged", gettext_lazy("Sáp nhập, hợp nhất đơn vị")
    REORGANISED = "reorganised", gettext_lazy("Kiện toàn, tổ chức lại đơn vị")
    INTERAGENCY_BODY = (
        "interagency_body",
        gettext_lazy("Thành lập, kiện toàn tổ chức phối hợp liên ngành"),
    )
    FINANCIAL_MECHANISM = (
        "financial_mechanism",
        gettext_lazy("Phê duyệt cơ chế tài chính của đơn vị"),
    )


class CivilServiceKind(models.TextChoices):
    CADRE_DECISION = "cadre_decision", gettext_lazy("Quyết định về công tác cán bộ")
    MANAGEMENT_DECISION = (
        "management_decision",
        gettext_lazy("Quyết định về quản lý công chức, viên chức"),
    )
    POLICY_CASE = (
        "policy_case",
        gettext_lazy("Trường hợp chính sách tiền lương, nghỉ hưu, thôi việc"),
    )
    RECRUITMENT_CASE = (
        "recruitment_case",
        gettext_lazy("Trường hợp tuyển dụng, sử dụng, quản lý CCVC"),
    )


class TrainingKind(models.TextChoices):
    SPECIALIST = "specialist", gettext_lazy("Bồi dưỡng ngạch chuyên viên")
    PRINCIPAL = "principal", gettext_lazy("Bồi dưỡng ngạch chuyên viên chính")
    DIVISION_LEADER = "division_leader", gettext_lazy("Bồi dưỡng lãnh đạo cấp phòng")
    OTHER = "other", gettext_lazy("Lớp bồi dưỡng khác")


class AutonomyKind(models.TextChoices):
    ADMIN_AGENCY = "admin_agency", gettext_lazy("Cơ quan hành chính nhà nước")
    PUBLIC_UNIT = "public_unit", gettext_lazy("Đơn vị sự nghiệp công lập")


class MeetingLevel(models.TextChoices):
    CITY = "city", gettext_lazy("Cấp thành phố")
    DISTRICT = "district", gettext_lazy("Cấp quận, huyện")
    COMMUNE = "commune", gettext_lazy("Cấp xã, phường, thị trấn")


# outside systems' figures the bulletin prints (OutsideFigure.key → what it counts)
OUTSIDE_KEYS = {
    "national_portal_users": gettext_lazy(
        "Người dùng được phân quyền khai thác Cổng Dịch vụ công quốc gia"
    ),
    "lgsp_databases": gettext_lazy("Cơ sở dữ liệu đã kết nối nền tảng tích hợp LGSP"),
}


def check_entry(register: str, values: Mapping[str, object]) -> dict[str, str]:
    """Cross-field rules of one record: {field: Vietnamese message}, empty when it holds.

    Single values (types, bounds, required) are checked before; this sees typed values."""
    problems: dict[str, str] = {}
    if register == "legal":
        if values.get("error_notes") and not values.get("errors_found"):
            problems["error_notes"] = _("Chỉ ghi lỗi phát hiện khi đánh dấu “có lỗi”.")
        if values.get("errors_found") and values.get("kind") != LegalKind.SELF_CHECK:
            problems["errors_found"] = _("Chỉ văn bản tự kiểm tra mới ghi nhận lỗi phát hiện.")
    elif register == "announcements":
        linked = values.get("procedures") or ()
        count = values.get("procedures_count") or 0
        if count < 1:
            problems["procedures_count"] = _("Quyết định công bố ít nhất một thủ tục.")
        elif len(linked) > count:
            problems["procedures"] = _("Số thủ tục liên kết vượt quá số thủ tục được công bố.")
    elif register == "workflows":
        if (values.get("workflows") or 0) < 1:
            problems["workflows"] = _("Quyết định phê duyệt ít nhất một quy trình nội bộ.")
    elif register == "streamlining":
        total = sum(
            int(values.get(f) or 0)
            for f in ("civil_servants", "public_employees", "contract_workers")
        )
        if total < 1:
            problems["civil_servants"] = _(
                "Danh sách tinh giản biên chế phải có ít nhất một người."
            )
    elif register == "civil_service":
        if (values.get("count") or 0) < 1:
            problems["count"] = _("Số trường hợp phải lớn hơn 0.")
    elif register in ("training", "autonomy"):
        end_field = "end_date" if register == "training" else "ended_on"
        start, end = values.get("date"), values.get(end_field)
        if start and end and end < start:
            problems[end_field] = _("Ngày kết thúc không được trước ngày bắt đầu.")
    elif register == "edoc":
        if (values.get("agencies_exchanging") or 0) > (values.get("agencies_connected") or 0):
            problems["agencies_exchanging"] = _(
                "Số cơ quan gửi, nhận văn bản liên thông không vượt quá số cơ quan đã kết nối."
            )
    elif register == "outside":
        key = str(values.get("key") or "")
        if not KEY_PATTERN.match(key):
            problems["key"] = _(
                "Mã số liệu chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới (tối đa 60)."
            )
    return problems
