"""The Decision 766 service index as one reviewed table, and its scoring (no ORM).

Every row is one indicator of ``kpi-766.md`` (its code as the spec numbers it, the portal's
metric key, names, group, maximum points, target and zero-denominator rule) with the section of
the spec it comes from. ``score_index`` turns the counts the query layer gathered
(numerator/denominator per code) into points, exactly as kpi-766.md §0.2–0.3 say:

    pts = min(max, max × ratio / target)           when the denominator is > 0
        = ZERO_RULE                                 when it is 0 (0, null = N/A, or max)

in ``Decimal``; each indicator is rounded HALF_UP to 2 decimals, a group is the rounded sum of
its rounded indicators, the total the sum of the groups. An indicator whose inputs motcua does
not record yet (``Counts`` with ``None``) scores N/A and names what is missing: never invented.

The ⚠ choices of the spec are switches (``ScoringOptions``, environment variables in
``motcua.config``); the defaults follow the portal where it was observed, else DOCX. They are
listed in docs/statistics-index766.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from motcua.stats.types import (
    Counts,
    GroupResult,
    IndexResult,
    IndicatorResult,
    Period,
    Scope,
)

CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")  # a ratio is shown as a percentage with 2 decimals
ZERO = Decimal(0)
ONE = Decimal(1)


class ZeroRule(StrEnum):
    """What an indicator scores when its denominator is 0 (kpi-766.md §0.2, §7)."""

    ZERO = "0"  # score 0 (ratio shown as 0)
    NULL = "null"  # N/A: no ratio, no score; counts 0 in the group
    MAX = "max"  # full marks


@dataclass(frozen=True)
class Group:
    key: str
    name_vi: str
    name_en: str
    max: Decimal
    endpoint: str  # the portal's reporting endpoint
    spec_ref: str


@dataclass(frozen=True)
class Indicator:
    code: str  # as kpi-766.md numbers them
    key: str  # the portal's metric code, or the API fields of the ratio where it has none
    name_vi: str
    name_en: str
    group: str
    max: Decimal
    target: Decimal
    zero_rule: ZeroRule
    spec_ref: str
    scored: bool = True  # False: informational only (2.2, 5.1), max 0, score None


GROUPS: tuple[Group, ...] = (
    Group(
        "transparency",
        "Công khai, minh bạch",
        "Transparency",
        Decimal(18),
        "/reporting/evaluation/transparency",
        "kpi-766.md §0.1, §1",
    ),
    Group(
        "progress",
        "Tiến độ giải quyết",
        "Processing progress",
        Decimal(20),
        "/dvc-progress-tree",
        "kpi-766.md §0.1, §2",
    ),
    Group(
        "online",
        "Dịch vụ công trực tuyến",
        "Online public services",
        Decimal(12),
        "/provide-online-tree",
        "kpi-766.md §0.1, §3",
    ),
    Group(
        "payment",
        "Thanh toán trực tuyến",
        "Online payment",
        Decimal(10),
        "/formality-online-payment-tree",
        "kpi-766.md §0.1, §4",
    ),
    Group(
        "satisfaction",
        "Mức độ hài lòng",
        "Satisfaction",
        Decimal(18),
        "/handling-satisfaction",
        "kpi-766.md §0.1, §5",
    ),
    Group(
        "digitisation",
        "Số hoá hồ sơ",
        "Digitisation",
        Decimal(22),
        "/dossier-digitized",
        "kpi-766.md §0.1, §6",
    ),
)
GROUP_BY_KEY = {g.key: g for g in GROUPS}

D = Decimal
_N, _Z, _M = ZeroRule.NULL, ZeroRule.ZERO, ZeroRule.MAX

INDICATORS: tuple[Indicator, ...] = (
    # -- transparency (18): linear, N/A on a zero denominator; 1.1–1.3 province-level --------
    Indicator(
        "1.1",
        "PUBLISH_ON_TIME",
        "Tỷ lệ TTHC công bố đúng hạn",
        "Procedures announced on time",
        "transparency",
        D(6),
        ONE,
        _N,
        "kpi-766.md §1.1",
    ),
    Indicator(
        "1.2",
        "PUBLIC_UPDATE_ON_TIME",
        "Tỷ lệ TTHC được cập nhật, công khai đúng hạn",
        "Procedures updated and published on the national database on time",
        "transparency",
        D(4),
        ONE,
        _N,
        "kpi-766.md §1.2",
    ),
    Indicator(
        "1.3",
        "PUBLIC_CONTENT_FULL",
        "Tỷ lệ TTHC công khai có đầy đủ nội dung bộ phận tạo thành",
        "Procedures published with all constituent parts",
        "transparency",
        D(2),
        ONE,
        _N,
        "kpi-766.md §1.3",
    ),
    Indicator(
        "1.4",
        "DOSSIER_SYNC",
        "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG",
        "Dossiers synchronised to the national portal",
        "transparency",
        D(6),
        ONE,
        _N,  # the prior-year BCQG fallback is an input (the denominator); no data → N/A
        "kpi-766.md §1.4, §7",
    ),
    # -- progress (20) -----------------------------------------------------------------------
    Indicator(
        "2.1",
        "totalOnTime/totalReceived",
        "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
        "Dossiers handled early or on time (in progress included)",
        "progress",
        D(20),
        ONE,
        _Z,
        "kpi-766.md §2.1",
    ),
    Indicator(
        "2.2",
        "avgProcessingDays",
        "Thời gian giải quyết TTHC trung bình",
        "Average processing time (working days)",
        "progress",
        ZERO,
        ONE,
        _N,
        "kpi-766.md §2.2",
        scored=False,
    ),
    # -- online services (12): the 2/4/6 reconstruction --------------------------------------
    Indicator(
        "3.1",
        "(partialCount+fullCount)/authorityCount",
        "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến",
        "Procedures offered as online public services",
        "online",
        D(2),
        D("0.80"),
        _Z,
        "kpi-766.md §3, 3.1",
    ),
    Indicator(
        "3.2",
        "onlineDossierCount/onlineServiceTotal",
        "Tỷ lệ DVCTT có phát sinh hồ sơ",
        "Online services that received dossiers",
        "online",
        D(4),
        ONE,
        _Z,
        "kpi-766.md §3, 3.2",
    ),
    Indicator(
        "3.3",
        "channelOnlineSum/channelTotalSum",
        "Tỷ lệ hồ sơ TTHC theo hình thức nộp trực tuyến",
        "Share of dossiers submitted online",
        "online",
        D(6),
        D("0.50"),
        _Z,
        "kpi-766.md §3, 3.3",
    ),
    # -- online payment (10): 2 + 2 + 6 ------------------------------------------------------
    Indicator(
        "3.5",
        "totalFeeDossierFormality/totalFeeFormality",
        "Tỷ lệ TTHC có yêu cầu nghĩa vụ tài chính được tích hợp thanh toán trên Cổng DVCQG",
        "Fee-bearing procedures with payment integrated on the national portal",
        "payment",
        D(2),
        D("0.80"),
        _Z,
        "kpi-766.md §4, 3.5",
    ),
    Indicator(
        "3.5b",
        "totalDossierOnlineFormalityPaymentSuccess/totalFeeDossierFormalityDistinct",
        "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến",
        "Fee-bearing procedures with at least one online payment",
        "payment",
        D(2),
        D("0.80"),
        _Z,
        "kpi-766.md §4, 3.5b",
    ),
    Indicator(
        "3.6",
        "totalDossierOnlinePaymentSuccess/totalDossierFinancialObligation",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        "Dossiers paid online",
        "payment",
        D(6),
        ONE,
        _Z,
        "kpi-766.md §4, 3.6",
    ),
    # -- satisfaction (18) -------------------------------------------------------------------
    Indicator(
        "5.1",
        "PETITION_CLASSIFICATION_TTHC",
        "Tỷ lệ PAKN theo phân loại (quy định, TTHC)",
        "Petitions about regulations and procedures (share)",
        "satisfaction",
        ZERO,
        ONE,
        _N,
        "kpi-766.md §5.1",
        scored=False,
    ),
    Indicator(
        "5.2",
        "PETITION_PROCESSING_ON_TIME",
        "Tỷ lệ PAKN xử lý đúng hạn",
        "Petitions handled on time (in progress within deadline included)",
        "satisfaction",
        D(6),
        ONE,
        _M,
        "kpi-766.md §5.2",
    ),
    Indicator(
        "5.3",
        "PETITION_HANDLING_SATISFACTION",
        "Tỷ lệ hài lòng trong xử lý PAKN",
        "Satisfaction with petition handling",
        "satisfaction",
        D(6),
        ONE,
        _M,
        "kpi-766.md §5.3",
    ),
    Indicator(
        "5.4",
        "DOSSIER_RECEIVING_SATISFACTION",
        "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
        "Satisfaction with dossier reception and handling",
        "satisfaction",
        D(6),
        D("0.90"),
        _Z,
        "kpi-766.md §5.4",
    ),
    # -- digitisation (22): N/A on a zero denominator ----------------------------------------
    Indicator(
        "4.1",
        "ORIGINAL_RESULT_AVAILABLE",
        "Tỷ lệ hồ sơ có cấp kết quả giải quyết TTHC điện tử",
        "Dossiers with an electronic result",
        "digitisation",
        D(6),
        ONE,
        _N,
        "kpi-766.md §6, 4.1",
    ),
    Indicator(
        "4.2",
        "SO_HOA_GIAY_TO_GIAI_QUYET",
        "Tỷ lệ hồ sơ TTHC thực hiện số hoá hồ sơ",
        "Dossiers digitised",
        "digitisation",
        D(4),
        ONE,  # portal: linear; DOCX: full at 80 % (STATS_766_DIGITISED_TARGET)
        _N,
        "kpi-766.md §6, 4.2",
    ),
    Indicator(
        "4.3",
        "REUSED_DIGITIZED_DATA",
        "Tỷ lệ hồ sơ khai thác, sử dụng lại thông tin, dữ liệu số hoá",
        "Dossiers reusing digitised data",
        "digitisation",
        D(2),
        D("0.80"),
        _N,
        "kpi-766.md §6, 4.3",
    ),
    Indicator(
        "4.4",
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
        "Tỷ lệ hồ sơ số hoá có kết nối, chia sẻ dữ liệu phục vụ tái sử dụng",
        "Digitised dossiers linked to the citizen's store on the national portal",
        "digitisation",
        D(4),
        ONE,
        _N,
        "kpi-766.md §6, 4.4",
    ),
    Indicator(
        "4.5a",
        "CITIZEN_DATA_CONNECTED_FORMALITY",
        "Tỷ lệ TTHC triển khai kết nối, chia sẻ dữ liệu dân cư",
        "Procedures using population-database data",
        "digitisation",
        D(2),
        ONE,
        _N,
        "kpi-766.md §6, 4.5a",
    ),
    Indicator(
        "4.5b",
        "CITIZEN_DATA_CONNECTED_DOSSIER",
        "Tỷ lệ hồ sơ TTHC sử dụng thông tin, dữ liệu từ CSDL quốc gia về dân cư",
        "Dossiers using population-database data",
        "digitisation",
        D(2),
        ONE,
        _N,
        "kpi-766.md §6, 4.5b",
    ),
    Indicator(
        "4.6",
        "ELECTRONIC_CERTIFIED_COPY",
        "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính",
        "Electronic certified-copy service",
        "digitisation",
        D(2),
        ONE,
        _N,
        "kpi-766.md §6, 4.6",
    ),
)
BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
TOTAL_MAX = sum((g.max for g in GROUPS), ZERO)


class CertifiedCopy(StrEnum):
    FIXED = "fixed"  # 2 points for every unit, as the portal shows (observed)
    METRICS = "metrics"  # communes offering the service / all communes under the unit


class OnlineOfferChildren(StrEnum):
    ZERO = "zero"  # the portal scores 3.1 at 0 for every child unit (observed)
    SCORED = "scored"  # score the child's counts like the root's


@dataclass(frozen=True)
class ScoringOptions:
    """The ⚠ switches of kpi-766.md; the defaults are the portal-matching choices."""

    sync_factor: bool = True  # 3.3: ratio × the unit's 1.4 sync rate (DOCX)
    digitised_target: Decimal = ONE  # 4.2: linear (portal); Decimal("0.80") = DOCX variant
    certified_copy: CertifiedCopy = CertifiedCopy.FIXED  # 4.6
    online_offer_children: OnlineOfferChildren = OnlineOfferChildren.ZERO  # 3.1

    @classmethod
    def from_settings(cls) -> ScoringOptions:
        """The options configured in the environment (``STATS_766_*``, motcua.config)."""
        from django.conf import settings

        return cls(
            sync_factor=getattr(settings, "MOTCUA_STATS_766_SYNC_FACTOR", True),
            digitised_target=Decimal(getattr(settings, "MOTCUA_STATS_766_DIGITISED_TARGET", 1)),
            certified_copy=CertifiedCopy(
                getattr(settings, "MOTCUA_STATS_766_CERTIFIED_COPY", CertifiedCopy.FIXED)
            ),
            online_offer_children=OnlineOfferChildren(
                getattr(
                    settings, "MOTCUA_STATS_766_ONLINE_OFFER_CHILDREN", OnlineOfferChildren.ZERO
                )
            ),
        )


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def points(maximum: Decimal, ratio: Decimal, target: Decimal) -> Decimal:
    """``min(max, max × ratio / target)`` rounded HALF_UP to 2 decimals (kpi-766.md §0.2)."""
    return round2(min(maximum, maximum * ratio / target))


def _ratio(numerator: int, denominator: int) -> Decimal:
    return Decimal(numerator) / Decimal(denominator)


def _shown(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else ratio.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def _sync_rate(counts: Mapping[str, Counts]) -> Decimal | None:
    sync = counts.get("1.4")
    if sync is None or sync.numerator is None or not sync.denominator:
        return None
    return min(ONE, _ratio(sync.numerator, sync.denominator))


def _check(code: str, c: Counts) -> None:
    for value in (c.numerator, c.denominator):
        if value is not None and value < 0:
            raise ValueError(f"766 indicator {code}: negative count {value}")


def score_indicator(
    ind: Indicator,
    c: Counts | None,
    *,
    is_root: bool,
    options: ScoringOptions,
    counts: Mapping[str, Counts] | None = None,
) -> IndicatorResult:
    """One indicator's result from its counts (``counts``: all inputs, for 3.3's sync rate)."""
    c = c if c is not None else Counts(None, None, missing=(f"{ind.code}: chưa có số liệu",))
    _check(ind.code, c)
    base = {
        "code": ind.code,
        "key": ind.key,
        "name_vi": ind.name_vi,
        "name_en": ind.name_en,
        "numerator": c.numerator,
        "denominator": c.denominator,
        "max": ind.max,
        "missing": c.missing,
        "note": c.note,
    }
    notes = [c.note] if c.note else []

    def result(ratio: Decimal | None, score: Decimal | None, **extra) -> IndicatorResult:
        return IndicatorResult(
            **{**base, "note": "; ".join(notes), **extra},
            ratio=_shown(ratio),
            score=score,
            scored=ind.scored,
        )

    if not ind.scored:  # informational: a ratio (2.2: an average) but no points
        ratio = (
            _ratio(c.numerator, c.denominator)
            if c.numerator is not None and c.denominator
            else None
        )
        return result(ratio, None)

    if ind.code == "4.6" and options.certified_copy == CertifiedCopy.FIXED:
        notes.append("Cổng DVCQG luôn chấm 2 điểm cho mọi đơn vị (quan sát); portal constant")
        return result(ONE, round2(ind.max), numerator=None, denominator=None, missing=())

    if c.denominator is None:  # the inputs are not recorded: N/A, never invented
        return result(None, None)
    if c.denominator == 0:
        if ind.zero_rule == ZeroRule.ZERO:
            return result(ZERO, round2(ZERO))
        if ind.zero_rule == ZeroRule.MAX:
            return result(None, round2(ind.max))
        return result(None, None)
    if c.numerator is None:
        return result(None, None)

    ratio = _ratio(c.numerator, c.denominator)
    if ratio > ONE:
        notes.append("tử số lớn hơn mẫu số: tỷ lệ tính tối đa 100 %")
        ratio = ONE
    target = ind.target
    if ind.code == "4.2":
        target = options.digitised_target
    if ind.code == "3.3" and options.sync_factor:
        rate = _sync_rate(counts or {})
        if rate is None:
            notes.append("chưa có tỷ lệ đồng bộ (1.4): chưa nhân hệ số đồng bộ")
            base["missing"] = (*c.missing, "1.4: tỷ lệ đồng bộ hồ sơ")
        else:
            ratio = ratio * rate
    children_zero = options.online_offer_children == OnlineOfferChildren.ZERO
    if ind.code == "3.1" and not is_root and children_zero:
        notes.append("đơn vị cấp dưới: Cổng DVCQG chấm 0 điểm (quan sát)")
        return result(ratio, round2(ZERO))
    return result(ratio, points(ind.max, ratio, target))


def score_index(
    counts: Mapping[str, Counts],
    *,
    scope: Scope,
    period: Period,
    received_only: bool,
    provisional: bool,
    is_root: bool,
    options: ScoringOptions | None = None,
) -> IndexResult:
    """The whole index from the counts per indicator code (missing codes score N/A).

    ``is_root``: the scope is the province (root) unit; 3.1 scores 0 for other units.
    ``options``: the ⚠ switches; ``None`` reads them from the settings.
    """
    unknown = set(counts) - set(BY_CODE)
    if unknown:
        raise ValueError(f"unknown 766 indicator code(s): {', '.join(sorted(unknown))}")
    opts = options if options is not None else ScoringOptions.from_settings()
    groups: list[GroupResult] = []
    for group in GROUPS:
        results = tuple(
            score_indicator(ind, counts.get(ind.code), is_root=is_root, options=opts, counts=counts)
            for ind in INDICATORS
            if ind.group == group.key
        )
        score = round2(sum((r.score for r in results if r.score is not None), ZERO))
        groups.append(
            GroupResult(group.key, group.name_vi, group.name_en, group.max, score, results)
        )
    total = sum((g.score for g in groups), ZERO).quantize(CENT)
    return IndexResult(
        scope=scope,
        period=period,
        received_only=received_only,
        provisional=provisional,
        total=total,
        max=TOTAL_MAX,
        groups=tuple(groups),
    )
