"""The exports read back: the xlsx with openpyxl (cells, merged headers), the CSV with the csv
module (BOM, Vietnamese intact), the PDF by its text (pdftotext)."""

from __future__ import annotations

import csv
import io

import pypdf
from openpyxl import load_workbook

from motcua.stats.exports import csvout, pdf, reports, xlsx
from motcua.stats.svgcharts import bar_chart, line_chart
from motcua.stats.types import Row
from tests.stats import fakes


def _form06a():
    total = fakes.figures(3)
    return reports.form06a_table(
        fakes.rows(), total, unit="UBND thành phố Cần Thơ", period_label="9 tháng 2021"
    )


def _find(ws, text):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in the sheet")


def test_form06a_workbook_has_the_forms_header_and_numbers():
    data = xlsx.workbook_bytes([_form06a()])
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "form06a"
    assert _find(ws, "Biểu số 06a/VPCP/KSTT")
    assert _find(ws, "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    top = _find(ws, "Số hồ sơ nhận giải quyết")
    merged = {str(r) for r in ws.merged_cells.ranges}
    # "received" spans its five columns (total, online, direct, post, carried over)
    assert f"C{top.row}:G{top.row}" in merged
    assert _find(ws, "Kết quả giải quyết").column == 8
    number_row = _find(ws, "(1)").row
    assert [ws.cell(number_row, c).value for c in (1, 14)] == ["(1)", "(14)"]
    first = number_row + 1
    values = [ws.cell(first, c).value for c in range(1, 15)]
    # Sở GTVT (k=1): 21 received + 4 carried over; online 8, direct 11 (desk+kiosk), post 2;
    # settled 15 = 7 early + 6 on time + 2 late; in progress 11 = 8 within + 3 overdue
    assert values == ["1", "Sở Giao thông vận tải", 25, 8, 11, 2, 4, 15, 7, 6, 2, 11, 8, 3]
    total = [ws.cell(first + 2, c).value for c in range(2, 15)]
    assert total == ["Tổng cộng", 75, 24, 33, 6, 12, 45, 21, 18, 6, 33, 24, 9]
    assert ws.cell(first + 2, 2).font.bold


def test_index766_workbook_shows_missing_inputs_not_zeros():
    table = reports.index766_table(fakes.index_result(), unit="Cần Thơ")
    ws = load_workbook(io.BytesIO(xlsx.workbook_bytes([table]))).active
    row = _find(ws, "2.1").row
    assert [ws.cell(row, c).value for c in range(1, 8)] == [
        "2.1", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", 45, 50, 90, 18, 20,
    ]  # fmt: skip
    sync = _find(ws, "1.4").row
    assert ws.cell(sync, 3).value is None and ws.cell(sync, 6).value is None
    assert "national_synced_at" in ws.cell(sync, 8).value
    assert ws.cell(_find(ws, "Tổng điểm").row, 6).value == 18


def test_csv_has_a_bom_and_reads_back():
    data = csvout.csv_bytes(_form06a())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][2] == "Số hồ sơ nhận giải quyết - Tổng số"
    assert rows[0][3] == "Số hồ sơ nhận giải quyết - Số mới tiếp nhận - Trực tuyến"
    assert rows[2][1] == "Ủy ban nhân dân quận Ninh Kiều" and rows[2][2] == "50"
    assert rows[-1][1] == "Tổng cộng"


def test_satisfaction_table_rates():
    row = Row("000.00.02.H13", "Sở Giao thông vận tải", "", fakes.satisfaction())
    table = reports.satisfaction_table(
        [row], fakes.satisfaction(), unit="Cần Thơ", period_label="2021"
    )
    rows = list(csv.reader(io.StringIO(csvout.csv_bytes(table).decode("utf-8-sig"))))
    # 10 ratings: 5 very satisfied + 3 satisfied = 80.00 %
    assert rows[1][2:] == ["10", "5", "3", "2", "80.00"]


def test_english_labels_when_english_is_active():
    from django.utils import translation

    with translation.override("en"):
        table = reports.form06a_table(
            fakes.rows(), fakes.figures(3), unit="x", period_label="2021", language="en"
        )
    assert table.rows[0][1] == "Department of Transport"
    assert table.columns[3].label == "Online"


def test_pdf_has_the_tables_text_and_a_chart():
    charts = [
        bar_chart("Tỷ lệ đúng hạn theo cơ quan", ["Sở GTVT", "Ninh Kiều"], [86.67, None], unit="%"),
        line_chart("Xu hướng", ["01/2021", "02/2021"], [("Tiếp nhận", [3, 5])]),
    ]
    tables = [_form06a(), reports.index766_table(fakes.index_result(), unit="Cần Thơ")]
    data = pdf.pdf_bytes("Báo cáo thống kê", tables, charts)
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Biểu số 06a/VPCP/KSTT" in text
    assert "Sở Giao thông vận tải" in text and "Ninh Kiều" in text
    assert "Tỷ lệ đúng hạn theo cơ quan" in text  # the SVG chart's title is drawn text
    assert "Tiến độ giải quyết" in text
