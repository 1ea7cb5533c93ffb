"""One export = a report (form06a, kpis, index766, satisfaction) × a format (xlsx, pdf, csv)
for checked filters; the desk and the public page both answer through ``export_response``."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from motcua.core.localize import localized_name
from motcua.stats import dashboard, queries, satisfaction
from motcua.stats.filters import Filters
from motcua.stats.svgcharts import bar_chart, line_chart

from . import csvout, pdf, reports, xlsx
from .tables import Table

REPORTS = ("form06a", "kpis", "index766", "satisfaction")
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}
DOSSIER_BREAKDOWNS = ("agency", "field", "procedure", "officer")
RATING_BREAKDOWNS = ("agency", "procedure", "officer", "desk")
PUBLIC_BREAKDOWNS = ("agency", "field", "procedure")  # no officer names on public pages


class ExportError(ValueError):
    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def check(report: str, fmt: str, by: str, *, public: bool) -> None:
    if report not in REPORTS:
        raise ExportError("unknown_report", _("Không có báo cáo này."), "report")
    if fmt not in FORMATS:
        raise ExportError("unknown_format", _("Định dạng phải là xlsx, pdf hoặc csv."), "format")
    allowed = RATING_BREAKDOWNS if report == "satisfaction" else DOSSIER_BREAKDOWNS
    if public:
        allowed = tuple(b for b in allowed if b in PUBLIC_BREAKDOWNS)
    if report in ("form06a", "kpis", "satisfaction") and by not in allowed:
        raise ExportError(
            "invalid_breakdown",
            _("Chỉ thống kê được theo: %(choices)s.") % {"choices": ", ".join(allowed)},
            "by",
        )


def tables_for(report: str, filters: Filters, by: str, today: dt.date) -> list[Table]:
    language = get_language() or "vi"
    scope, period = filters.scope, filters.period
    unit = localized_name(filters.agency)
    label = dashboard.period_label(period, today)
    if report == "form06a":
        rows = queries.dossier_breakdown(scope, period, by)
        total = queries.dossier_figures(scope, period)
        return [
            reports.form06a_table(rows, total, unit=unit, period_label=label, language=language)
        ]
    if report == "kpis":
        rows = queries.dossier_breakdown(scope, period, by)
        total = queries.dossier_figures(scope, period)
        return [reports.kpis_table(rows, total, unit=unit, period_label=label, language=language)]
    if report == "index766":
        result = queries.index766(scope, period)
        return [reports.index766_table(result, unit=unit, language=language)]
    rows = satisfaction.satisfaction_breakdown(scope, period, by)
    total = satisfaction.satisfaction_figures(scope, period)
    return [
        reports.satisfaction_table(rows, total, unit=unit, period_label=label, language=language)
    ]


def charts_for(report: str, filters: Filters, tables: list[Table]) -> list[str]:
    """The PDF's charts (SVG): the month-by-month trend, and a bar per row of the table."""
    charts: list[str] = []
    table = tables[0]
    if report in ("form06a", "kpis"):
        months = queries.dossier_trend(filters.scope, filters.period)
        charts.append(
            line_chart(
                _("Hồ sơ theo tháng"),
                [f"{m.start:%m/%Y}" for m, _f in months],
                [
                    (pgettext("stats", "Tiếp nhận"), [f.received for _m, f in months]),
                    (_("Đã giải quyết"), [f.settled for _m, f in months]),
                ],
            )
        )
        labels = [str(r[1]) for r in table.rows]
        charts.append(
            bar_chart(
                _("Số hồ sơ nhận giải quyết"),
                labels,
                [float(r[2]) for r in table.rows],
            )
        )
    elif report == "index766":
        groups = [r for r in table.rows if r[0] == ""]
        charts.append(
            bar_chart(
                _("Điểm theo nhóm chỉ số"), [str(r[1]) for r in groups], [r[5] for r in groups]
            )
        )
    else:
        charts.append(
            bar_chart(
                _("Tỷ lệ hài lòng (%)"),
                [str(r[1]) for r in table.rows],
                [r[-1] for r in table.rows],
                unit="%",
            )
        )
    return charts


def export_response(
    report: str, fmt: str, filters: Filters, by: str, today: dt.date, *, public: bool
) -> HttpResponse:
    """The file as a download (raises ``ExportError`` for a bad report/format/breakdown)."""
    check(report, fmt, by, public=public)
    tables = tables_for(report, filters, by, today)
    stem = f"{report}-{filters.agency.code}-{filters.spec}".replace("..", "_")
    if fmt == "xlsx":
        body = xlsx.workbook_bytes(tables)
    elif fmt == "csv":
        body = csvout.csv_bytes(tables[0])
    else:
        body = pdf.pdf_bytes(tables[0].title, tables, charts_for(report, filters, tables))
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
