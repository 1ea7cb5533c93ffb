"""The shapes every statistics reader shares (web, API, CLI, exports): one query layer, one
set of types, so the same numbers appear everywhere.

The query layer (``stats.queries``) returns these; nothing outside ``stats`` builds them.
Counts are plain ints; rates, scores and working-day averages are ``Decimal`` (never float),
and ``None`` means "not applicable / no data", which is never shown as 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar days in Asia/Ho_Chi_Minh. The cut-off C of kpi-766.md
    §0.5 is 23:59:59 of ``end`` (or now, while the period is still open: ``provisional``)."""

    start: dt.date
    end: dt.date
    label: str = ""  # Vietnamese ("Quý III/2021")
    # added by h-score (stats.periods): the spec it was parsed from ("2021-Q3"), its kind
    # (year, month, quarter, half, report, range) and the English label
    key: str = ""
    kind: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class Scope:
    """Whose figures: one agency (by code), with or without its subordinate units."""

    agency_code: str
    subtree: bool = True


@dataclass(frozen=True)
class DossierFigures:
    """§2 dossier figures for one scope and period (the columns of the TTHC processing report).

    ``carried_over``: received before the period and not ended at its start. ``settled_*``:
    decided (approved or refused) within the period, by the due date (early = before the due
    day, on time = on it, late = after). ``in_progress_*``: received, not ended at the cut-off.
    """

    received_by_channel: dict[str, int]  # dossiers.Channel value → count received in period
    received: int
    carried_over: int
    settled_early: int
    settled_on_time: int
    settled_late: int
    refused: int  # of the settled, decided as a refusal (Form 03 after processing)
    withdrawn: int
    stopped: int
    in_progress_within: int
    in_progress_overdue: int
    avg_processing_wd: Decimal | None  # working days, settled dossiers of the period
    median_processing_wd: Decimal | None
    online_received: int
    paid_online: int
    fee_bearing: int  # received dossiers with a fee to pay (denominator of the paid share)
    digitised: int
    electronic_results: int

    @property
    def settled(self) -> int:
        return self.settled_early + self.settled_on_time + self.settled_late


@dataclass(frozen=True)
class Row:
    """One line of a breakdown (per procedure, field, agency or officer)."""

    key: str
    label_vi: str
    label_en: str
    figures: object  # DossierFigures, FeedbackFigures or SatisfactionFigures


@dataclass(frozen=True)
class FeedbackFigures:
    """§2 1022 feedback figures: received in the period by channel and category, handled on
    time / late, in progress at the cut-off, answers published."""

    received_by_channel: dict[str, int]
    received_by_category: dict[str, int]
    received: int
    handled_on_time: int
    handled_late: int
    in_progress: int
    published: int


@dataclass(frozen=True)
class SatisfactionFigures:
    """Ratings given in the period by level (ratings.Level value → count), and by channel."""

    by_level: dict[str, int]
    by_channel: dict[str, dict[str, int]]  # ratings.Rating.Channel value → level → count
    total: int


@dataclass(frozen=True)
class Counts:
    """The inputs of one indicator: numerator and denominator, or None where motcua cannot
    have the data yet. ``missing`` names the inputs not recorded (shown, never invented)."""

    numerator: int | None
    denominator: int | None
    missing: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class IndicatorResult:
    code: str  # as kpi-766.md numbers them: "1.1" … "5.4", "4.5a", "4.5b"
    key: str  # the portal's metric code where it has one, e.g. "DOSSIER_RECEIVING_SATISFACTION"
    name_vi: str
    name_en: str
    numerator: int | None
    denominator: int | None
    ratio: Decimal | None  # a fraction (0.8825), not a percentage
    score: Decimal | None  # HALF_UP to 2 decimals; None = N/A (counts 0 in the group)
    max: Decimal
    scored: bool = True  # False for informational indicators (2.2, 5.1)
    missing: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class GroupResult:
    key: str  # transparency, progress, online, payment, satisfaction, digitisation
    name_vi: str
    name_en: str
    max: Decimal
    score: Decimal
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class IndexResult:
    scope: Scope
    period: Period
    received_only: bool  # True: the HANDLED universe without carry-over (kpi-766.md §0.6)
    provisional: bool  # the period has not ended yet ("tạm tính")
    total: Decimal
    max: Decimal
    groups: tuple[GroupResult, ...] = field(default_factory=tuple)
