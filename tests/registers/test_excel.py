"""Excel import: every row checked, every problem reported as "Dòng N, cột X", nothing written
unless the whole sheet is valid; the export reads back in."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from motcua.core.models import ChangeEvent
from motcua.registers import excel, services
from motcua.registers.models import OnlineMeeting
from motcua.registers.registry import REGISTERS
from motcua.registers.rules import InvalidInput

MEETINGS = REGISTERS["meetings"]
HEADER = ["Ngày", "Cơ quan chủ trì", "Cấp", "Nội dung"]


def _xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_good_sheet_creates_every_row_through_the_services(world):
    data = _xlsx(
        [
            ["05/01/2021", "Sở Nội vụ", "Cấp thành phố", "Họp trực tuyến 1"],
            [dt.datetime(2021, 2, 3), "000.00.21.H13", "cap quan, huyen", "Họp trực tuyến 2"],
            [None, None, None, None],  # blank rows are skipped
            ["2021-03-04", "916", "district", "Họp trực tuyến 3"],
        ]
    )
    assert excel.import_file(by=world.office, register=MEETINGS, data=data, dry_run=True) == 3
    assert not OnlineMeeting.objects.exists()  # the preview writes nothing
    assert excel.import_file(by=world.office, register=MEETINGS, data=data) == 3
    levels = list(OnlineMeeting.objects.order_by("date").values_list("level", "agency__local_ref"))
    assert levels == [("city", "92.SNV"), ("district", "916"), ("district", "916")]
    assert ChangeEvent.objects.filter(action="registers.meetings.create").count() == 3
    assert ChangeEvent.objects.get(action="registers.meetings.import").data["after"] == {"rows": 3}


def test_bad_rows_are_all_reported_and_nothing_is_written(world):
    data = _xlsx(
        [
            ["05/01/2021", "Sở Nội vụ", "Cấp thành phố", "Đúng"],
            ["31/02/2021", "Sở Nội vụ", "Cấp thành phố", "Ngày sai"],
            ["05/01/2021", "Sở Không Có", "Cấp thành phố", "Cơ quan sai"],
            ["05/01/2021", "Sở Nội vụ", "Cấp trung ương", "Cấp sai"],
            ["05/01/2021", "Sở Nội vụ", "Cấp thành phố", "x" * 600],
            ["01/01/9999", "Sở Nội vụ", "Cấp thành phố", "Năm sai"],
        ]
    )
    with pytest.raises(excel.ImportFailed) as caught:
        excel.import_file(by=world.office, register=MEETINGS, data=data)
    lines = [str(p) for p in caught.value.problems]
    assert lines[0].startswith("Dòng 3, cột A: Ngày") and "NN/TT/NNNN" in lines[0]
    assert lines[1] == "Dòng 4, cột B: không tìm thấy cơ quan “Sở Không Có”"
    assert lines[2].startswith("Dòng 5, cột C: Cấp: giá trị không hợp lệ")
    assert lines[3].startswith("Dòng 6, cột D: Nội dung: quá dài")
    assert lines[4].startswith("Dòng 7, cột A: Ngày: Ngày phải nằm trong khoảng")
    assert len(lines) == 5
    assert not OnlineMeeting.objects.exists() and not ChangeEvent.objects.exists()


def test_rows_of_agencies_out_of_reach_are_refused(world):
    data = _xlsx([["05/01/2021", "Sở Nội vụ", "Cấp thành phố", "Họp"]])
    with pytest.raises(excel.ImportFailed) as caught:
        excel.import_file(by=world.justice_officer, register=MEETINGS, data=data)
    assert "không có quyền" in str(caught.value.problems[0])
    assert not OnlineMeeting.objects.exists()


def test_a_missing_column_or_a_non_excel_file_is_refused(world):
    with pytest.raises(excel.ImportFailed) as caught:
        excel.import_file(
            by=world.office, register=MEETINGS, data=_xlsx([["x"]], header=["Ngày", "Cấp"])
        )
    assert [str(p) for p in caught.value.problems] == [
        "Dòng 1, cột —: thiếu cột “Cơ quan chủ trì” ở dòng tiêu đề",
        "Dòng 1, cột —: thiếu cột “Nội dung” ở dòng tiêu đề",
    ]
    with pytest.raises(InvalidInput):
        excel.import_file(by=world.office, register=MEETINGS, data=b"%PDF-1.4 not a sheet")
    with pytest.raises(InvalidInput):
        excel.import_file(by=world.office, register=MEETINGS, data=_xlsx([]))


def test_the_export_reads_back_in(world):
    services.create_entry(
        by=world.office,
        register="legal",
        values={
            "date": dt.date(2021, 4, 1),
            "agency": world.justice,
            "kind": "self_check",
            "title": "Quyết định 9/2021/QĐ-UBND",
            "errors_found": True,
            "error_notes": "Lỗi trình bày",
        },
    )
    reg = REGISTERS["legal"]
    data = excel.export(reg, reg.model.objects.all())
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]][:3] == ["Ngày thực hiện", "Cơ quan thực hiện", "Loại công việc"]
    assert ws["C2"].value == "Tự kiểm tra văn bản" and ws["F2"].value == "x"
    assert excel.import_file(by=world.office, register=reg, data=data) == 1
    assert set(reg.model.objects.values_list("errors_found", "error_notes")) == {
        (True, "Lỗi trình bày")
    }
