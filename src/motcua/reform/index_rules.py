"""Pure rules of the PAR index (Chỉ số cải cách hành chính): no ORM, no clock.

The scheme itself (areas, criteria, sub-criteria, maxima, bands) is data, imported per year and
tier (reform/index_excel.py); only the *kinds* of rule a scheme may use live here:

- how a sub-criterion is assessed (``Method``: self-assessed then appraised, survey, automatic
  from motcua's own figures) and what it is (``Kind``: scored, bonus, penalty);
- how points are given (``Rule``: a level among full / partial / zero, any value within the
  maximum, or proportional to a ratio with the point at which it is full);
- totals: scored points + bonus (capped) − penalty (capped), kept within [0, maximum];
  index = points / maximum; each area's sub-index likewise;
- bands: the highest band whose cut-off the index reaches (labels and cut-offs are data);
- ranking within a tier: equal indexes share a rank, the next rank skips ("1, 2, 2, 4");
- the assessment workflow: a reviewed transition table, each row with who acts and its basis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.reform.rules import Conflict, InvalidInput

DECISION_1149 = "Quyết định 1149/QĐ-BNV ngày 30/12/2020 (Chỉ số CCHC)"
CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


class Tier(models.TextChoices):
    DEPARTMENT = "department", gettext_lazy("Sở, ban, ngành")
    DISTRICT = "district", gettext_lazy("Quận, huyện")
    COMMUNE = "commune", gettext_lazy("Xã, phường, thị trấn")


class Method(models.TextChoices):
    SELF = "self", gettext_lazy("Tự đánh giá, thẩm định")
    SURVEY = "survey", gettext_lazy("Điều tra xã hội học")
    AUTO = "auto", gettext_lazy("Tự động từ số liệu hệ thống")


class Kind(models.TextChoices):
    SCORE = "score", gettext_lazy("Điểm")
    BONUS = "bonus", gettext_lazy("Điểm thưởng")
    PENALTY = "penalty", gettext_lazy("Điểm trừ")


class Rule(models.TextChoices):
    LEVELS = "levels", gettext_lazy("Theo mức (đạt / đạt một phần / không đạt)")
    RANGE = "range", gettext_lazy("Từ 0 đến điểm tối đa")
    RATIO = "ratio", gettext_lazy("Tỷ lệ (điểm tối đa × tỷ lệ / ngưỡng đạt tối đa)")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_decimal(value: object) -> Decimal:
    """A number typed by a person or read from a spreadsheet ("7,5" or 7.5); InvalidInput else."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or value is None:
        raise InvalidInput(_("Giá trị phải là một số."))
    if isinstance(value, int | float):
        return Decimal(str(value))
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(_("Giá trị phải là một số.")) from None
    if not result.is_finite():
        raise InvalidInput(_("Giá trị phải là một số."))
    return result


def parse_levels(text: str) -> tuple[Decimal, ...]:
    """Levels as fractions of the maximum, e.g. "1; 0.5; 0" (full / partial / zero)."""
    parts = [p for p in text.replace(",", ";").split(";") if p.strip()] if text else []
    if not parts:
        return (Decimal(1), ZERO)  # full or zero
    levels = tuple(parse_decimal(p) for p in parts)
    if any(lv < 0 or lv > 1 for lv in levels):
        raise InvalidInput(_("Mức điểm là tỷ lệ của điểm tối đa, từ 0 đến 1."))
    return tuple(sorted(set(levels), reverse=True))


@dataclass(frozen=True)
class SubRule:
    """What the scoring rules need to know of a sub-criterion."""

    code: str
    max_points: Decimal
    kind: str = Kind.SCORE
    rule: str = Rule.RANGE
    levels: tuple[Decimal, ...] = (Decimal(1), ZERO)
    full_at: Decimal = Decimal(1)


