"""Pure rules of administrative-reform plans and inspections (no ORM, no clock).

- The reform areas: a reviewed table (the six areas of Resolution 76/NQ-CP plus the direction
  and impact areas the PAR index scores), each with its legal reference.
- Task status: a transition table. "Overdue" is never stored: it is derived from the stored
  status and the deadline on the day asked (``effective_status``), so it cannot go stale.
- Progress: the two ratios the bulletins print (done; done + in progress, e.g. 52/66 = 78.8 %).
- Cancellation needs the approving document's reference and a reason.
- Inspections: a closure needs every required remedy resolved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RESOLUTION_76 = "Nghị quyết 76/NQ-CP ngày 15/7/2021 (Chương trình tổng thể CCHC 2021–2030)"
PAR_INDEX_2020 = "Quyết định 1149/QĐ-BNV ngày 30/12/2020 (Chỉ số CCHC)"


class Area(models.TextChoices):
    """Reform areas, in the order plans and bulletins list them."""

    DIRECTION = "direction", gettext_lazy("Công tác chỉ đạo, điều hành")
    INSTITUTIONS = "institutions", gettext_lazy("Cải cách thể chế")
    PROCEDURES = "procedures", gettext_lazy("Cải cách thủ tục hành chính")
    APPARATUS = "apparatus", gettext_lazy("Cải cách tổ chức bộ máy hành chính nhà nước")
    CIVIL_SERVICE = "civil_service", gettext_lazy("Cải cách chế độ công vụ")
    PUBLIC_FINANCE = "public_finance", gettext_lazy("Cải cách tài chính công")
    E_GOVERNMENT = (
        "e_government",
        gettext_lazy("Xây dựng, phát triển Chính phủ điện tử, Chính phủ số"),
    )
    IMPACT = "impact", gettext_lazy("Tác động của cải cách hành chính")


# area → the legal text that defines it (reviewed: Resolution 76 names the six reform areas;
# direction and impact are areas of the PAR index, not of the programme)
AREA_REFERENCES: dict[str, str] = {
    Area.DIRECTION: f"{PAR_INDEX_2020}, lĩnh vực 1",
    Area.INSTITUTIONS: f"{RESOLUTION_76}, Mục III.1",
    Area.PROCEDURES: f"{RESOLUTION_76}, Mục III.2",
    Area.APPARATUS: f"{RESOLUTION_76}, Mục III.3",
    Area.CIVIL_SERVICE: f"{RESOLUTION_76}, Mục III.4",
    Area.PUBLIC_FINANCE: f"{RESOLUTION_76}, Mục III.5",
    Area.E_GOVERNMENT: f"{RESOLUTION_76}, Mục III.6",
    Area.IMPACT: f"{PAR_INDEX_2020}, lĩnh vực 8",
}
AREA_ORDER = {code: i for i, code in enumerate(Area.values)}


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", gettext_lazy("Chưa thực hiện")
    IN_PROGRESS = "in_progress", gettext_lazy("Đang thực hiện")
    DONE = "done", gettext_lazy("Đã hoàn thành")
    CANCELLED = "cancelled", gettext_lazy("Đã hủy")


# shown, never stored: an open task whose deadline has passed
OVERDUE = "overdue"
OVERDUE_LABEL = gettext_lazy("Quá hạn")
OPEN_STATUSES = frozenset({TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS})

# the statuses an agency may report (cancelling is its own use case, with its document)
TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.NOT_STARTED: frozenset({TaskStatus.IN_PROGRESS, TaskStatus.DONE}),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.IN_PROGRESS, TaskStatus.DONE}),
    # a task closed by mistake is reopened with a note (the history keeps both)
    TaskStatus.DONE: frozenset({TaskStatus.IN_PROGRESS}),
    TaskStatus.CANCELLED: frozenset(),
}


class ReformError(Exception):
    """A use case refused; ``message`` is shown to the user, ``fields`` name the inputs."""

    code = "invalid"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(ReformError):
    code = "invalid"


class NotAllowed(ReformError):
    code = "forbidden"


class Conflict(ReformError):
    code = "conflict"


def effective_status(status: str, deadline: dt.date | None, today: dt.date) -> str:
    """The status to show on ``today``: an open task past its deadline is overdue."""
    if status in OPEN_STATUSES and deadline is not None and deadline < today:
        return OVERDUE
    return status


def status_label(status: str) -> str:
    return str(OVERDUE_LABEL) if status == OVERDUE else str(TaskStatus(status).label)


def check_report(current: str, new: str) -> None:
    """May an agency report ``new`` on a task now ``current``?"""
    if new not in TaskStatus.values or new == TaskStatus.CANCELLED:
        raise InvalidInput(_("Trạng thái báo cáo không hợp lệ."), {"status": "invalid"})
    if new not in TRANSITIONS[current]:
        raise InvalidInput(
            _("Không thể chuyển nhiệm vụ từ “%(a)s” sang “%(b)s”.")
            % {"a": status_label(current), "b": status_label(new)},
            {"status": "transition"},
        )


def check_cancellation(current: str, reference: str, reason: str) -> None:
    """A task is cancelled only with the approving document's reference and a reason."""
    errors = {}
    if not reference.strip():
        errors["reference"] = _("Nhập số, ký hiệu văn bản cho phép hủy nhiệm vụ.")
    if not reason.strip():
        errors["reason"] = _("Nhập lý do hủy nhiệm vụ.")
    if errors:
        raise InvalidInput(" ".join(errors.values()), {k: "required" for k in errors})
    if current == TaskStatus.CANCELLED:
        raise InvalidInput(_("Nhiệm vụ đã bị hủy trước đó."), {"status": "cancelled"})
    if current == TaskStatus.DONE:
        raise InvalidInput(_("Không thể hủy nhiệm vụ đã hoàn thành."), {"status": "done"})


