"""Online submission keeps the rules (issue 9 §5): required fields are marked, a mandatory
document is uploaded or explicitly brought on paper (recorded on the dossier), and the
procedure's declaration fields are asked for, checked, stored and shown on both sides."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.catalog.models import FormField
from motcua.dossiers.models import Dossier
from tests.portal.test_submission import GOOD, start

pytestmark = pytest.mark.django_db


def _partial(world):
    world.procedure.online_mode = "partial"
    world.procedure.save()


def test_required_fields_are_marked(client, world):
    draft = start(client, world)
    page = client.get(f"/nop-ho-so/{draft.key}/").content.decode()
    assert 'id="required-legend"' in page
    name_label = page.split('for="id_name"')[1].split("</label>")[0]
    assert 'class="req"' in name_label
    agency_select = (
        page.split('id="id_agency"')[0].rsplit("<select", 1)[1]
        + page.split('id="id_agency"')[1].split(">")[0]
    )
    assert 'aria-required="true"' in agency_select
    assert "Bắt buộc đối với cá nhân." in page  # the ID number, for individuals


def test_partial_procedure_needs_an_explicit_paper_choice(client, world):
    _partial(world)
    draft = start(client, world)
    client.post(f"/nop-ho-so/{draft.key}/", {**GOOD, "save": "1"})
    doc = world.procedure.required_documents.get(order=1)
    review = client.get(f"/nop-ho-so/{draft.key}/xem-lai/").content.decode()
    assert f'name="on_paper" value="{doc.pk}"' in review
    refused = client.post(f"/nop-ho-so/{draft.key}/nop/", follow=True)
    assert "Nộp bản giấy" in refused.content.decode()
    assert not Dossier.objects.exists()
    client.post(f"/nop-ho-so/{draft.key}/nop/", {"on_paper": [str(doc.pk)]})
    dossier = Dossier.objects.get()
    component = dossier.documents.get(required_document=doc)
    assert component.on_paper and not component.digitised
    desk = Client()
    desk.force_login(world.desk_officer_a)
    assert (
        "người nộp sẽ nộp bản giấy" in desk.get(f"/desk/dossiers/{dossier.code}/").content.decode()
    )


def test_full_procedure_cannot_leave_a_mandatory_document_out(client, world):
    draft = start(client, world)
    client.post(f"/nop-ho-so/{draft.key}/", {**GOOD, "save": "1"})
    doc = world.procedure.required_documents.get(order=1)
    client.post(f"/nop-ho-so/{draft.key}/nop/", {"on_paper": [str(doc.pk)]})
    assert not Dossier.objects.exists()


def _birth_fields(world):
    FormField.objects.create(
        procedure=world.procedure,
        order=1,
        key="child_name",
        label_vi="Họ và tên người được khai sinh",
    )
    FormField.objects.create(
        procedure=world.procedure,
        order=2,
        key="child_birth_date",
        label_vi="Ngày sinh",
        kind="date",
    )
    FormField.objects.create(
        procedure=world.procedure,
        order=3,
        key="child_sex",
        label_vi="Giới tính",
        kind="choice",
        choices="Nam\nNữ",
    )


def test_declaration_fields_are_asked_checked_stored_and_shown(client, world):
    _partial(world)
    _birth_fields(world)
    doc = world.procedure.required_documents.get(order=1)
    draft = start(client, world)
    page = client.get(f"/nop-ho-so/{draft.key}/").content.decode()
    assert 'name="field-child_name"' in page and 'name="field-child_birth_date"' in page
    assert 'aria-required="true"' in page.split('name="field-child_name"')[1].split(">")[0]
    # a draft may be saved without them, but a bad date is refused at once
    bad = client.post(
        f"/nop-ho-so/{draft.key}/", {**GOOD, "field-child_birth_date": "31/02/2025", "save": "1"}
    )
    assert bad.status_code == 200 and "field-child_birth_date" in bad.content.decode()
    client.post(f"/nop-ho-so/{draft.key}/", {**GOOD, "save": "1"})
    review = client.get(f"/nop-ho-so/{draft.key}/xem-lai/").content.decode()
    assert "Vui lòng nhập họ và tên người được khai sinh." in review
    assert 'id="submit-dossier"' not in review
    client.post(
        f"/nop-ho-so/{draft.key}/",
        {
            **GOOD,
            "field-child_name": "Trần Gia Hân",
            "field-child_birth_date": "2025-01-20",
            "field-child_sex": "Nữ",
            "save": "1",
        },
    )
    review = client.get(f"/nop-ho-so/{draft.key}/xem-lai/").content.decode()
    assert "Trần Gia Hân" in review and "20/01/2025" in review
    client.post(f"/nop-ho-so/{draft.key}/nop/", {"on_paper": [str(doc.pk)]})
    dossier = Dossier.objects.get()
    assert dossier.field_values == {
        "child_name": "Trần Gia Hân",
        "child_birth_date": "2025-01-20",
        "child_sex": "Nữ",
    }
    mine = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Họ và tên người được khai sinh" in mine and "20/01/2025" in mine
    desk = Client()
    desk.force_login(world.desk_officer_a)
    page = desk.get(f"/desk/dossiers/{dossier.code}/").content.decode()
    assert 'id="declared-fields"' in page and "Trần Gia Hân" in page and "Nữ" in page
