"""History-import set-up: the dossier engine's two-commune world (tests/dossiers/conftest.py)
and helpers writing import files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.dossiers.conftest import make_world


@pytest.fixture
def world(db):
    return make_world()


def write_csv(
    path: Path, header: list[str], rows: list[list[object]], *, bom: bool = False
) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HEADER = [
    "code", "procedure", "agency", "channel", "state", "submitted_at", "received_at", "due_at",
    "pauses", "ended_at", "returned_at", "outcome", "applicant_name", "applicant_id_number",
]  # fmt: skip


def dossier_row(code: str, **changes) -> list[object]:
    """A returned dossier of commune A (000.01.21.H13) with one supplement round."""
    row = dict(
        code=code,
        procedure="1.004884",
        agency="000.01.21.H13",
        channel="desk",
        state="returned",
        submitted_at="2021-03-01 08:00",
        received_at="2021-03-01 08:30",
        due_at="2021-03-08 08:30",
        pauses="2021-03-02 09:00/2021-03-04 09:00",
        ended_at="2021-03-09 10:00",
        returned_at="2021-03-09 14:00",
        outcome="approved",
        applicant_name="Nguyễn Văn An",
        applicant_id_number="092090001234",
    )
    row.update(changes)
    return [row[k] for k in HEADER]
