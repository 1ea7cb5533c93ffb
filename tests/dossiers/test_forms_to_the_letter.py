"""Issue 16 / issue 9: the forms the engine issues, checked in the real PDF (pypdf) and the
snapshot — signer and marks from the agency's configuration, place and phone per agency, number
format, every Form 01 field filled from the dossier, page layout and the fonts' static URLs."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from motcua.agencies import letterhead
from motcua.agencies.models import AgencySigner
from motcua.catalog.models import RequiredDocument
from motcua.dossiers import formtexts
from motcua.dossiers import services as S
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.legalforms import render_html, render_pdf
from motcua.dossiers.models import Channel, FormText, IssuedForm

from .conftest import APPLICANT, at, submit


def pages(snapshot: dict) -> list[str]:
    reader = PdfReader(io.BytesIO(render_pdf(snapshot)))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def text(snapshot: dict) -> str:
    return " ".join(pages(snapshot))


def form(pk: int, number: str) -> dict:
    return IssuedForm.objects.get(dossier_id=pk, form=number).snapshot


def received(world, **kw) -> int:
    pk = submit(world, **kw)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 10, 24, 9))
    return pk


def test_numbers_are_zero_padded_number_slash_symbol_without_year(world):
    first, second = received(world), received(world)
    assert form(first, "01")["number"] == "01/GTN-BPMC"
    assert form(second, "01")["number"] == "02/GTN-BPMC"
    assert "Số: 01/GTN-BPMC" in text(form(first, "01"))


def test_place_is_the_unit_where_the_agency_sits(world, settings):
    settings.MOTCUA_PLACE_NAME = "Nơi khác"
    pk = received(world)
    assert form(pk, "01")["place"] == "Cái Khế"
    assert "Cái Khế, ngày 24 tháng 10 năm 2025" in text(form(pk, "01"))
    world.a.place_name = "Ninh Kiều"  # an explicit place wins over the name
    world.a.save()
    assert form(received(world), "01")["place"] == "Ninh Kiều"


def test_place_rules_and_fallback(world, settings):
    assert letterhead.place_from_name("Ủy ban nhân dân phường Cái Khế") == "Cái Khế"
    assert letterhead.place_from_name("Ủy ban nhân dân Phường 1") == "Phường 1"
    assert letterhead.place_from_name("Sở Tư pháp") == ""
    from motcua.agencies.models import Agency
    from motcua.dossiers.formdata import place_of

    settings.MOTCUA_PLACE_NAME = "Cần Thơ"
    dept = Agency.objects.create(
        code="000.00.05.H13", name_vi="Sở Tư pháp", level="department", parent=world.province
    )
    assert place_of(dept) == "Cần Thơ"  # neither it nor its superior names a unit: fallback
    world.province.place_name = "Cần Thơ"
    world.province.save()
    assert place_of(Agency.objects.get(pk=dept.pk)) == "Cần Thơ"


def test_header_prints_the_one_stop_unit_under_its_authority_and_number_beside_date(world):
    pk = received(world)
    first_page = pages(form(pk, "01"))[0]
    assert "ỦY BAN NHÂN DÂN PHƯỜNG CÁI KHẾ BỘ PHẬN MỘT CỬA" in first_page
    assert "Số: 01/GTN-BPMC Cái Khế, ngày 24 tháng 10 năm 2025" in first_page


def test_form_01_fills_every_field_from_the_dossier(world):
    world.a.phone = "0292 3820 115"
    world.a.save()
    pk = received(world)
    printed = text(form(pk, "01"))
    for needle in (
        "(Liên: Lưu/Giao người nộp hồ sơ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 05 ngày làm việc.",
        "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 24 tháng 10 năm 2025.",
        "6. Đăng ký nhận kết quả tại: Cổng Dịch vụ công (kết quả điện tử).",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2025, Số thứ tự: 01.",
        "Ghi chú:",
    ):
        assert needle in printed, needle
    # every item of the form is filled (only the applicant's unknown e-mail stays dotted)
    assert printed.count("……………") == 1 and "Thư điện tử: ……" in printed


def test_online_receipt_has_no_applicant_signature_but_a_desk_one_does(world):
    online = received(world)
    assert "NGƯỜI NỘP HỒ SƠ" not in text(form(online, "01"))
    html = render_html(form(online, "01"))
    assert 'data-signature-slot="officer"' in html and "signature-applicant" not in html
    at_desk = received(world, channel=Channel.DESK, by=world.desk_officer_a)
    printed = text(form(at_desk, "01"))
    assert "NGƯỜI NỘP HỒ SƠ" in printed
    assert "6. Đăng ký nhận kết quả tại: Bộ phận Một cửa." in printed


def test_show_only_papers_are_not_listed_as_submitted_originals(world):
    shown = RequiredDocument.objects.create(
        procedure=world.procedure, order=9, name="Căn cước công dân", present_only=True
    )
    d = S.receive_at_desk(
        by=world.desk_officer_a,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=APPLICANT,
        documents=[
            S.DocumentInput(name="Tờ khai", originals=1),
            S.DocumentInput(name=shown.name, required_document_id=shown.pk, originals=1),
        ],
        now=at(2025, 10, 24, 9),
    )
    docs = form(d.pk, "01")["dossier"]["documents"]
    assert docs[1] == {
        "name": "Căn cước công dân",
        "originals": 0,
        "copies": 0,
        "present_only": True,
    }
    assert "Căn cước công dân — — Xuất trình bản chính để đối chiếu" in text(form(d.pk, "01"))


def test_form_01_with_many_documents_keeps_its_signatures_on_page_1(world):
    documents = [
        S.DocumentInput(name=name, originals=1, copies=1)
        for name in (
            "Tờ khai đăng ký khai sinh theo mẫu",
            "Giấy chứng sinh do cơ sở y tế cấp",
            "Giấy chứng nhận kết hôn của cha, mẹ",
            "Văn bản ủy quyền (nếu người đi đăng ký không phải cha, mẹ)",
            "Giấy tờ chứng minh nơi cư trú",
        )
    ]
    d = S.receive_at_desk(
        by=world.desk_officer_a,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=APPLICANT,
        documents=documents,
        now=at(2025, 10, 24, 9),
    )
    printed = pages(form(d.pk, "01"))
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in printed[0] and "NGƯỜI NỘP HỒ SƠ" in printed[0]
    assert not printed[0].startswith("1 ")  # no page number on page 1
    if len(printed) > 1:
        assert printed[1].strip().endswith(" 2")  # page numbers from page 2 (top margin box)


def test_form_02_reason_phone_instructions_and_closing(world):
    world.a.phone = "0292 3820 115"
    world.a.save()
    pk = submit(world)
    long = "https://dichvucong.cantho.gov.vn/" + "a" * 150
    S.request_completion(
        pk,
        by=world.desk_officer_a,
        missing=[S.MissingItem("Tờ khai", long)],
        note="Mang theo bản chính để đối chiếu",
        now=at(2025, 10, 24, 10),
    )
    snapshot = form(pk, "02")
    printed = text(snapshot)
    assert "Lý do: Hồ sơ chưa đầy đủ, hợp lệ theo quy định của thủ tục hành chính." in printed
    assert "Mang theo bản chính để đối chiếu" in printed
    assert "Ghi chú" not in printed  # the instructions are not a note
    assert "số điện thoại 0292 3820 115 để được hướng dẫn./." in printed
    assert "liên hệ với desk_officer_a, số điện thoại" in printed
    # the unbroken string wraps inside its cell instead of running off the page
    assert "a" * 150 in printed.replace(" ", "")
    assert "overflow-wrap" in render_html(snapshot)


def test_letters_are_signed_by_the_configured_signer_with_marks(world):
    head = AgencySigner.objects.create(
        agency=world.a, name="Nguyễn Văn Chủ", role="head", position="Chủ tịch"
    )
    deputy = AgencySigner.objects.create(
        agency=world.a, name="Lê Thị Mỹ Duyên", role="deputy", position="Phó Chủ tịch"
    )
    pk = received(world)
    S.hand_over(pk, by=world.desk_officer_a, now=at(2025, 10, 24, 10))
    S.apologise(
        pk,
        by=world.leader_a,
        reason="Chờ xác minh",
        new_due_at=at(2025, 11, 10, 9),
        signer=deputy.pk,
        now=at(2025, 10, 27, 9),
    )
    letter = form(pk, "04")
    assert letter["signer"]["name"] == "Lê Thị Mỹ Duyên"
    printed = text(letter)
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in printed
    assert "Lê Thị Mỹ Duyên" in printed
    assert "leader_a" not in printed and "THỦ TRƯỞNG CƠ QUAN" not in printed
    assert letter["number"] == "01/VBXL-UBND"
    S.stop(pk, by=world.leader_a, reason="Người yêu cầu đề nghị dừng", now=at(2025, 10, 28, 9))
    stop = form(pk, "05")
    assert stop["signer"]["name"] == head.name  # the head by default
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text(stop)


def test_a_signer_of_another_agency_is_refused(world):
    other = AgencySigner.objects.create(agency=world.b, name="X", role="head", position="Chủ tịch")
    pk = received(world)
    with pytest.raises(InvalidInput, match="Người ký"):
        S.stop(pk, by=world.leader_a, reason="Dừng", signer=other.pk, now=at(2025, 10, 28, 9))


def test_without_configured_signers_the_name_is_left_to_write_by_hand(world):
    pk = received(world)
    S.stop(pk, by=world.leader_a, reason="Dừng", now=at(2025, 10, 28, 9))
    stop = form(pk, "05")
    assert stop["signer"]["name"] == ""
    printed = text(stop)
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in printed and "leader_a" not in printed


def test_signature_marks_for_a_department():
    lines = letterhead.signature_lines(
        role="deputy", position="Phó Giám đốc", head_title="", agency_name="Sở Tư pháp"
    )
    assert lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    acting = letterhead.signature_lines(
        role="acting", position="", head_title="", agency_name="Sở Tư pháp"
    )
    assert acting == ["Q. GIÁM ĐỐC"]


def test_form_04_is_sent_at_the_latest_the_day_before_the_due_date(world):
    pk = received(world)  # due 31/10/2025 09:00
    with pytest.raises(InvalidInput, match="chậm nhất 01 ngày trước"):
        S.apologise(
            pk,
            by=world.leader_a,
            reason="Chờ",
            new_due_at=at(2025, 11, 10),
            now=at(2025, 10, 31, 8),
        )
    S.apologise(
        pk, by=world.leader_a, reason="Chờ", new_due_at=at(2025, 11, 10), now=at(2025, 10, 30, 16)
    )
    printed = text(form(pk, "04"))
    assert "không thể trả kết quả đúng thời hạn đã hẹn" in printed
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ" in printed


def test_form_05_cites_the_decree_in_italics_under_the_title_and_prints_the_phone(world):
    world.a.phone = "0292 3820 115"
    world.a.save()
    pk = received(world)
    S.stop(pk, by=world.leader_a, reason="Dừng", now=at(2025, 10, 28, 9))
    snapshot = form(pk, "05")
    printed = text(snapshot)
    assert (
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm"
        " 2025 của Chính phủ về thực hiện thủ tục hành chính theo cơ chế một cửa" in printed
    )
    assert 'class="basis"' in render_html(snapshot)
    assert "số điện thoại 0292 3820 115" in printed


def test_form_06_starts_at_the_desk_with_coordinating_agency_and_signature_boxes(world):
    pk = received(world)
    S.issue_control_slip(pk, by=world.desk_officer_a, now=at(2025, 10, 24, 9, 30))
    snapshot = form(pk, "06")
    assert snapshot["steps"][0]["from_unit"].startswith("Bộ phận Một cửa")
    printed = text(snapshot)
    assert "Người nộp hồ sơ" not in printed
    assert "Cơ quan phối hợp giải quyết hồ sơ:" in printed
    html = render_html(snapshot)
    assert 'data-signature-slot="step-1-from"' in html
    assert 'data-signature-slot="step-1-to"' in html


def test_step_result_says_before_on_or_after_time():
    from motcua.dossiers.formdata import step_result

    due = at(2025, 10, 24, 16)
    assert step_result(at(2025, 10, 23, 10), due) == "Trước hạn"
    assert step_result(at(2025, 10, 24, 15), due) == "Đúng hạn"
    assert step_result(at(2025, 10, 24, 17), due) == "Quá hạn"


def test_an_administrator_corrects_the_wording_without_a_release(world, settings):
    before = received(world)
    formtexts.correct_form_text(
        form="01", key="copy_marker", text="(Liên 1: Lưu; Liên 2: Giao người nộp)", by=world.root
    )
    after = received(world)
    assert "(Liên 1: Lưu; Liên 2: Giao người nộp)" in text(form(after, "01"))
    assert form(after, "01")["wording_versions"] == {"copy_marker": 1}
    # a form issued before keeps its words
    assert "(Liên: Lưu/Giao người nộp hồ sơ)" in text(form(before, "01"))
    with pytest.raises(InvalidInput, match="Chỗ điền"):
        formtexts.correct_form_text(form="01", key="copy_marker", text="{secret}")


def test_admin_saves_each_wording_correction_as_a_new_version(world, client):
    client.force_login(world.root)
    url = "/admin/dossiers/formtext/add/"
    for text in ("Lý do cụ thể: {reason}", "Lý do: {reason}."):
        response = client.post(url, {"form": "02", "key": "reason", "text": text, "note": "TT03"})
        assert response.status_code == 302
    assert list(FormText.objects.order_by("version").values_list("version", "text")) == [
        (1, "Lý do cụ thể: {reason}"),
        (2, "Lý do: {reason}."),
    ]
    refused = client.post(url, {"form": "02", "key": "reason", "text": "{officer_password}"})
    assert refused.status_code == 200 and "Chỗ điền không dùng được" in refused.content.decode()
    assert formtexts.current_texts("02")[0]["reason"] == "Lý do: {reason}."


def test_presentation_rules_are_in_the_page(world):
    html = render_html(form(received(world), "01"))
    for rule in (
        "size: A4",
        "margin: 20mm 15mm 20mm 30mm",
        "@top-center { content: counter(page)",
        "@page :first { @top-center { content: none; } }",
        "text-align: justify; text-indent: 10mm;",
        "p { margin: 0 0 6pt 0; }",
        "break-inside: avoid",
        ".signature-box { width: 60mm; height: 18mm;",
    ):
        assert rule in html, rule


@pytest.mark.parametrize("number", ["01", "02", "04", "05", "06", "07"])
def test_forms_issued_with_the_2025_1_layout_still_render(number):
    from motcua.dossiers.legalforms.samples import sample_snapshot

    snapshot = sample_snapshot(number)
    snapshot["template_version"] = "TT03-2025.1"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text(snapshot)


@pytest.mark.parametrize(
    ("name", "symbol"),
    [
        ("Ủy ban nhân dân phường Cái Khế", "UBND"),
        ("Sở Tư pháp", "STP"),
        ("Sở Kế hoạch và Đầu tư", "SKHĐT"),
        ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"),
        ("Bộ phận Một cửa", "BPMC"),
    ],
)
def test_agency_abbreviation_in_document_symbols(name, symbol):
    assert letterhead.symbol_from_name(name) == symbol


def test_a_department_letter_is_numbered_with_its_own_symbol(world):
    from motcua.agencies.models import Agency
    from motcua.dossiers.formdata import symbol_of

    dept = Agency.objects.create(
        code="000.00.04.H13",
        name_vi="Sở Kế hoạch và Đầu tư",
        level="department",
        parent=world.province,
    )
    assert symbol_of("04", dept) == "SKHĐT" and symbol_of("01", dept) == "BPMC"
    dept.symbol = "SKH"
    assert symbol_of("05", dept) == "SKH"


def test_header_issuer_and_governing_authority_per_kind_of_unit(world):
    from motcua.agencies.models import Agency
    from motcua.dossiers.formdata import _agency

    dept = Agency.objects.create(
        code="000.00.05.H13", name_vi="Sở Tư pháp", level="department", parent=world.province
    )
    centre = Agency.objects.create(
        code="000.00.06.H13",
        name_vi="Trung tâm Phục vụ hành chính công",
        level="service_centre",
        parent=world.province,
    )
    letter = _agency(dept, "04")
    assert (letter["governing"], letter["issuer"]) == (world.province.name_vi, "Sở Tư pháp")
    slip = _agency(centre, "01")
    assert (slip["governing"], slip["issuer"]) == (world.province.name_vi, centre.name_vi)
    commune_letter = _agency(world.a, "05")
    assert "governing" not in commune_letter  # a People's Committee has no governing authority
    commune_slip = _agency(world.a, "02")
    assert (commune_slip["governing"], commune_slip["issuer"]) == (
        world.a.name_vi,
        "Bộ phận Một cửa",
    )
