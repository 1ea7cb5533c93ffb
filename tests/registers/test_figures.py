"""The registers' figures on the bulletin-2021 data set are the seed's (bulletin No. 02 of
Cần Thơ, January–September 2021), computed from records made through the services; adding one
record through a service moves the right figure by one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from motcua.agencies import demo as agencies_demo
from motcua.core import figures
from motcua.core.demo import DemoRun
from motcua.core.figures import FigureQuery
from motcua.core.models import ChangeEvent
from motcua.reform import demo as reform_demo
from motcua.registers import demo, services
from motcua.registers import figures as register_figures
from motcua.registers.models import OnlineMeeting
from tests.helpers import vacuum_after_rollback

SEED = {
    "registers.legal.appraised_resolution_drafts": 12,
    "registers.legal.appraised_resolution_proposals": 1,
    "registers.legal.appraised_decision_drafts": 23,
    "registers.legal.commented_central": 40,
    "registers.legal.commented_local": 38,
    "registers.legal.opinions_on_proposals": 27,
    "registers.legal.self_checked": 13,
    "registers.legal.self_checked_with_errors": 4,
    "registers.procedures.announcement_decisions": 52,
    "registers.procedures.simplified": 38,
    "registers.procedures.simplified_shorter_time": 29,
    "registers.procedures.simplified_fewer_documents": 7,
    "registers.procedures.workflow_decisions": 34,
    "registers.procedures.workflows_approved": 252,
    "registers.apparatus.units_established": 13,
    "registers.apparatus.units_dissolved": 3,
    "registers.apparatus.interagency_bodies": 111,
    "registers.apparatus.financial_mechanism_units": 52,
    "registers.staff.streamlined": 78,
    "registers.staff.streamlined_civil_servants": 4,
    "registers.staff.streamlined_public_employees": 69,
    "registers.staff.streamlined_contract": 5,
    "registers.civil_service.cadre_decisions": 50,
    "registers.civil_service.management_decisions": 69,
    "registers.civil_service.policy_cases": 1841,
    "registers.civil_service.recruitment_cases": 214,
    "registers.training.classes": 7,
    "registers.training.classes_specialist": 2,
    "registers.training.classes_principal": 2,
    "registers.training.classes_division_leader": 3,
    "registers.finance.autonomous_admin_units": 284,
    "registers.finance.autonomous_public_units": 539,
    "registers.meetings.total": 534,
    "registers.meetings.city": 200,
    "registers.meetings.district": 334,
    "registers.edoc.agencies_connected": 479,
    "registers.edoc.agencies_exchanging": 222,
    "registers.outside.national_portal_users": 699,
    "registers.outside.lgsp_databases": 3,
}
PERIOD = FigureQuery(dt.date(2021, 1, 1), dt.date(2021, 9, 30))


@pytest.fixture(scope="module")
def bulletin(django_db_setup, django_db_blocker):
    """The reference demo and the registers' 2021 data set, loaded once for the module and
    rolled back after it (each test runs in its own savepoint inside)."""
    with django_db_blocker.unblock(), transaction.atomic():
        run = DemoRun(log=lambda _: None)
        agencies_demo.load(run)  # the Cần Thơ agency tree
        reform_demo.load(run)  # the reform office and its officer, who files the records
        demo.load_bulletin_2021(run)
        yield
        transaction.set_rollback(True)
    vacuum_after_rollback(django_db_blocker)


def _values(query: FigureQuery = PERIOD) -> dict[str, object]:
    return {k: f.value for k, f in figures.collect(query, ["registers"]).items()}


def test_the_provider_returns_exactly_the_contract_keys():
    assert set(register_figures.KEYS) == set(SEED)
    assert "registers" in figures.providers()


def test_every_figure_is_the_seeds_on_the_2021_data_set(bulletin, db):
    assert _values() == SEED


def test_flow_and_stock_and_where_each_figure_comes_from(bulletin, db):
    found = figures.collect(PERIOD, ["registers"])
    assert found["registers.meetings.total"].kind == figures.FLOW
    assert found["registers.finance.autonomous_public_units"].kind == figures.STOCK
    assert found["registers.edoc.agencies_connected"].kind == figures.STOCK
    url = found["registers.legal.self_checked_with_errors"].drill_url
    assert url.startswith("/desk/registers/legal/?from=2021-01-01&to=2021-09-30")
    assert "kind=self_check" in url and "errors_found=1" in url
    # the earlier snapshot answers a period ending before the latest one
    mid = _values(FigureQuery(dt.date(2021, 1, 1), dt.date(2021, 7, 31)))
    assert mid["registers.edoc.agencies_connected"] == 452
    assert mid["registers.outside.national_portal_users"] == 650
    assert mid["registers.outside.lgsp_databases"] is None
    # before any record: flows are 0, snapshots unknown
    before = _values(FigureQuery(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    assert before["registers.meetings.total"] == 0
    assert before["registers.edoc.agencies_connected"] is None


def test_an_agency_scope_counts_its_subtree_only(bulletin, db):
    from motcua.agencies.models import Agency

    ninh_kieu = Agency.objects.get(local_ref="916")
    scoped = _values(FigureQuery(PERIOD.start, PERIOD.end, ninh_kieu.code))
    chaired = OnlineMeeting.objects.filter(
        agency__path__startswith=ninh_kieu.path, date__lte=PERIOD.end
    ).count()
    assert 0 < scoped["registers.meetings.district"] == chaired < 334
    assert scoped["registers.legal.self_checked"] == 0


def test_the_data_set_is_made_through_the_services_and_loads_once(bulletin, db):
    assert ChangeEvent.objects.filter(action="registers.meetings.create").count() == 534
    assert ChangeEvent.objects.filter(action="registers.meetings.import").count() == 1
    assert ChangeEvent.objects.filter(action="registers.legal.create").count() == 154
    before = ChangeEvent.objects.count()
    demo.load_bulletin_2021(DemoRun(log=lambda _: None))
    assert ChangeEvent.objects.count() == before


@pytest.mark.parametrize(
    ("register", "values", "key", "delta"),
    [
        (
            "legal",
            {"kind": "self_check", "errors_found": True, "title": "QĐ"},
            "self_checked_with_errors",
            1,
        ),
        (
            "simplification",
            {"procedure_name": "TTHC", "proposal": "fewer_documents", "adopted": True},
            "simplified_fewer_documents",
            1,
        ),
        ("workflows", {"number": "1/QĐ", "workflows": 1}, "workflows_approved", 1),
        ("streamlining", {"decision": "1/QĐ", "contract_workers": 1}, "streamlined_contract", 1),
        ("civil_service", {"kind": "policy_case", "count": 1}, "policy_cases", 1),
        ("training", {"kind": "principal", "title": "Lớp"}, "classes_principal", 1),
        ("autonomy", {"kind": "public_unit", "unit_name": "Trường"}, "autonomous_public_units", 1),
        ("meetings", {"level": "city", "title": "Họp"}, "city", 1),
        ("apparatus", {"kind": "dissolved", "unit_name": "Quỹ"}, "units_dissolved", 1),
    ],
)
def test_one_record_through_a_service_moves_its_figure_by_one(
    bulletin, db, register, values, key, delta
):
    from motcua.agencies.models import Agency

    by = reform_demo_officer()
    full = next(
        k for k in SEED if k.endswith("." + key) and k.split(".")[1] in key_groups(register)
    )
    before = _values()
    services.create_entry(
        by=by,
        register=register,
        values={
            "date": dt.date(2021, 9, 1),
            "agency": Agency.objects.get(local_ref="92.SNV"),
            **values,
        },
    )
    after = _values()
    changed = {k: after[k] - before[k] for k in SEED if after[k] != before[k]}
    assert changed[full] == delta
    # and only the figures that include this record moved
    assert all(v == 1 for v in changed.values())


def test_a_new_snapshot_replaces_the_figure_rather_than_adding(bulletin, db):
    from motcua.agencies.models import Agency

    services.create_entry(
        by=reform_demo_officer(),
        register="edoc",
        values={
            "date": dt.date(2021, 9, 20),
            "agency": Agency.objects.get(local_ref="92.STTTT"),
            "agencies_connected": 480,
            "agencies_exchanging": 230,
        },
    )
    after = _values()
    assert after["registers.edoc.agencies_connected"] == 480
    assert after["registers.edoc.agencies_exchanging"] == 230


def reform_demo_officer():
    from motcua.accounts.models import User

    return User.objects.get(username=reform_demo.OFFICER)


def key_groups(register: str) -> set[str]:
    return {
        "legal": {"legal"},
        "simplification": {"procedures"},
        "workflows": {"procedures"},
        "streamlining": {"staff"},
        "civil_service": {"civil_service"},
        "training": {"training"},
        "autonomy": {"finance"},
        "meetings": {"meetings"},
        "apparatus": {"apparatus"},
    }[register]
