"""stats.catalog_inputs: 1.1–1.3, 3.1 and the procedure sets from a small hand-made catalogue."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalog.models import FeeLine, Procedure, RequiredDocument
from motcua.catalog.services import create_default_workflow
from motcua.stats import catalog_inputs as C
from motcua.stats.index766 import ScoringOptions, score_index
from motcua.stats.periods import parse_period
from motcua.stats.types import Scope
from tests.dossiers.conftest import make_world

Q1 = parse_period("2021-Q1", today=dt.date(2026, 11, 30))
PROVINCE = Scope("000.00.00.H13")
COMMUNE_A = Scope("000.01.21.H13")
COMMUNE_B = Scope("000.02.21.H13")
DISTRICT = Scope("000.00.21.H13")


def _procedure(w, code, **kw) -> Procedure:
    base = {"name_vi": f"Thủ tục {code}", "field": w.procedure.field, "at_commune": True,
            "processing_amount": 3, "processing_unit": "d"}  # fmt: skip
    return Procedure.objects.create(code=code, **(base | kw))


@pytest.fixture
def catalogue(db):
    w = make_world()
    # p1 (the world's): fee 8,000 đ, active workflow, no required document, no agency, offline
    p1 = w.procedure
    # p2: complete (all six checkable parts), full online, free, implemented by commune A
    p2 = _procedure(w, "2.000001", online_mode="full")
    RequiredDocument.objects.create(procedure=p2, name="Tờ khai")
    create_default_workflow(p2)
    p2.implementing_agencies.add(w.a)
    FeeLine.objects.create(procedure=p2, name="Lệ phí", amount_vnd=0)
    # p3: partial online, time not confirmed, fee of unknown amount, implemented by commune B
    p3 = _procedure(w, "2.000002", online_mode="partial")
    RequiredDocument.objects.create(procedure=p3, name="Đơn")
    create_default_workflow(p3)
    Procedure.objects.filter(pk=p3.pk).update(processing_amount=None, processing_unconfirmed=True)
    p3.implementing_agencies.add(w.b)
    FeeLine.objects.create(procedure=p3, name="Phí", amount_vnd=None, unconfirmed=True)
    # p4: complete but its workflow is a draft; fee 50,000 đ; implemented by commune A
    p4 = _procedure(w, "2.000003")
    RequiredDocument.objects.create(procedure=p4, name="Đơn")
    create_default_workflow(p4, activate=False)
    p4.implementing_agencies.add(w.a)
    FeeLine.objects.create(procedure=p4, name="Phí", amount_vnd=50_000)
    # p5: retired (inactive), fee-bearing, full online, implemented by commune A
    p5 = _procedure(w, "2.000004", online_mode="full", is_active=False)
    p5.implementing_agencies.add(w.a)
    FeeLine.objects.create(procedure=p5, name="Phí", amount_vnd=10_000)
    return w, {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5}


def test_province_inputs(catalogue):
    c = C.index_counts(PROVINCE, Q1)
    # 1.1 / 1.2: not recorded by motcua → N/A, with the missing inputs named
    assert c["1.1"].denominator is None and c["1.1"].missing == C.MISSING_1_1
    assert c["1.2"].denominator is None and c["1.2"].missing
    # 1.3: active p1–p4; complete: p2 only (p1 no documents / agency, p3 time unconfirmed,
    # p4 no active workflow); target subjects cannot be checked
    assert (c["1.3"].numerator, c["1.3"].denominator) == (1, 4)
    assert c["1.3"].missing == (C.MISSING_TARGET_SUBJECTS,)
    # 3.1: active p1–p4, offered online (partial or full): p2, p3
    assert (c["3.1"].numerator, c["3.1"].denominator) == (2, 4)


def test_children_inherit_transparency_and_count_their_own_catalogue(catalogue):
    a = C.index_counts(COMMUNE_A, Q1)
    assert (a["1.3"].numerator, a["1.3"].denominator) == (1, 4)  # the province's value
    assert (a["3.1"].numerator, a["3.1"].denominator) == (1, 2)  # p2, p4 (p5 inactive)
    b = C.index_counts(COMMUNE_B, Q1)
    assert (b["3.1"].numerator, b["3.1"].denominator) == (1, 1)  # p3
    d = C.index_counts(DISTRICT, Q1)
    assert (d["3.1"].numerator, d["3.1"].denominator) == (2, 3)  # p2, p3, p4
    assert C.index_counts(Scope("000.00.21.H13", subtree=False), Q1)["3.1"].denominator == 0


def test_drill_down_lists_incomplete_procedures(catalogue):
    _w, p = catalogue
    assert set(C.incomplete_procedures(COMMUNE_A)) == {p["p1"], p["p3"], p["p4"]}


def test_procedure_sets(catalogue):
    _w, p = catalogue
    # fee > 0 (a 0 line or a line of unknown amount does not count); active only by default
    assert C.fee_bearing_procedure_ids(PROVINCE) == {p["p1"].pk, p["p4"].pk}
    assert C.fee_bearing_procedure_ids(PROVINCE, active_only=False) == {
        p["p1"].pk, p["p4"].pk, p["p5"].pk,
    }  # fmt: skip
    assert C.fee_bearing_procedure_ids(COMMUNE_A) == {p["p4"].pk}
    assert C.fee_bearing_procedure_ids(COMMUNE_B) == set()
    # target subjects are not recorded: every procedure of the scope counts
    assert not C.CITIZEN_SUBJECTS_RECORDED
    assert C.citizen_procedure_ids(PROVINCE) == {p[k].pk for k in ("p1", "p2", "p3", "p4")}
    assert C.citizen_procedure_ids(COMMUNE_B) == {p["p3"].pk}


def test_scored_through_the_table(catalogue):
    r = score_index(C.index_counts(PROVINCE, Q1), scope=PROVINCE, period=Q1,
                    received_only=False, provisional=False, is_root=True,
                    options=ScoringOptions())  # fmt: skip
    transparency = next(g for g in r.groups if g.key == "transparency")
    # 1.3: 2 × 1/4 = 0.50; 1.1, 1.2, 1.4 N/A
    assert str(transparency.score) == "0.50"
    online = next(g for g in r.groups if g.key == "online")
    # 3.1: 2 × (2/4) / 0.8 = 1.25; 3.2, 3.3 not given
    assert str(online.score) == "1.25"
