"""The PAR index scheme and survey workbooks: round trip, row-by-row errors, all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from openpyxl import Workbook, load_workbook

from motcua.reform import index_demo, index_excel, index_services
from motcua.reform.excel import ImportFailed
from motcua.reform.index_rules import Method, Rule, Tier
from motcua.reform.models import Scheme, Score, SubCriterion, SurveyResult
from motcua.reform.rules import InvalidInput, NotAllowed


def _edit(data: bytes, sheet: str, cells: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        wb[sheet][ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_demo_scheme_round_trips_through_its_workbook():
    spec = index_demo.spec(Tier.DEPARTMENT)
    parsed = index_excel.parse_scheme(index_excel.scheme_workbook(spec))
    assert parsed == spec
    assert [a.max_points for a in parsed.areas] == [
        D(x) for x in ["10", "10", "14.5", "11", "16", "7", "16", "15.5"]
    ]
    assert sum(a.max_points for a in parsed.areas) == 100


def test_every_problem_is_reported_with_its_sheet_line_and_column(db):
    data = index_excel.scheme_workbook(index_demo.spec(Tier.DISTRICT))
    # tree sheet: header line 1, area 1 line 2, 1.1 line 3, 1.1.1 line 4, 1.1.2 line 5, 1.2 line 6
    bad = _edit(data, "Bộ chỉ số", {"C5": "ba", "D4": "Đoán", "A6": "1.x"})
    bad = _edit(bad, "Xếp loại", {"B3": 150})
    bad = _edit(bad, "Thông tin", {"B1": 1999})
    with pytest.raises(ImportFailed) as exc:
        index_excel.parse_scheme(bad)
    shown = [str(p) for p in exc.value.problems]
    assert "Trang “Thông tin”, dòng 1, cột B: năm phải từ 2000 đến 2100" in shown
    assert any(s.startswith("Trang “Xếp loại”, dòng 3, cột B") for s in shown)
    assert any(s.startswith("Trang “Bộ chỉ số”, dòng 6, cột A") for s in shown)
    assert any(s.startswith("Trang “Bộ chỉ số”, dòng 4, cột D") for s in shown)
    assert any(s.startswith("Trang “Bộ chỉ số”, dòng 5, cột C") for s in shown)
    assert "Tệp có" in exc.value.message


def test_area_maxima_must_add_up_and_nothing_is_saved(world):
    data = index_excel.scheme_workbook(index_demo.spec(Tier.DEPARTMENT))
    with pytest.raises(ImportFailed) as exc:
        index_excel.import_scheme(by=world.office, data=_edit(data, "Bộ chỉ số", {"C2": 11}))
    assert "Lĩnh vực 1" in str(exc.value.problems[0])
    assert not Scheme.objects.exists()
    with pytest.raises(NotAllowed):
        index_excel.import_scheme(by=world.justice_officer, data=data)
    scheme = index_excel.import_scheme(by=world.office, data=data)
    assert scheme.is_demo and scheme.areas.count() == 8
    assert SubCriterion.objects.get(scheme=scheme, code="8.1.1").rule == Rule.RATIO
    assert SubCriterion.objects.get(scheme=scheme, code="1.1.1").levels == "1;0.5;0"


def test_an_automatic_criterion_must_name_a_known_source(db):
    data = index_excel.scheme_workbook(index_demo.spec(Tier.DEPARTMENT))
    bad = _edit(data, "Bộ chỉ số", {"D4": "Tự động", "F4": "Tỷ lệ", "H4": "ty_le_bi_a"})
    with pytest.raises(ImportFailed) as exc:
        index_excel.parse_scheme(bad)
    assert "dossier_on_time_rate" in str(exc.value.problems[0])
    good = _edit(
        data,
        "Bộ chỉ số",
        {"D4": "Tự động", "F4": "Tỷ lệ", "H4": "dossier_on_time_rate", "G4": None},
    )
    sub = index_excel.parse_scheme(good).areas[0].criteria[0].subs[0]
    assert (sub.method, sub.source) == (Method.AUTO, "dossier_on_time_rate")


def test_not_an_excel_file_is_a_clear_error(db):
    with pytest.raises(InvalidInput) as exc:
        index_excel.parse_scheme(b"%PDF-1.4\n%%EOF\n")
    assert "Excel" in exc.value.message


def test_survey_results_feed_the_survey_criterion_all_or_nothing(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scheme = index_excel.import_scheme(
        by=world.office, data=index_excel.scheme_workbook(index_demo.spec(Tier.DEPARTMENT))
    )
    index_services.open_assessments(
        by=world.office, scheme_id=scheme.pk, agencies=[world.justice, world.ict]
    )
    wb = Workbook()
    ws = wb.active
    ws.append(list(index_excel.SURVEY_HEADERS))
    ws.append(["Sở Tư pháp", "8.1.1", 85.5, 320])
    ws.append(["Sở Không Có", "8.1.1", 80, 10])
    ws.append(["92.STTTT", "1.1.1", 120, -1])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ImportFailed) as exc:
        index_excel.import_survey(
            by=world.office, scheme=scheme, data=out.getvalue(), source="SIPAS"
        )
    assert [(p.row, p.column) for p in exc.value.problems] == [
        (3, "A"),
        (4, "B"),
        (4, "C"),
        (4, "D"),
    ]
    assert not SurveyResult.objects.exists()
    good = index_excel.survey_workbook(
        [("Sở Tư pháp", "8.1.1", D("85.5"), 320), ("92.STTTT", "8.1.1", D("95"), None)]
    )
    assert index_excel.import_survey(by=world.office, scheme=scheme, data=good, source="SIPAS") == 2
    points = dict(
        Score.objects.filter(sub__code="8.1.1").values_list(
            "assessment__agency__local_ref", "final_points"
        )
    )
    assert points == {"92.STP": D("8.55"), "92.STTTT": D(9)}  # 9 × 0.855 / 0.9; capped at 9
