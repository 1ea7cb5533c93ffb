"""Forms issued by the services render as readable Vietnamese PDFs from their snapshots."""

from __future__ import annotations

import io

from pypdf import PdfReader

from motcua.dossiers import services as S
from motcua.dossiers.legalforms import render_pdf
from motcua.dossiers.models import AuditEvent, IssuedForm

from .conftest import at, submit


def pdf_text(snapshot: dict) -> str:
    data = render_pdf(snapshot)
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_all_seven_forms_from_a_real_flow(world):
    refused = submit(world)
    S.request_completion(
        refused,
        by=world.desk_officer_a,
        now=at(2025, 1, 24, 10),
        missing=[S.MissingItem("Tờ khai đăng ký lại khai sinh", "Ký ghi rõ họ tên")],
    )
    S.refuse_reception(
        refused,
        by=world.desk_officer_a,
        reasons=["Không thuộc thẩm quyền"],
        now=at(2025, 1, 24, 11),
    )
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    S.hand_over(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    S.apologise(
        pk,
        by=world.leader_a,
        reason="Cần xác minh thêm tại nơi cư trú",
        new_due_at=at(2025, 2, 12, 9),
        now=at(2025, 2, 3, 9),
    )
    S.issue_control_slip(pk, by=world.specialist_a, now=at(2025, 2, 3, 10))
    S.stop(pk, by=world.leader_a, reason="Người yêu cầu đề nghị dừng", now=at(2025, 2, 4, 9))
    S.issue_dossier_log(
        world.a,
        by=world.desk_officer_a,
        start=at(2025, 1, 1).date(),
        end=at(2025, 1, 31).date(),
        now=at(2025, 2, 4, 10),
    )

    forms = {f.form: f for f in IssuedForm.objects.all()}
    assert sorted(forms) == ["01", "02", "03", "04", "05", "06", "07"]
    expectations = {
        "01": [
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "Nguyễn Thị Hồng Nhung",
            "000.01.21.H13-250124-0002",
        ],
        "02": ["Tờ khai đăng ký lại khai sinh", "Ký ghi rõ họ tên"],
        "03": ["Không thuộc thẩm quyền"],
        "04": ["Cần xác minh thêm tại nơi cư trú", "ngày 12 tháng 02 năm 2025"],
        "05": ["Người yêu cầu đề nghị dừng"],
        "06": ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"],
        "07": ["SỔ THEO DÕI HỒ SƠ", "000.01.21.H13-250124-0002"],
    }
    for form, needles in expectations.items():
        text = pdf_text(forms[form].snapshot)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text, form
        assert "Độc lập - Tự do - Hạnh phúc" in text, form
        assert "ỦY BAN NHÂN DÂN" in text.upper(), form
        for needle in needles:
            assert needle in text, (form, needle)
    # every form is in the audit trail, with its snapshot reachable from the event
    assert set(AuditEvent.objects.exclude(form=None).values_list("form__form", flat=True)) == set(
        forms
    )


def test_snapshot_is_immutable_history(world):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 9))
    receipt = IssuedForm.objects.get(dossier_id=pk, form="01")
    before = dict(receipt.snapshot)
    S.hand_over(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    S.apologise(
        pk, by=world.leader_a, reason="x", new_due_at=at(2025, 2, 12, 9), now=at(2025, 2, 3, 9)
    )
    receipt.refresh_from_db()
    assert receipt.snapshot == before  # the receipt still shows the original appointment
    assert "ngày 07 tháng 02 năm 2025" in pdf_text(receipt.snapshot)
