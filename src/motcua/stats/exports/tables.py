"""One table model for every export format (Excel, CSV, PDF) and for the pages' data tables.

A table is columns with a header *path* (group → subgroup → label, as the official forms nest
their headers) and rows of plain values. The writers derive the merged header cells from the
paths, so Form 06a's three header rows, the 766 workbook and a satisfaction table are each
declared once and come out the same in every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Column:
    key: str
    path: tuple[str, ...]  # header levels, outermost first; the last one is the column's label
    kind: str = "int"  # int | text | decimal | percent (a fraction shown ×100)

    @property
    def label(self) -> str:
        return self.path[-1]


@dataclass
class Table:
    key: str  # file-name stem: "form06a", "index766", "satisfaction", …
    title: str
    subtitle: str
    columns: list[Column]
    rows: list[list[object]] = field(default_factory=list)
    total: list[object] | None = None  # the bold last line, when the table has one
    notes: list[str] = field(default_factory=list)
    numbered: bool = False  # a row "(1) (2) …" under the header, as official forms print

    @property
    def depth(self) -> int:
        return max(len(c.path) for c in self.columns)

    def header_cells(self) -> list[list[tuple[int, int, str]]]:
        """Per header row, the cells that start there: (column index, column span, text). A
        column whose path is shorter than ``depth`` spans down to the last header row: the
        writers read ``row_span`` for that."""
        depth = self.depth
        out: list[list[tuple[int, int, str]]] = []
        for level in range(depth):
            cells: list[tuple[int, int, str]] = []
            i = 0
            while i < len(self.columns):
                path = self.columns[i].path
                if len(path) <= level:
                    i += 1
                    continue
                j = i + 1
                # columns sharing the same prefix up to this level (and going deeper) merge
                while (
                    len(path) > level + 1
                    and j < len(self.columns)
                    and len(self.columns[j].path) > level + 1
                    and self.columns[j].path[: level + 1] == path[: level + 1]
                ):
                    j += 1
                cells.append((i, j - i, path[level]))
                i = j
            out.append(cells)
        return out

    def row_span(self, level: int, column: int) -> int:
        """How many header rows the cell at (level, column) covers."""
        path = self.columns[column].path
        return self.depth - level if level == len(path) - 1 else 1

    def flat_header(self) -> list[str]:
        """One header line (CSV): the levels joined, e.g. "Kết quả giải quyết - Đã giải quyết -
        Trước hạn"."""
        return [" - ".join(c.path) for c in self.columns]

    def body(self) -> list[list[object]]:
        return self.rows + ([self.total] if self.total is not None else [])


def percent(value: Decimal | None) -> Decimal | None:
    """A fraction as a percentage with 2 decimals (kpi-766.md §0.3); None stays None."""
    if value is None:
        return None
    from decimal import ROUND_HALF_UP

    return (Decimal(value) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a fraction; None when there is nothing to divide by."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)
