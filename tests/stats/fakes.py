"""Hand-made figures in the shapes of ``stats.types``, for the exporters' tests (the exports
read only these types, so the numbers can be chosen to make every column distinct)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.stats.types import (
    DossierFigures,
    GroupResult,
    IndexResult,
    IndicatorResult,
    Period,
    Row,
    SatisfactionFigures,
    Scope,
)

PERIOD = Period(dt.date(2021, 1, 1), dt.date(2021, 9, 30), "9 tháng 2021")


def figures(k: int = 1) -> DossierFigures:
    return DossierFigures(
        received_by_channel={
            "desk": 10 * k, "kiosk": 1 * k, "post": 2 * k,
            "city_portal": 5 * k, "national_portal": 3 * k,
        },
        received=21 * k, carried_over=4 * k,
        settled_early=7 * k, settled_on_time=6 * k, settled_late=2 * k, refused=1 * k,
        withdrawn=1 * k, stopped=0, in_progress_within=8 * k, in_progress_overdue=3 * k,
        avg_processing_wd=Decimal("3.50"), median_processing_wd=Decimal("3.00"),
        online_received=8 * k, paid_online=2 * k, fee_bearing=4 * k, digitised=9 * k,
        electronic_results=5 * k,
    )  # fmt: skip


def rows() -> list[Row]:
    return [
        Row("000.00.02.H13", "Sở Giao thông vận tải", "Department of Transport", figures(1)),
        Row("000.00.21.H13", "Ủy ban nhân dân quận Ninh Kiều", "Ninh Kieu District", figures(2)),
    ]


def index_result() -> IndexResult:
    ind = IndicatorResult(
        code="2.1", key="DVC_PROGRESS", name_vi="Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
        name_en="Dossiers handled early or on time", numerator=45, denominator=50,
        ratio=Decimal("0.9"), score=Decimal("18.00"), max=Decimal("20"),
    )  # fmt: skip
    sync = IndicatorResult(
        code="1.4", key="DOSSIER_SYNC", name_vi="Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG",
        name_en="Dossiers synchronised", numerator=None, denominator=None, ratio=None,
        score=None, max=Decimal("6"), missing=("national_synced_at",),
    )  # fmt: skip
    return IndexResult(
        scope=Scope("000.00.00.H13"),
        period=PERIOD,
        received_only=False,
        provisional=False,
        total=Decimal("18.00"),
        max=Decimal("100"),
        groups=(
            GroupResult("transparency", "Công khai, minh bạch", "Transparency", Decimal("18"),
                        Decimal("0"), (sync,)),
            GroupResult("progress", "Tiến độ giải quyết", "Progress", Decimal("20"),
                        Decimal("18.00"), (ind,)),
        ),
    )  # fmt: skip


def satisfaction(k: int = 1) -> SatisfactionFigures:
    return SatisfactionFigures(
        by_level={"very_satisfied": 5 * k, "satisfied": 3 * k, "not_satisfied": 2 * k},
        by_channel={"kiosk": {"very_satisfied": 5 * k}, "online": {"satisfied": 3 * k}},
        total=10 * k,
    )