def percent(part: int, whole: int) -> Decimal:
    """``part / whole`` in percent with one decimal, rounded half up (52/66 → 78.8)."""
    if whole <= 0:
        return Decimal("0.0")
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Progress:
    """Counts of a set of tasks and the two ratios.

    The denominator is every task of the plan, cancelled ones included (the seed's 52/66 counts
    the two cancelled propaganda tasks in the 66). ``in_progress`` counts the stored status, so
    an in-progress task past its deadline is both in progress and ``overdue``: the ratios do not
    change with the day they are computed on.
    """

    total: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    cancelled: int = 0
    overdue: int = 0

    @property
    def active(self) -> int:
        return self.done + self.in_progress

    @property
    def done_percent(self) -> Decimal:
        return percent(self.done, self.total)

    @property
    def active_percent(self) -> Decimal:
        return percent(self.active, self.total)


def progress(tasks: Iterable[tuple[str, dt.date | None]], today: dt.date) -> Progress:
    """Counts of (stored status, deadline) pairs on ``today``."""
    counts = dict.fromkeys(TaskStatus.values, 0)
    total = overdue = 0
    for status, deadline in tasks:
        total += 1
        counts[status] += 1
        if effective_status(status, deadline, today) == OVERDUE:
            overdue += 1
    return Progress(
        total=total,
        done=counts[TaskStatus.DONE],
        in_progress=counts[TaskStatus.IN_PROGRESS],
        not_started=counts[TaskStatus.NOT_STARTED],
        cancelled=counts[TaskStatus.CANCELLED],
        overdue=overdue,
    )


# -- targets --------------------------------------------------------------------------------


class Comparator(models.TextChoices):
    AT_LEAST = "ge", "≥"
    AT_MOST = "le", "≤"


def target_met(comparator: str, target: Decimal, actual: Decimal | None) -> bool | None:
    """None while the actual value is unknown."""
    if actual is None:
        return None
    return actual >= target if comparator == Comparator.AT_LEAST else actual <= target


# -- inspections ----------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    PERIODIC = "periodic", gettext_lazy("Kiểm tra định kỳ")
    SURPRISE = "surprise", gettext_lazy("Kiểm tra đột xuất")
    THEMATIC = "thematic", gettext_lazy("Kiểm tra chuyên đề")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", gettext_lazy("Theo kế hoạch")
    CONDUCTED = "conducted", gettext_lazy("Đã kiểm tra, đang khắc phục")
    CLOSED = "closed", gettext_lazy("Đã kết thúc")


class RemedyStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Đang khắc phục")
    DONE = "done", gettext_lazy("Đã khắc phục")
    WAIVED = "waived", gettext_lazy("Không phải khắc phục nữa")


def check_closure(status: str, remedy_statuses: Iterable[str]) -> None:
    if status == InspectionStatus.CLOSED:
        raise InvalidInput(_("Đợt kiểm tra đã kết thúc."), {"status": "closed"})
    if status == InspectionStatus.PLANNED:
        raise InvalidInput(
            _("Chưa ghi nhận kết quả kiểm tra: không thể kết thúc."), {"findings": "required"}
        )
    open_count = sum(1 for s in remedy_statuses if s == RemedyStatus.OPEN)
    if open_count:
        raise InvalidInput(
            _("Còn %(n)d yêu cầu khắc phục chưa hoàn thành: không thể kết thúc.")
            % {"n": open_count},
            {"remedies": "open"},
        )


def remedy_overdue(status: str, deadline: dt.date, today: dt.date) -> bool:
    return status == RemedyStatus.OPEN and deadline < today


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise InvalidInput(
            _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."), {"end_date": "before_start"}
        )