def check_points(sub: SubRule, points: Decimal) -> Decimal:
    """A score given by a person: within [0, maximum], two decimals, on a level if the rule
    has levels. Bonus and penalty points are entered as positive amounts."""
    if points < 0 or points > sub.max_points:
        raise InvalidInput(
            _("Điểm của tiêu chí %(code)s phải từ 0 đến %(max)s.")
            % {"code": sub.code, "max": sub.max_points},
            fields={"points": "out_of_range"},
        )
    if points != q2(points):
        raise InvalidInput(
            _("Điểm chỉ có tối đa hai chữ số thập phân."), fields={"points": "precision"}
        )
    if sub.rule == Rule.LEVELS:
        allowed = {q2(sub.max_points * lv) for lv in sub.levels}
        if q2(points) not in allowed:
            shown = ", ".join(str(v) for v in sorted(allowed, reverse=True))
            raise InvalidInput(
                _("Tiêu chí %(code)s chỉ nhận các mức điểm: %(levels)s.")
                % {"code": sub.code, "levels": shown},
                fields={"points": "not_a_level"},
            )
    return q2(points)


def ratio_points(sub: SubRule, ratio: Decimal) -> Decimal:
    """Points from a ratio (0..1): maximum × ratio / full_at, never above the maximum
    (e.g. a survey satisfaction of 85 % with full points at 90 %: max × 0.85 / 0.9)."""
    if ratio < 0 or ratio > 1:
        raise InvalidInput(_("Tỷ lệ phải từ 0 đến 100%."), fields={"ratio": "out_of_range"})
    full_at = sub.full_at if sub.full_at > 0 else Decimal(1)
    return q2(min(sub.max_points, sub.max_points * ratio / full_at))


@dataclass(frozen=True)
class Total:
    scored: Decimal  # points of the scored sub-criteria
    bonus: Decimal  # after the cap
    penalty: Decimal  # after the cap
    points: Decimal  # scored + bonus − penalty, within [0, maximum]
    maximum: Decimal
    index: Decimal  # percent, two decimals


def percent(points: Decimal, maximum: Decimal) -> Decimal:
    return q2(points * HUNDRED / maximum) if maximum > 0 else ZERO


def total(
    scores: Iterable[tuple[SubRule, Decimal | None]],
    *,
    bonus_cap: Decimal,
    penalty_cap: Decimal,
) -> Total:
    """Totals of one unit. A sub-criterion with no score counts zero (a unit that proves
    nothing gets nothing); the maximum is the sum of the scored sub-criteria's maxima."""
    scored = bonus = penalty = maximum = ZERO
    for sub, points in scores:
        value = points or ZERO
        if sub.kind == Kind.BONUS:
            bonus += value
        elif sub.kind == Kind.PENALTY:
            penalty += value
        else:
            scored += value
            maximum += sub.max_points
    bonus = min(bonus, bonus_cap)
    penalty = min(penalty, penalty_cap)
    points = min(max(scored + bonus - penalty, ZERO), maximum)
    return Total(scored, bonus, penalty, q2(points), maximum, percent(points, maximum))


