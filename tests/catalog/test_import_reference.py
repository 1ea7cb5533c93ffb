"""Import of the real 2021 Cần Thơ reference CSV."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from motcua.catalog.importers import import_procedures_csv
from motcua.catalog.models import FeeLine, Procedure, RequiredDocument, Workflow, WorkflowStep
from motcua.catalog.records import CatalogImportError

from .conftest import REFERENCE_CSV

HEADER = (
    "code,name_vi,name_en,field_vi,authority_level,processing_days,fee_vnd,online_mode,"
    "required_documents\n"
)


def test_counts_and_levels(reference_catalog):
    assert reference_catalog.created == 46
    assert Procedure.objects.count() == 46
    assert Procedure.objects.filter(at_commune=True).count() == 22
    assert Procedure.objects.filter(at_district=True).count() == 16
    assert Procedure.objects.filter(at_province=True).count() == 8


def test_unconfirmed_codes_are_flagged_and_stored_without_question_mark(reference_catalog):
    flagged = Procedure.objects.filter(code_unconfirmed=True)
    assert flagged.count() == 10  # 9 "code?" rows + the health row's "?" (no code at all)
    assert flagged.exclude(code="").count() == 9
    lltp = Procedure.objects.get(code="3.000333")
    assert lltp.code_unconfirmed and lltp.at_province
    assert not Procedure.objects.filter(code__contains="?").exists()
    no_code = Procedure.objects.get(code="")
    assert no_code.name_vi.startswith("Cấp chứng chỉ hành nghề khám bệnh")


def test_online_modes_all_unconfirmed_with_historical_levels(reference_catalog):
    assert not Procedure.objects.filter(online_mode_unconfirmed=False).exists()
    assert set(Procedure.objects.values_list("online_mode", flat=True)) == {
        "full",
        "partial",
        "none",
    }
    for mode, level in [("full", 4), ("partial", 3), ("none", None)]:
        assert set(
            Procedure.objects.filter(online_mode=mode).values_list(
                "historical_online_level", flat=True
            )
        ) == {level}


def test_same_day_and_unknown_times(reference_catalog):
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.processing_amount, birth.processing_unit) == (0, "d")
    assert not birth.processing_unconfirmed
    assert birth.legal_time_display == "trong ngày"
    unknown = Procedure.objects.filter(processing_amount__isnull=True)
    assert unknown.count() == 3
    assert all(p.processing_unconfirmed for p in unknown)
    land = Procedure.objects.get(code="1.013978")
    assert (land.processing_amount, land.processing_unconfirmed) == (20, True)


def test_fees_zero_unknown_and_unconfirmed(reference_catalog):
    birth_fee = FeeLine.objects.get(procedure__code="1.001193")
    assert (birth_fee.amount_vnd, birth_fee.unconfirmed) == (0, False)
    unknown = FeeLine.objects.get(procedure__code="1.004884")
    assert (unknown.amount_vnd, unknown.unconfirmed) == (None, True)
    typical = FeeLine.objects.get(procedure__code="1.001612")
    assert (typical.amount_vnd, typical.unconfirmed) == (100000, True)


def test_required_documents_split_and_flagged(reference_catalog):
    docs = list(RequiredDocument.objects.filter(procedure__code="1.001193").order_by("order"))
    assert len(docs) == 6
    assert [d.order for d in docs] == [1, 2, 3, 4, 5, 6]
    assert [d.present_only for d in docs] == [False, False, True, True, True, False]
    assert [d.mandatory for d in docs] == [True, True, True, True, False, False]
    assert docs[5].name.startswith("Văn bản ủy quyền (nếu ủy quyền; được chứng thực")


def test_default_workflows_only_where_time_is_known(reference_catalog):
    assert Workflow.objects.count() == 43
    assert not Workflow.objects.filter(procedure__processing_amount__isnull=True).exists()
    wf = Workflow.objects.get(procedure__code="2.000806")  # 15 working days
    assert (wf.version, wf.status, wf.legal_amount) == (1, "active", 15)
    hours = list(wf.steps.order_by("order").values_list("allotted_hours", flat=True))
    assert hours == [Decimal(15), Decimal(75), Decimal(15), Decimal(15)]


def test_second_import_changes_nothing(reference_catalog):
    before = {p.pk: p.updated_at for p in Procedure.objects.all()}
    counts = (
        FeeLine.objects.count(),
        RequiredDocument.objects.count(),
        WorkflowStep.objects.count(),
    )
    again = import_procedures_csv(REFERENCE_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 46)
    assert not again.changed
    assert {p.pk: p.updated_at for p in Procedure.objects.all()} == before
    assert (
        FeeLine.objects.count(),
        RequiredDocument.objects.count(),
        WorkflowStep.objects.count(),
    ) == counts


def test_reimport_updates_a_changed_row_in_place(reference_catalog):
    text = REFERENCE_CSV.read_text(encoding="utf-8")
    changed = text.replace(
        "Thủ tục đăng ký giám hộ,Guardianship registration,Hộ tịch,commune,3,0",
        "Thủ tục đăng ký giám hộ,Guardianship registration,Hộ tịch,commune,3,5000",
    )
    assert changed != text
    result = import_procedures_csv(io.StringIO(changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 45)
    assert FeeLine.objects.get(procedure__code="1.004837").amount_vnd == 5000


def test_bad_rows_report_line_numbers_and_import_nothing(db):
    text = HEADER + (
        "1.001193,Thủ tục đăng ký khai sinh,Birth,Hộ tịch,commune,0,0,partial?,Tờ khai\n"
        "1.000894,Thủ tục đăng ký kết hôn,Marriage,Hộ tịch,ward,0,0,partial?,Tờ khai\n"
        "1.000656,Thủ tục đăng ký khai tử,Death,Hộ tịch,commune,ba,0,sometimes,Tờ khai\n"
        "1.001193,Trùng mã,Dup,Hộ tịch,commune,1,0,none,Tờ khai\n"
    )
    with pytest.raises(CatalogImportError) as exc:
        import_procedures_csv(io.StringIO(text))
    errors = exc.value.errors
    assert any(e.startswith("Dòng 3:") and "cấp thực hiện" in e for e in errors)
    assert any(e.startswith("Dòng 4:") and "processing_days" in e for e in errors)
    assert any(e.startswith("Dòng 4:") and "online_mode" in e for e in errors)
    assert any(e.startswith("Dòng 5:") and "trùng với Dòng 2" in e for e in errors)
    assert not any(e.startswith("Dòng 2:") for e in errors)
    assert Procedure.objects.count() == 0


def test_line_numbers_count_multiline_quoted_cells(db):
    text = HEADER + (
        '1.001193,"Thủ tục đăng ký\nkhai sinh",Birth,Hộ tịch,commune,0,0,none,Tờ khai\n'
        "1.000894,,Marriage,Hộ tịch,commune,0,0,none,Tờ khai\n"
    )
    with pytest.raises(CatalogImportError) as exc:
        import_procedures_csv(io.StringIO(text))
    assert exc.value.errors == ["Dòng 4: thiếu giá trị cột “name_vi”."]


def test_wrong_header_is_refused(db):
    with pytest.raises(CatalogImportError, match="Dòng 1: tiêu đề cột"):
        import_procedures_csv(io.StringIO("ma,ten\n1,2\n"))


def test_reimport_with_a_new_time_warns_and_keeps_the_active_version(reference_catalog):
    text = REFERENCE_CSV.read_text(encoding="utf-8")
    changed = text.replace(
        "Thủ tục đăng ký giám hộ,Guardianship registration,Hộ tịch,commune,3,",
        "Thủ tục đăng ký giám hộ,Guardianship registration,Hộ tịch,commune,5,",
    )
    result = import_procedures_csv(io.StringIO(changed))
    assert result.updated == 1 and result.workflows_created == 0
    assert len(result.warnings) == 1 and "3 ngày làm việc" in result.warnings[0]
    workflow = Workflow.objects.get(procedure__code="1.004837")
    assert (workflow.version, workflow.status, workflow.legal_amount) == (1, "active", 3)
