"""Plans from/to Excel: the round trip, and the line/column error report (all or nothing)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from motcua.reform import excel, queries, services
from motcua.reform.models import ReformPlan, Task
from motcua.reform.rules import TaskStatus


def _signature(plan: ReformPlan) -> list[tuple]:
    return [
        (
            t.objective.area,
            t.objective.number,
            t.objective.title,
            t.number,
            t.content,
            t.output,
            t.lead_agency.code,
            sorted(a.code for a in t.partners.all()),
            t.deadline,
            t.status,
            t.cancel_reference,
            t.cancel_reason,
            t.is_propaganda,
        )
        for t in plan.tasks.order_by("objective__number", "number")
    ]


def test_round_trip(world, plan):
    task = plan.tasks.get(content="Trục liên thông")
    services.cancel_task(
        by=world.office, task_id=task.pk, reference="12/UBND", reason="Không còn phù hợp"
    )
    data = excel.export_plan(plan)
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[4]][:6] == [
        "STT",
        "Nội dung nhiệm vụ",
        "Sản phẩm",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời hạn hoàn thành",
    ]
    copy = excel.import_plan(
        by=world.office,
        data=data,
        agency=world.home,
        year=2021,
        decision_number="5/KH-SNV",
        decision_date=dt.date(2021, 1, 5),
        title="Bản sao",
    )
    assert _signature(copy) == _signature(plan)
    assert queries.progress_of(copy).total == queries.progress_of(plan).total


def _sheet(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"])
    ws.append(list(excel.HEADERS))
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(world, data: bytes):
    return excel.import_plan(
        by=world.office,
        data=data,
        agency=world.city,
        year=2022,
        decision_number="9/KH-UBND",
        decision_date=dt.date(2022, 1, 3),
        title="Kế hoạch 2022",
    )


def test_every_error_is_reported_with_its_line_and_column_and_nothing_is_saved(world):
    data = _sheet(
        [
            ["I", "CẢI CÁCH THỂ CHẾ"],
            ["1", "Nâng cao chất lượng văn bản"],
            ["1.1", "Rà soát văn bản", "Báo cáo", "Sở Tư pháp", "", "30/06/2022"],
            ["1.2", "Việc lạ", "", "Sở Không Có", "Sở Nội vụ; Sở Ma", "31/02/2022"],
            ["1.3", "x" * 3000, "", "Sở Tư pháp", "", "31/12/9999"],
            ["1.4", "Hủy", "", "Sở Tư pháp", "", "Thường xuyên", "Đã hủy"],
            ["2.1", "Không thuộc mục tiêu", "", "Sở Tư pháp"],
            ["IX", "Lĩnh vực không có"],
            ["abc", "?"],
            ["1.5", "Hạn xa", "", "Sở Tư pháp", "", "12/2150"],
        ]
    )
    with pytest.raises(excel.ImportFailed) as exc:
        _import(world, data)
    where = {(p.row, p.column) for p in exc.value.problems}
    assert {
        (6, "D"),
        (6, "E"),
        (6, "F"),
        (7, "B"),
        (7, "F"),
        (8, "H"),
        (9, "A"),
        (10, "B"),
        (11, "A"),
        (12, "F"),
    } <= where
    assert "Dòng 6, cột D" in str(
        next(p for p in exc.value.problems if (p.row, p.column) == (6, "D"))
    )
    assert not ReformPlan.objects.filter(year=2022).exists()
    assert not Task.objects.exists()


def test_a_valid_sheet_with_month_and_continuing_deadlines(world):
    plan = _import(
        world,
        _sheet(
            [
                ["I", "Cải cách thể chế"],
                ["1", "Văn bản"],
                [
                    "1.1",
                    "Rà soát",
                    "Báo cáo",
                    "92.STP",
                    "Sở Nội vụ\nSở Thông tin và Truyền thông",
                    "06/2022",
                ],
                ["1.2", "Theo dõi", "", "Sở Tư pháp", "", "Thường xuyên", "Đang thực hiện"],
                [
                    "1.3",
                    "Bỏ",
                    "",
                    "Sở Tư pháp",
                    "",
                    dt.datetime(2022, 3, 1),
                    "Đã hủy",
                    "3/UBND",
                    "Trùng",
                ],
            ]
        ),
    )
    tasks = list(plan.tasks.order_by("number"))
    assert [t.deadline for t in tasks] == [dt.date(2022, 6, 30), None, dt.date(2022, 3, 1)]
    assert [t.status for t in tasks] == [
        TaskStatus.NOT_STARTED,
        TaskStatus.IN_PROGRESS,
        TaskStatus.CANCELLED,
    ]
    assert tasks[0].partners.count() == 2


@pytest.mark.parametrize("data", [b"", b"not an excel file", b"%PDF-1.4\n%%EOF\n"])
def test_a_file_that_is_not_excel_is_a_clear_error(world, data):
    with pytest.raises(services.InvalidInput):
        _import(world, data)


def test_a_sheet_without_header_or_tasks_is_refused(world):
    wb = Workbook()
    wb.active.append(["nothing"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(excel.ImportFailed):
        _import(world, out.getvalue())
    with pytest.raises(excel.ImportFailed):
        _import(world, _sheet([["I", "Cải cách thể chế"]]))


def test_an_agency_name_shared_by_two_agencies_needs_its_code(world, plan):
    from motcua.agencies.models import Agency

    for code in ("000.01.21.H13", "000.02.21.H13"):
        Agency.objects.create(
            code=code, name_vi="Ủy ban nhân dân Phường 1", level="commune", parent=world.city
        )
    with pytest.raises(excel.ImportFailed) as exc:
        _import(
            world,
            _sheet(
                [
                    ["I", "Cải cách thể chế"],
                    ["1", "Văn bản"],
                    ["1.1", "Rà soát", "", "Ủy ban nhân dân Phường 1"],
                ]
            ),
        )
    assert [(p.row, p.column) for p in exc.value.problems] == [(5, "D")]
    task = plan.tasks.get(content="Rà soát văn bản")
    task.lead_agency = Agency.objects.get(code="000.02.21.H13")
    task.save()
    copy = excel.import_plan(
        by=world.office,
        data=excel.export_plan(plan),
        agency=world.home,
        year=2021,
        decision_number="5/KH-SNV",
        decision_date=dt.date(2021, 1, 5),
        title="Bản sao",
    )
    assert _signature(copy) == _signature(plan)  # exported with its code, imported back
