"""Export → import into an empty catalog reproduces it, as CSV files and as an Excel workbook."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from motcua.agencies.models import Agency
from motcua.catalog import rules, services
from motcua.catalog.exporters import export_catalog_csv, export_catalog_xlsx
from motcua.catalog.importers import import_catalog_csv, import_catalog_xlsx, import_file
from motcua.catalog.models import Field, Procedure, Workflow, WorkflowStep
from motcua.catalog.records import CatalogImportError

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    """Everything the catalog says, without database ids or timestamps."""
    result = []
    for p in Procedure.objects.order_by("code", "name_vi"):
        result.append(
            (
                p.code,
                p.code_unconfirmed,
                p.name_vi,
                p.name_en,
                p.name_search,
                p.field.name_vi,
                p.field.name_en,
                p.levels,
                p.processing_amount,
                p.processing_unit,
                p.processing_unconfirmed,
                p.result_type,
                p.legal_basis,
                p.online_mode,
                p.historical_online_level,
                p.online_mode_unconfirmed,
                p.is_active,
                sorted(a.code for a in p.implementing_agencies.all()),
                p.origin,
                p.on_national_portal,
                [(f.order, f.name, f.amount_vnd, f.unconfirmed, f.note) for f in p.fee_lines.all()],
                [
                    (d.order, d.name, d.originals, d.copies, d.present_only, d.mandatory)
                    for d in p.required_documents.all()
                ],
                [
                    (
                        w.version,
                        w.status,
                        w.legal_amount,
                        w.legal_unit,
                        w.approved_ref,
                        w.valid_from,
                        [
                            (
                                s.order,
                                s.name,
                                s.role,
                                s.performer,
                                s.agency.code if s.agency else "",
                                s.allotted_hours,
                            )
                            for s in w.steps.all()
                        ],
                    )
                    for w in p.workflows.order_by("version")
                ],
            )
        )
    return result


def empty_catalog() -> None:
    WorkflowStep.objects.all().delete()
    Workflow.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()


@pytest.fixture
def rich_catalog(reference_catalog):
    """The reference catalog plus what the reference file cannot express."""
    dept = Agency.objects.create(code="000.00.05.H13", name_vi="Sở Tư pháp", level="department")
    ward = Agency.objects.create(code="000.01.21.H13", name_vi="Phường Cái Khế", level="commune")
    services.link_agencies_by_level("commune", [ward])
    lltp = Procedure.objects.get(code="3.000333")
    lltp.result_type = "Phiếu lý lịch tư pháp"
    lltp.legal_basis = "Luật Lý lịch tư pháp 2009"
    lltp.save()
    v2 = services.new_workflow_version(
        lltp,
        [
            rules.StepSpec("Tiếp nhận", "reception", D("0.5"), "receiving"),
            rules.StepSpec("Tra cứu, xác minh", "specialist", D("70.5"), "specific", dept.pk),
            rules.StepSpec("Lãnh đạo Sở ký", "leader", D(8)),
            rules.StepSpec("Trả kết quả", "return", D(1), "receiving"),
        ],
        approved_ref="123/QĐ-UBND",
        valid_from=date(2021, 7, 1),
    )
    services.activate_workflow(v2)
    services.new_workflow_version(lltp, rules.default_workflow_steps(10, "d"))  # v3 draft
    health = Procedure.objects.get(code="")
    services.set_processing_time(health, 36, "h", unconfirmed=True)
    # the bulletin's split: who laid the procedure down, and whether the national portal has it
    Procedure.objects.filter(pk=lltp.pk).update(origin="interlinked", on_national_portal=True)
    Procedure.objects.filter(pk=health.pk).update(origin="local")
    return snapshot()


def test_csv_round_trip(rich_catalog, tmp_path):
    files = export_catalog_csv(tmp_path / "catalog")
    assert sorted(f.name for f in files) == [
        "documents.csv",
        "fees.csv",
        "procedures.csv",
        "workflows.csv",
    ]
    empty_catalog()
    result = import_catalog_csv(tmp_path / "catalog")
    assert result.created == 46
    assert snapshot() == rich_catalog


def test_excel_round_trip(rich_catalog, tmp_path):
    path = tmp_path / "catalog.xlsx"
    export_catalog_xlsx(path)
    assert load_workbook(path).sheetnames == [
        "Thủ tục",
        "Phí, lệ phí",
        "Thành phần hồ sơ",
        "Quy trình",
    ]
    empty_catalog()
    import_file(path)
    assert snapshot() == rich_catalog


def test_importing_an_export_into_the_same_catalog_changes_nothing(rich_catalog, tmp_path):
    export_catalog_xlsx(tmp_path / "c.xlsx")
    result = import_catalog_xlsx(tmp_path / "c.xlsx")
    assert not result.changed and result.unchanged == 46
    assert snapshot() == rich_catalog


def test_import_refuses_to_change_an_active_version(rich_catalog, tmp_path):
    export_catalog_csv(tmp_path)
    path = tmp_path / "workflows.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    header = rows[0]
    target = next(
        i
        for i, r in enumerate(rows)
        if r[0] == "3.000333" and r[header.index("status")] == "active"
    )
    rows[target][header.index("step_name")] = "Đổi tên bước"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(CatalogImportError) as exc:
        import_catalog_csv(tmp_path)
    assert exc.value.errors[0].startswith(f"workflows.csv, dòng {target + 1}:")
    assert "đã được áp dụng" in exc.value.errors[0]
    assert snapshot() == rich_catalog


def test_excel_errors_name_sheet_and_row_and_import_nothing(rich_catalog, tmp_path):
    path = tmp_path / "c.xlsx"
    export_catalog_xlsx(path)
    workbook = load_workbook(path)
    sheet = workbook["Thủ tục"]
    columns = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=columns.index("online_mode") + 1, value="always")
    sheet.cell(row=5, column=columns.index("name_vi") + 1, value="Tên mới không được ghi")
    steps = workbook["Quy trình"]
    hours_col = [c.value for c in steps[1]].index("allotted_hours") + 1
    steps.cell(row=2, column=hours_col, value=99)
    workbook.save(path)
    empty_catalog()
    with pytest.raises(CatalogImportError) as exc:
        import_catalog_xlsx(path)
    assert any(
        e.startswith("Trang “Thủ tục”, dòng 3:") and "online_mode" in e for e in exc.value.errors
    )
    assert Procedure.objects.count() == 0
    # a valid sheet, but steps that no longer add up: reported with sheet and row
    sheet.cell(row=3, column=columns.index("online_mode") + 1, value="full")
    workbook.save(path)
    with pytest.raises(CatalogImportError) as exc:
        import_catalog_xlsx(path)
    assert any(
        e.startswith("Trang “Quy trình”, dòng 2:") and "Tổng thời gian" in e
        for e in exc.value.errors
    )
    assert Procedure.objects.count() == 0


def test_missing_agency_is_an_error(rich_catalog, tmp_path):
    export_catalog_csv(tmp_path)
    empty_catalog()
    Agency.objects.filter(code="000.00.05.H13").delete()
    with pytest.raises(CatalogImportError, match=r"không tìm thấy cơ quan có mã 000\.00\.05\.H13"):
        import_catalog_csv(tmp_path)
    assert Procedure.objects.count() == 0


def test_child_tables_need_the_procedure_table(rich_catalog, tmp_path):
    export_catalog_csv(tmp_path)
    with pytest.raises(CatalogImportError, match="phải được nhập cùng bảng"):
        import_catalog_csv(tmp_path / "fees.csv")


def test_a_file_in_the_older_layout_imports_and_leaves_origin_and_portal_alone(
    rich_catalog, tmp_path
):
    """Files written before the ``origin`` and ``on_national_portal`` columns still import."""
    export_catalog_csv(tmp_path)
    path = tmp_path / "procedures.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0][-2:] == ["origin", "on_national_portal"]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(row[:-2] for row in rows)
    result = import_catalog_csv(tmp_path)
    assert not result.changed
    assert snapshot() == rich_catalog


def test_an_unknown_origin_is_refused_with_its_row(rich_catalog, tmp_path):
    export_catalog_csv(tmp_path)
    path = tmp_path / "procedures.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    rows[1][rows[0].index("origin")] = "tỉnh"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(CatalogImportError) as err:
        import_catalog_csv(tmp_path)
    assert "cột “origin” không hợp lệ: “tỉnh”" in str(err.value.errors)
    assert snapshot() == rich_catalog


def test_a_changed_origin_is_imported(rich_catalog, tmp_path):
    export_catalog_csv(tmp_path)
    path = tmp_path / "procedures.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    header = rows[0]
    target = next(i for i, r in enumerate(rows) if r[0] == "3.000333")
    rows[target][header.index("origin")] = "central"
    rows[target][header.index("on_national_portal")] = "không"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    result = import_catalog_csv(tmp_path)
    assert result.updated == 1
    lltp = Procedure.objects.get(code="3.000333")
    assert (lltp.origin, lltp.on_national_portal) == ("central", False)
