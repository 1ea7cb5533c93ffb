"""Pure catalog rules (no ORM): legal time in working hours, the step-sum rule, default steps,
and the parsing conventions of the 2021 reference CSV."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

DAYS = "d"  # working days
HOURS = "h"  # working hours
UNIT_LABELS = {DAYS: "ngày làm việc", HOURS: "giờ làm việc"}

COMMUNE, DISTRICT, PROVINCE = "commune", "district", "province"
LEVELS = (COMMUNE, DISTRICT, PROVINCE)

RECEPTION, SPECIALIST, LEADER, RETURN, OTHER = (
    "reception",
    "specialist",
    "leader",
    "return",
    "other",
)
RECEIVING, DECIDING, SPECIFIC = "receiving", "deciding", "specific"

DEFAULT_HOURS_PER_DAY = Decimal(8)  # 07:00–11:30 + 13:30–17:00
HALF_HOUR = Decimal("0.5")


class WorkflowRuleError(ValueError):
    """A workflow breaks a rule; the message is Vietnamese and meant for administrators."""


@dataclass(frozen=True)
class StepSpec:
    """One step of an internal workflow, before it is stored."""

    name: str
    role: str
    allotted_hours: Decimal
    performer: str = DECIDING
    agency_id: int | None = None


def working_hours_per_day(periods: Iterable[tuple[time, time]]) -> Decimal:
    """Length of a working day for office hours such as ((07:00, 11:30), (13:30, 17:00)) → 8."""
    day = datetime(2000, 1, 1)
    seconds = sum(
        (datetime.combine(day, end) - datetime.combine(day, start)).total_seconds()
        for start, end in periods
    )
    return Decimal(int(seconds)) / 3600


def legal_hours(
    amount: int | None, unit: str, hours_per_day: Decimal = DEFAULT_HOURS_PER_DAY
) -> Decimal:
    """The legal processing time in working hours. 0 (same day) shares one working day."""
    if amount is None:
        raise WorkflowRuleError(
            "Thủ tục chưa có thời hạn giải quyết; hãy nhập thời hạn trước khi lập quy trình."
        )
    if unit not in UNIT_LABELS:
        raise WorkflowRuleError(f"Đơn vị thời gian không hợp lệ: {unit!r}.")
    if amount == 0:
        return Decimal(hours_per_day)
    return Decimal(amount) * (Decimal(hours_per_day) if unit == DAYS else 1)


def describe_legal_time(amount: int | None, unit: str) -> str:
    if amount is None:
        return "chưa xác định"
    if amount == 0:
        return "trong ngày"
    return f"{amount} {UNIT_LABELS.get(unit, unit)}"


def _fmt_hours(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def check_step_hours(
    step_hours: Sequence[Decimal],
    amount: int | None,
    unit: str,
    hours_per_day: Decimal = DEFAULT_HOURS_PER_DAY,
) -> None:
    """Raise ``WorkflowRuleError`` unless the steps add up exactly to the legal time."""
    expected = legal_hours(amount, unit, hours_per_day)
    if not step_hours:
        raise WorkflowRuleError("Quy trình phải có ít nhất một bước.")
    for index, hours in enumerate(step_hours, start=1):
        if hours <= 0 or (hours / HALF_HOUR) % 1 != 0:
            raise WorkflowRuleError(
                f"Bước {index}: thời gian phải lớn hơn 0 và là bội số của 0,5 giờ "
                f"(đang là {_fmt_hours(hours)} giờ)."
            )
    total = sum(step_hours, Decimal(0))
    if total != expected:
        raise WorkflowRuleError(
            f"Tổng thời gian các bước là {_fmt_hours(total)} giờ làm việc, nhưng thời hạn "
            f"giải quyết là {describe_legal_time(amount, unit)} "
            f"({_fmt_hours(expected)} giờ làm việc)."
        )


def _round_half(value: Decimal) -> Decimal:
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def default_workflow_steps(
    amount: int | None, unit: str, hours_per_day: Decimal = DEFAULT_HOURS_PER_DAY
) -> list[StepSpec]:
    """Reception → specialist → leader → return, sized to the legal time.

    Reception, leader and return each get 1/8 of the total (rounded to 0.5 h, at least 0.5 h);
    the specialist gets the rest, so the steps always sum exactly to the legal time.
    """
    total = legal_hours(amount, unit, hours_per_day)
    share = max(HALF_HOUR, _round_half(total / 8))
    specialist = total - 3 * share
    if specialist < HALF_HOUR:
        raise WorkflowRuleError(
            f"Thời hạn {_fmt_hours(total)} giờ quá ngắn để chia thành 4 bước; "
            "hãy lập quy trình thủ công."
        )
    return [
        StepSpec("Tiếp nhận hồ sơ", RECEPTION, share, RECEIVING),
        StepSpec("Thẩm định, xử lý hồ sơ", SPECIALIST, specialist, DECIDING),
        StepSpec("Lãnh đạo phê duyệt", LEADER, share, DECIDING),
        StepSpec("Trả kết quả", RETURN, share, RECEIVING),
    ]


# --- the 2021 reference CSV ------------------------------------------------------------------


def split_unconfirmed(value: str) -> tuple[str, bool]:
    """``"3?"`` → ``("3", True)``; ``"?"`` → ``("", True)``; ``"3"`` → ``("3", False)``."""
    value = value.strip()
    if value.endswith("?"):
        return value[:-1].strip(), True
    return value, False


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    originals: int = 1
    copies: int = 0
    present_only: bool = False
    mandatory: bool = True


def split_documents(text: str) -> list[str]:
    """Split on ``;`` outside parentheses ("(nếu ủy quyền; được chứng thực …)" stays whole)."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == ";" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


_PRESENT_ALONE = re.compile(r"\s*\(xuất trình\)", re.IGNORECASE)  # "… (xuất trình)"
_PRESENT_TAIL = re.compile(r",\s*xuất trình\)", re.IGNORECASE)  # "(nếu có, xuất trình)"
_OPTIONAL = re.compile(r"\(nếu\b", re.IGNORECASE)
_COUNT = re.compile(r"^0*(\d+)\s+bộ\b", re.IGNORECASE)


def parse_document(text: str) -> DocumentSpec:
    """Read the CSV's conventions: "(xuất trình)" = shown, not submitted; "(nếu …" = optional;
    "Bản sao"/"Bản chụp" = one copy; "02 bộ …" = that many originals."""
    present_only = bool(_PRESENT_ALONE.search(text) or _PRESENT_TAIL.search(text))
    name = _PRESENT_TAIL.sub(")", _PRESENT_ALONE.sub("", text)).strip()
    mandatory = not _OPTIONAL.search(name)
    lowered = name.lower()
    originals, copies = 1, 0
    if lowered.startswith(("bản sao", "bản chụp")):
        originals, copies = 0, 1
    elif match := _COUNT.match(name):
        originals = int(match.group(1))
    return DocumentSpec(name, originals, copies, present_only, mandatory)
