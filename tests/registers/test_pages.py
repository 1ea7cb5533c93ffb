"""Desk pages of the registers: scoped (another agency's record is a 404, a change of it a 403
or 404), Vietnamese errors for bad input and never a 500, import preview, export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from motcua.registers import services
from motcua.registers.models import LegalDocument, OnlineMeeting, StaffStreamlining


def _client(client, user):
    client.force_login(user)
    return client


def _doc(w, agency=None, **extra):
    return services.create_entry(
        by=w.office,
        register="legal",
        values={
            "date": dt.date(2021, 3, 1),
            "agency": agency or w.justice,
            "kind": "comment_central",
            "title": "Dự thảo Luật",
            **extra,
        },
    )


def test_the_landing_page_shows_the_period_figures_to_the_reform_office(client, world):
    _doc(world)
    page = _client(client, world.office).get(
        reverse("registers:home"), {"from": "2021-01-01", "to": "2021-09-30"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Văn bản quy phạm pháp luật" in html and "Hội nghị truyền hình trực tuyến" in html
    assert 'data-key="registers.legal.commented_central"' in html
    assert (
        "/desk/registers/legal/?from=2021-01-01&amp;to=2021-09-30&amp;kind=comment_central" in html
    )


def test_an_officer_sees_only_records_of_their_agencies(client, world):
    own = _doc(world, title="Của Sở Tư pháp")
    other = _doc(world, agency=world.home, title="Của Sở Nội vụ")
    below = _doc(world, agency=world.division, title="Của phòng")
    c = _client(client, world.justice_officer)
    html = c.get(reverse("registers:list", args=["legal"])).content.decode()
    assert "Của Sở Tư pháp" in html and "Của Sở Nội vụ" not in html and "Của phòng" not in html
    assert c.get(reverse("registers:edit", args=["legal", own.pk])).status_code == 200
    assert c.get(reverse("registers:edit", args=["legal", other.pk])).status_code == 404
    assert c.post(reverse("registers:delete", args=["legal", other.pk])).status_code == 404
    assert LegalDocument.objects.filter(pk=other.pk).exists()
    # the reform office sees all three
    html = _client(client, world.office).get(reverse("registers:list", args=["legal"])).content
    assert all(t in html.decode() for t in ("Của Sở Tư pháp", "Của Sở Nội vụ", "Của phòng"))
    assert below.pk


def test_an_agency_cannot_file_a_record_for_another(client, world):
    c = _client(client, world.justice_officer)
    form = {
        "date": "2021-03-01",
        "agency": world.home.pk,
        "kind": "comment_local",
        "title": "Dự thảo",
    }
    page = c.post(reverse("registers:new", args=["legal"]), form)
    assert page.status_code == 400  # not among the form's choices
    assert not LegalDocument.objects.exists()
    page = c.post(reverse("registers:new", args=["legal"]), {**form, "agency": world.justice.pk})
    assert page.status_code == 302 and LegalDocument.objects.get().agency == world.justice


def test_a_desk_officer_sees_but_does_not_edit(client, world):
    doc = _doc(world)
    c = _client(client, world.desk_officer)
    page = c.get(reverse("registers:edit", args=["legal", doc.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="entry-form"' not in html
    assert "Góp ý dự thảo VBQPPL của Trung ương" in html and "Sở Tư pháp" in html
    assert c.post(reverse("registers:delete", args=["legal", doc.pk])).status_code == 403
    assert c.post(reverse("registers:edit", args=["legal", doc.pk]), {}).status_code == 403
    assert c.get(reverse("registers:new", args=["legal"])).status_code == 403
    assert LegalDocument.objects.filter(pk=doc.pk).exists()


def test_citizens_and_anonymous_are_kept_out(client, world):
    assert client.get(reverse("registers:home")).status_code == 302
    assert _client(client, world.citizen).get(reverse("registers:home")).status_code == 403


def test_edit_and_delete_through_the_pages(client, world):
    doc = _doc(world)
    c = _client(client, world.justice_officer)
    url = reverse("registers:edit", args=["legal", doc.pk])
    page = c.post(
        url,
        {"date": "2021-03-02", "agency": world.justice.pk, "kind": "self_check", "title": "QĐ",
         "errors_found": "on", "error_notes": "Sai thể thức"},
    )  # fmt: skip
    assert page.status_code == 302
    doc.refresh_from_db()
    assert (doc.kind, doc.errors_found) == ("self_check", True)
    assert c.post(reverse("registers:delete", args=["legal", doc.pk])).status_code == 302
    assert not LegalDocument.objects.exists()


BAD = [
    {"civil_servants": "99999999999999999999999"},
    {"public_employees": "-5"},
    {"contract_workers": "1e308"},
    {"date": "9999-12-31"},
    {"date": "0001-01-01"},
    {"date": "31/02/2021"},
    {"decision": "x" * 100000},
    {"decision": "a\x00b"},
    {"agency": "9223372036854775808"},
    {"civil_servants": "0", "public_employees": "0", "contract_workers": "0"},
]


@pytest.mark.parametrize("bad", BAD)
def test_bad_form_input_is_a_vietnamese_message_not_a_500(client, world, bad):
    form = {"date": "2021-06-01", "agency": world.home.pk, "decision": "1/QĐ-UBND",
            "civil_servants": "1", **bad}  # fmt: skip
    page = _client(client, world.office).post(reverse("registers:new", args=["streamlining"]), form)
    assert page.status_code == 400
    assert 'class="error' in page.content.decode()
    assert not StaffStreamlining.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"from": "9999-12-31"},
        {"from": "2021-01-01", "to": "2000-01-01"},
        {"to": "abc"},
        {"kind": "nonsense"},
        {"errors_found": "maybe"},
        {"agency": "x" * 5000},
        {"from": "2000-01-01", "to": "2100-12-31"},
    ],
)
def test_bad_list_filters_are_messages_not_500(client, world, query):
    c = _client(client, world.office)
    assert c.get(reverse("registers:list", args=["legal"]), query).status_code in (200, 400)
    assert c.get(reverse("registers:export", args=["legal"]), query).status_code in (200, 400)
    assert c.get(reverse("registers:home"), query).status_code in (200, 400)


def test_unknown_register_and_hostile_ids_are_404(client, world):
    c = _client(client, world.office)
    assert c.get("/desk/registers/nope/").status_code == 404
    assert c.get("/desk/registers/legal/99999999999999999999999/").status_code == 404
    assert c.post("/desk/registers/legal/9223372036854775807/delete/").status_code == 404


def _sheet(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(["Ngày", "Cơ quan chủ trì", "Cấp", "Nội dung"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("hop.xlsx", out.getvalue())


def test_import_preview_then_import(client, world):
    c = _client(client, world.district_admin)
    url = reverse("registers:import", args=["meetings"])
    rows = [
        ["05/01/2021", "916", "Cấp quận, huyện", "Họp 1"],
        ["06/01/2021", "916", "district", "Họp 2"],
    ]
    page = c.post(url, {"file": _sheet(rows), "dry_run": "on"})
    assert page.status_code == 200 and "2 bản ghi sẽ được nhập" in page.content.decode()
    assert not OnlineMeeting.objects.exists()
    page = c.post(url, {"file": _sheet(rows)})
    assert page.status_code == 302 and OnlineMeeting.objects.count() == 2


def test_import_errors_are_listed_by_line_and_column(client, world):
    c = _client(client, world.district_admin)
    rows = [["05/01/2021", "Sở Nội vụ", "Cấp thành phố", "Họp"], ["x", "916", "city", "Họp"]]
    page = c.post(reverse("registers:import", args=["meetings"]), {"file": _sheet(rows)})
    html = page.content.decode()
    assert page.status_code == 400
    assert "Dòng 2, cột B: bạn không có quyền cập nhật sổ theo dõi của Sở Nội vụ" in html
    assert "Dòng 3, cột A:" in html
    assert not OnlineMeeting.objects.exists()


def test_export_follows_the_list_filter_and_the_scope(client, world):
    _doc(world, title="Tư pháp 1")
    _doc(world, agency=world.home, title="Nội vụ 1", kind="comment_local")
    c = _client(client, world.office)
    data = c.get(reverse("registers:export", args=["legal"]), {"kind": "comment_local"}).content
    titles = [
        r[4] for r in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert titles == ["Nội vụ 1"]
    c = _client(client, world.justice_officer)
    data = c.get(reverse("registers:export", args=["legal"])).content
    titles = [
        r[4] for r in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)
    ]
    assert titles == ["Tư pháp 1"]


def test_every_register_label_has_an_english_translation():
    from django.utils import translation

    from motcua.registers.figures import FIGURES
    from motcua.registers.registry import REGISTERS

    labels = []
    for register in REGISTERS.values():
        labels += [register.title, register.section]
        for field in register.fields:
            labels.append(field.label)
            labels += [label for _, label in (field.choices.choices if field.choices else ())]
    labels += [spec.label for spec in FIGURES]
    with translation.override("vi"):
        vietnamese = [str(label) for label in labels]
    with translation.override("en"):
        english = [str(label) for label in labels]
    untranslated = [vi for vi, en in zip(vietnamese, english, strict=True) if vi == en]
    assert untranslated == []


def test_the_pages_read_in_english(client, world):
    client.force_login(world.office)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("registers:list", args=["meetings"]))
    html = page.content.decode()
    assert "<h1>Online video conferences</h1>" in html and "<th>Level</th>" in html


def test_the_reform_pages_link_to_the_registers(client, world):
    html = _client(client, world.office).get(reverse("reform:plans")).content.decode()
    assert f'href="{reverse("registers:home")}" id="nav-registers"' in html