def band_for(index: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str:
    """The label of the highest band whose cut-off (percent) the index reaches; "" if none."""
    for label, cutoff in sorted(bands, key=lambda b: b[1], reverse=True):
        if index >= cutoff:
            return label
    return ""


def check_bands(bands: Sequence[tuple[str, Decimal]]) -> None:
    if not bands:
        raise InvalidInput(_("Bộ chỉ số phải có ít nhất một mức xếp loại."))
    labels = [label for label, _c in bands]
    cutoffs = [c for _l, c in bands]
    if len(set(labels)) != len(labels) or len(set(cutoffs)) != len(cutoffs):
        raise InvalidInput(_("Tên và ngưỡng của các mức xếp loại không được trùng nhau."))
    if any(c < 0 or c > HUNDRED for c in cutoffs):
        raise InvalidInput(_("Ngưỡng xếp loại phải từ 0 đến 100%."))


def rank(indexes: Sequence[tuple[object, Decimal]]) -> dict[object, int]:
    """Competition ranking within a tier: equal indexes share a rank ("1, 2, 2, 4")."""
    ordered = sorted(indexes, key=lambda item: item[1], reverse=True)
    ranks: dict[object, int] = {}
    previous: Decimal | None = None
    current = 0
    for position, (key, index) in enumerate(ordered, start=1):
        if index != previous:
            current, previous = position, index
        ranks[key] = current
    return ranks


# --- the assessment workflow ------------------------------------------------------------


class Status(models.TextChoices):
    SELF_ASSESSING = "self_assessing", gettext_lazy("Đơn vị đang tự đánh giá")
    SUBMITTED = "submitted", gettext_lazy("Đã gửi, chờ thẩm định")
    APPRAISED = "appraised", gettext_lazy("Đã thẩm định (vòng 1)")
    EXPLAINED = "explained", gettext_lazy("Đơn vị đã giải trình")
    FINAL = "final", gettext_lazy("Đã thẩm định chính thức")
    PUBLISHED = "published", gettext_lazy("Đã công bố")


class Actor(models.TextChoices):
    UNIT = "unit", gettext_lazy("Đơn vị được đánh giá")
    COUNCIL = "council", gettext_lazy("Hội đồng thẩm định")
    OFFICE = "office", gettext_lazy("Cơ quan thường trực CCHC")


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actor: str
    basis: str


_SELF = "đơn vị tự đánh giá, chấm điểm, kèm tài liệu kiểm chứng"
_APPRAISE = "Hội đồng thẩm định (Sở Nội vụ chủ trì) thẩm định kết quả tự đánh giá"
# Reviewed: the rounds as provinces run them under Decision 1149 (self-assessment with
# evidence → appraisal → the unit's explanation → final appraisal → announcement). A unit
# returned for missing evidence goes back to self-assessing; publishing is the office's act.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.SELF_ASSESSING, Status.SUBMITTED, Actor.UNIT, f"{DECISION_1149}: {_SELF}"),
    Transition(
        Status.SUBMITTED,
        Status.SELF_ASSESSING,
        Actor.COUNCIL,
        f"{DECISION_1149}: trả lại để bổ sung tài liệu kiểm chứng",
    ),
    Transition(Status.SUBMITTED, Status.APPRAISED, Actor.COUNCIL, f"{DECISION_1149}: {_APPRAISE}"),
    Transition(
        Status.APPRAISED,
        Status.EXPLAINED,
        Actor.UNIT,
        f"{DECISION_1149}: đơn vị giải trình, kiến nghị về kết quả thẩm định",
    ),
    Transition(
        Status.APPRAISED,
        Status.FINAL,
        Actor.COUNCIL,
        f"{DECISION_1149}: thẩm định chính thức (đơn vị không có kiến nghị)",
    ),
    Transition(
        Status.EXPLAINED,
        Status.FINAL,
        Actor.COUNCIL,
        f"{DECISION_1149}: thẩm định chính thức sau giải trình",
    ),
    Transition(
        Status.FINAL,
        Status.PUBLISHED,
        Actor.OFFICE,
        f"{DECISION_1149}: công bố kết quả Chỉ số CCHC",
    ),
)
_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def check_transition(current: str, new: str, actor: str) -> Transition:
    row = _BY_PAIR.get((current, new))
    if row is None:
        raise Conflict(
            _("Không thể chuyển từ “%(a)s” sang “%(b)s”.")
            % {"a": Status(current).label, "b": Status(new).label}
        )
    if row.actor != actor:
        raise Conflict(
            _("Bước “%(b)s” do %(who)s thực hiện.")
            % {"b": Status(new).label, "who": Actor(row.actor).label}
        )
    return row


def check_before_deadline(deadline: dt.date | None, today: dt.date) -> None:
    """The unit self-assesses and submits by the deadline (inclusive); the office may extend it."""
    if deadline is not None and today > deadline:
        raise Conflict(_("Đã quá hạn tự đánh giá (%(d)s).") % {"d": deadline.strftime("%d/%m/%Y")})


# which stage's score a person may write in each status
EDITABLE = {
    Status.SELF_ASSESSING: Actor.UNIT,
    Status.SUBMITTED: Actor.COUNCIL,  # the first appraisal
    Status.APPRAISED: Actor.UNIT,  # the unit's explanation (text only)
    Status.EXPLAINED: Actor.COUNCIL,  # the final appraisal
}
