"""Register services: every write checked, scoped, audited, in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.models import ChangeEvent
from motcua.registers import services
from motcua.registers.models import LegalDocument, ProcedureAnnouncement, StaffStreamlining
from motcua.registers.rules import InvalidInput, NotAllowed


def _legal(w, **extra):
    return {
        "date": dt.date(2021, 3, 1),
        "agency": w.justice,
        "kind": "self_check",
        "number": "5/2021/QĐ-UBND",
        "title": "Quyết định về phân cấp quản lý",
        **extra,
    }


def test_create_update_delete_are_audited_with_before_and_after(world):
    doc = services.create_entry(by=world.justice_officer, register="legal", values=_legal(world))
    created = ChangeEvent.objects.get(action="registers.legal.create")
    assert created.actor == world.justice_officer and created.object_id == str(doc.pk)
    assert created.data["after"]["kind"] == "self_check"
    assert created.data["after"]["agency"] == world.justice.code
    services.update_entry(
        by=world.justice_officer,
        register="legal",
        pk=doc.pk,
        values=_legal(world, errors_found=True, error_notes="Sai thể thức"),
    )
    updated = ChangeEvent.objects.get(action="registers.legal.update")
    assert updated.data["before"]["errors_found"] is False
    assert updated.data["after"]["errors_found"] is True
    services.delete_entry(by=world.office, register="legal", pk=doc.pk)
    deleted = ChangeEvent.objects.get(action="registers.legal.delete")
    assert deleted.data["before"]["error_notes"] == "Sai thể thức" and deleted.data["after"] == {}
    assert not LegalDocument.objects.exists()


def test_an_officer_cannot_file_or_change_another_agencys_records(world):
    with pytest.raises(NotAllowed):
        services.create_entry(
            by=world.justice_officer, register="legal", values=_legal(world, agency=world.home)
        )
    doc = services.create_entry(by=world.office, register="legal", values=_legal(world))
    with pytest.raises(InvalidInput):  # out of scope: as if it did not exist
        services.update_entry(
            by=world.district_admin, register="legal", pk=doc.pk, values=_legal(world)
        )
    with pytest.raises(InvalidInput):
        services.delete_entry(by=world.district_admin, register="legal", pk=doc.pk)
    with pytest.raises(NotAllowed):  # sees it (own agency) but the desk role does not edit
        services.delete_entry(by=world.desk_officer, register="legal", pk=doc.pk)
    with pytest.raises(NotAllowed):  # may edit it, but not move it to an agency out of reach
        services.update_entry(
            by=world.justice_officer,
            register="legal",
            pk=doc.pk,
            values=_legal(world, agency=world.home),
        )
    assert LegalDocument.objects.get().agency == world.justice
    assert not ChangeEvent.objects.filter(action__startswith="registers.legal.update").exists()


def test_an_administrator_files_records_for_the_agencies_under_it(world):
    from motcua.agencies.models import Agency

    ward = Agency.objects.create(
        code="000.21.01.H13", name_vi="Phường Cái Khế", level="commune", parent=world.district
    )
    meeting = services.create_entry(
        by=world.district_admin,
        register="meetings",
        values={"date": dt.date(2021, 5, 5), "agency": ward, "level": "commune", "title": "Họp"},
    )
    assert meeting.agency == ward


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "appraisal_decision_draft", "errors_found": True}, "errors_found"),
        ({"error_notes": "lỗi"}, "error_notes"),
        ({"kind": "nonsense"}, "kind"),
        ({"title": "x" * 501}, "title"),
        ({"title": ""}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"date": dt.date(1999, 12, 31)}, "date"),
        ({"date": "9999-12-31"}, "date"),
        ({"date": None}, "date"),
        ({"agency": None}, "agency"),
    ],
)
def test_bad_values_are_refused_with_their_field(world, extra, field):
    with pytest.raises(InvalidInput) as caught:
        services.create_entry(by=world.office, register="legal", values=_legal(world, **extra))
    assert field in caught.value.fields
    assert not LegalDocument.objects.exists() and not ChangeEvent.objects.exists()


def test_counts_are_bounded_and_cross_checked(world):
    base = {"date": dt.date(2021, 6, 1), "agency": world.home, "decision": "1/QĐ"}
    for bad in (
        {"civil_servants": 10**20},
        {"public_employees": -1},
        {},
        {"contract_workers": "x"},
    ):
        with pytest.raises(InvalidInput):
            services.create_entry(by=world.office, register="streamlining", values={**base, **bad})
    row = services.create_entry(
        by=world.office, register="streamlining", values={**base, "public_employees": "1.841"}
    )
    assert (row.civil_servants, row.public_employees) == (0, 1841)
    assert StaffStreamlining.objects.count() == 1
    with pytest.raises(InvalidInput) as caught:
        services.create_entry(
            by=world.office,
            register="edoc",
            values={
                "date": dt.date(2021, 9, 15),
                "agency": world.home,
                "agencies_connected": 10,
                "agencies_exchanging": 11,
            },
        )
    assert "agencies_exchanging" in caught.value.fields


def test_an_announcement_links_catalog_procedures_by_code(world):
    from motcua.catalog.models import Field, Procedure

    sector = Field.objects.create(name_vi="Tư pháp")
    proc = Procedure.objects.create(
        code="1.001234",
        name_vi="Chứng thực bản sao",
        field=sector,
        at_commune=True,
        processing_amount=3,
        processing_unit="d",
    )
    values = {
        "date": dt.date(2021, 2, 1),
        "agency": world.city,
        "number": "300/QĐ-UBND",
        "procedures_count": 3,
        "procedures": "1.001234",
    }
    decision = services.create_entry(by=world.office, register="announcements", values=values)
    assert list(decision.procedures.all()) == [proc]
    assert ChangeEvent.objects.get().data["after"]["procedures"] == ["1.001234"]
    with pytest.raises(InvalidInput) as caught:
        services.create_entry(
            by=world.office, register="announcements", values={**values, "procedures": "9.99"}
        )
    assert "9.99" in caught.value.fields["procedures"]
    with pytest.raises(InvalidInput):  # more linked than announced
        services.create_entry(
            by=world.office,
            register="announcements",
            values={**values, "procedures_count": 0},
        )
    assert ProcedureAnnouncement.objects.count() == 1


def test_an_unknown_register_is_refused(world):
    with pytest.raises(InvalidInput):
        services.create_entry(by=world.office, register="nope", values={})
