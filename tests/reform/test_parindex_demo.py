"""The demo PAR index: the seed's bands (S8) come out of scores entered through the workflow."""

from __future__ import annotations

import pytest

from motcua.agencies import demo as agencies_demo
from motcua.core.audit import ChangeEvent
from motcua.core.demo import DemoRun
from motcua.reform import demo as reform_demo
from motcua.reform import index_demo, index_queries
from motcua.reform.index_rules import Status, Tier
from motcua.reform.models import Assessment, Scheme


@pytest.fixture
def demo_index(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run = DemoRun(log=lambda _m: None)
    agencies_demo.load(run)
    reform_demo.load(run)  # the reform office and its officer
    index_demo.load_history(run)
    return run


def test_the_demo_bands_are_the_seeds_through_the_workflow(demo_index):
    departments = Scheme.objects.get(year=2020, tier=Tier.DEPARTMENT)
    districts = Scheme.objects.get(year=2020, tier=Tier.DISTRICT)
    assert departments.is_demo and districts.is_demo
    assert index_queries.band_counts(departments) == [
        ("Tốt", 11),
        ("Khá", 8),
        ("Trung bình", 0),
        ("Yếu", 1),
    ]
    assert index_queries.band_counts(districts) == [
        ("Tốt", 0),
        ("Khá", 5),
        ("Trung bình", 4),
        ("Yếu", 0),
    ]
    rows = index_queries.results(departments)
    assert [r.rank for r in rows] == sorted(r.rank for r in rows) and rows[0].rank == 1
    assert all(r.status == Status.PUBLISHED for r in rows)
    # every unit self-assessed, was appraised, some explained; every change is audited
    assert Assessment.objects.filter(status=Status.PUBLISHED).count() == 29
    actions = set(ChangeEvent.objects.values_list("action", flat=True))
    assert {
        "reform.parindex.scheme",
        "reform.parindex.score",
        "reform.parindex.transition",
        "reform.parindex.explanation",
        "reform.parindex.survey",
    } <= actions
    explained = ChangeEvent.objects.filter(
        action="reform.parindex.transition", data__after=Status.EXPLAINED
    ).count()
    assert explained == 10  # every third unit of each tier disputed round 1
    before = ChangeEvent.objects.count()
    index_demo.load_history(demo_index)
    assert ChangeEvent.objects.count() == before
