"""The periodic reform report to the Ministry of Home Affairs (báo cáo CCHC quý I, 6 tháng,
quý III, năm; report windows of stats.periods: 2021-BC-Q3 is 15/06–14/09/2021), from the same
records as the bulletin: its outline follows the bulletin's areas (I. results per area), then
the parts the office writes (II. shortcomings, III. tasks for the next period), and a data
annex of every figure with its source. Word and PDF as the bulletin; Excel: the annex and
the outline's sentences, one sheet each."""

from __future__ import annotations

import datetime as dt
import io

from motcua.agencies.models import Agency
from motcua.bulletin import compose, outputs
from motcua.bulletin.compose import SectionContent
from motcua.bulletin.services import figure_query
from motcua.stats import periods
from motcua.stats.types import Period

FORMATS = ("docx", "pdf", "xlsx")
TITLE_VI = "Báo cáo công tác cải cách hành chính"
TITLE_EN = "Administrative-reform report"
CLOSING = (
    ("shortcomings", "Tồn tại, hạn chế và nguyên nhân", "Shortcomings and their causes"),
    ("next", "Phương hướng, nhiệm vụ kỳ tới", "Tasks for the next period"),
    ("proposals", "Đề xuất, kiến nghị", "Proposals"),
)


def parse(spec: str, today: dt.date) -> Period:
    """A period spec (2021-BC-Q3, 2021-BC-6T, 2021-BC-NAM, 2021-Q1, …): ``PeriodError``."""
    return periods.parse_period(spec, today=today)


def compose_report(period: Period, agency: Agency, *, language: str = "vi") -> compose.Bulletin:
    en = language == "en"
    label = period.label_en if en else period.label
    report = compose.compose(
        figure_query(agency, period.start, period.end),
        title=f"{TITLE_EN if en else TITLE_VI} — {label}",
        period_label=label,
        scope_name=(agency.name_en or agency.name_vi) if en else agency.name_vi,
        language=language,
    )
    report.kind = "ministry"
    start = len(report.sections)
    for i, (key, vi, en_title) in enumerate(CLOSING, start=1):
        report.sections.append(
            SectionContent(
                key=key,
                number=start + i,
                title=en_title if en else vi,
                narrative="",
                lines=[],
            )
        )
    return report


def xlsx_bytes(report: compose.Bulletin) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    en = report.language == "en"
    wb = Workbook()
    annex = wb.active
    annex.title = "Annex" if en else "Phụ lục số liệu"
    annex.append([report.title])
    annex["A1"].font = Font(bold=True)
    annex.append([report.scope_name, report.period_label])
    header = (
        ["Key", "Figure", "Value", "Unit", "Kind", "Source"]
        if en
        else ["Mã số liệu", "Số liệu", "Giá trị", "Đơn vị", "Loại", "Nguồn"]
    )
    annex.append(header)
    for cell in annex[3]:
        cell.font = Font(bold=True)
    for v in report.used():
        value = None if v.missing else (float(v.value) if "." in v.value else int(v.value))
        annex.append([v.key, v.label, value, v.unit, v.kind, v.source])
    for col, width in zip("ABCDEF", (46, 48, 12, 8, 8, 48), strict=True):
        annex.column_dimensions[col].width = width
    outline = wb.create_sheet("Outline" if en else "Đề cương")
    for s in report.sections:
        outline.append([f"{s.number}. {s.title}"])
        outline.cell(outline.max_row, 1).font = Font(bold=True)
        for line in s.lines:
            outline.append([compose.plain_line(report, line)])
    outline.column_dimensions["A"].width = 140
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(report: compose.Bulletin, fmt: str) -> bytes:
    if fmt == "xlsx":
        return xlsx_bytes(report)
    return outputs.render(report, fmt)
