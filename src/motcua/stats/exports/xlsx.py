"""Excel workbooks (openpyxl): one sheet per table, with the official forms' merged header
rows, the column numbers "(1) (2) …" under them, and numbers stored as numbers."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .tables import Table

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)
FORM_CODE = "Biểu số 06a/VPCP/KSTT"


def _cell_value(value: object) -> object:
    # openpyxl writes Decimal as a number; None stays an empty cell ("no data", never 0)
    if isinstance(value, Decimal):
        return float(value)
    return value


def add_sheet(wb: Workbook, table: Table, *, first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet()
    ws.title = table.key[:31]
    width = len(table.columns)
    last_col = get_column_letter(width)
    row = 1
    if table.key == "form06a":
        ws.cell(row=row, column=width, value=FORM_CODE).font = BOLD
        ws.cell(row=row, column=width).alignment = Alignment(horizontal="right")
        row += 1
    ws.cell(row=row, column=1, value=table.title.upper()).font = Font(bold=True, size=13)
    ws.merge_cells(f"A{row}:{last_col}{row}")
    ws.cell(row=row, column=1).alignment = CENTER
    row += 1
    ws.cell(row=row, column=1, value=table.subtitle).alignment = CENTER
    ws.merge_cells(f"A{row}:{last_col}{row}")
    row += 1
    for note in table.notes:
        ws.cell(row=row, column=1, value=note).font = Font(italic=True)
        ws.merge_cells(f"A{row}:{last_col}{row}")
        row += 1
    row += 1  # a blank line before the table
    top = row
    for level, cells in enumerate(table.header_cells()):
        r = top + level
        for col, span, text in cells:
            rows_down = table.row_span(level, col) if span == 1 else 1
            c = ws.cell(row=r, column=col + 1, value=text)
            c.font, c.alignment = BOLD, CENTER
            if span > 1 or rows_down > 1:
                ws.merge_cells(
                    start_row=r,
                    start_column=col + 1,
                    end_row=r + rows_down - 1,
                    end_column=col + span,
                )
    row = top + table.depth
    for r in range(top, row):
        for col in range(1, width + 1):
            ws.cell(row=r, column=col).border = BOX
    if table.numbered:
        for col in range(1, width + 1):
            c = ws.cell(row=row, column=col, value=f"({col})")
            c.alignment, c.border = CENTER, BOX
        row += 1
    for values in table.rows:
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=_cell_value(value)).border = BOX
        row += 1
    if table.total is not None:
        for col, value in enumerate(table.total, start=1):
            c = ws.cell(row=row, column=col, value=_cell_value(value))
            c.font, c.border = BOLD, BOX
        row += 1
    for col, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = (
            40 if column.kind == "text" and col <= 2 and column.key in ("label", "name") else 13
        )
    ws.freeze_panes = ws.cell(row=top + table.depth + (1 if table.numbered else 0), column=3)


def workbook_bytes(tables: list[Table]) -> bytes:
    """The tables as one .xlsx file (one sheet each, in order)."""
    wb = Workbook()
    for i, table in enumerate(tables):
        add_sheet(wb, table, first=i == 0)
    wb.properties.creator = "motcua"
    wb.properties.title = tables[0].title if tables else _("Báo cáo")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
