"""Automatic PAR index criteria through the real statistics query layer (motcua.stats):
dossiers handled through the dossier services, then the named source turns them into points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from motcua.accounts.models import User
from motcua.core.audit import ChangeEvent
from motcua.reform import index_services, index_sources
from motcua.reform.index_rules import Kind, Method, Rule, Tier
from motcua.reform.index_services import AreaSpec, CriterionSpec, SchemeSpec, SubSpec
from motcua.reform.models import Score
from tests.stats.test_engine_worked import MARCH, march  # noqa: F401  (the worked month)


def test_on_time_rate_from_the_statistics_layer(march):  # noqa: F811
    # March: 3 dossiers settled, 2 early and 1 late (tests/stats/test_engine_worked.py)
    assert index_sources.SOURCES["dossier_on_time_rate"].compute(
        march.a.code, MARCH.start, MARCH.end
    ) == D(2) / D(3)
    assert (
        index_sources.SOURCES["dossier_on_time_rate"].compute(march.b.code, MARCH.start, MARCH.end)
        is None
    )  # nothing settled: nothing to measure
    office = User.objects.create_superuser(username="sonoivu", password="x-Secret-123")
    spec = SchemeSpec(
        year=2025,
        tier=Tier.COMMUNE,
        name="Bộ chỉ số xã 2025",
        bands=[("Tốt", D(80)), ("Khá", D(0))],
        areas=[
            AreaSpec(
                1,
                "Thủ tục hành chính",
                D(3),
                [
                    CriterionSpec(
                        "1.1",
                        "Giải quyết hồ sơ",
                        [
                            SubSpec(
                                "1.1.1",
                                "Tỷ lệ hồ sơ đúng hạn",
                                D(3),
                                Method.AUTO,
                                Kind.SCORE,
                                Rule.RATIO,
                                source="dossier_on_time_rate",
                            ),
                        ],
                    )
                ],
            )
        ],
    )
    scheme = index_services.import_scheme(by=office, spec=spec)
    index_services.open_assessments(by=office, scheme_id=scheme.pk, agencies=[march.a, march.b])
    assert (
        index_services.compute_automatic(
            by=office, scheme_id=scheme.pk, start=MARCH.start, end=MARCH.end
        )
        == 1
    )
    points = dict(Score.objects.values_list("assessment__agency_id", "final_points"))
    assert points == {march.a.pk: D("2.00"), march.b.pk: None}  # 3 × 2/3
    event = ChangeEvent.objects.get(action="reform.parindex.auto")
    assert "0.6667" in event.data["why"] and dt.date(2025, 3, 1).isoformat() in event.data["why"]
