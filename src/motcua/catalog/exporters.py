"""Writing the catalog in the round-trip format: one Excel workbook (a sheet per table) or a
directory of CSV files (one per table). ``importers.py`` reads both back."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db.models import Prefetch

from motcua.catalog import formats
from motcua.catalog.formats import DOCUMENTS, FEES, PROCEDURES, WORKFLOWS, yes_no
from motcua.catalog.models import Procedure, Workflow, WorkflowStep

Row = list[object]


def _procedures():
    return (
        Procedure.objects.select_related("field")
        .prefetch_related(
            "implementing_agencies",
            "fee_lines",
            "required_documents",
            Prefetch(
                "workflows",
                queryset=Workflow.objects.order_by("version").prefetch_related(
                    Prefetch("steps", queryset=WorkflowStep.objects.select_related("agency"))
                ),
            ),
        )
        .order_by("code", "name_vi")
    )


def _table_rows(entity: str) -> Iterator[Row]:
    for p in _procedures():
        ref: Row = [p.code, p.name_vi]
        if entity == PROCEDURES:
            yield [
                p.code,
                yes_no(p.code_unconfirmed),
                p.name_vi,
                p.name_en,
                p.field.name_vi,
                p.field.name_en,
                formats.LIST_SEPARATOR.join(p.levels),
                p.processing_amount,
                p.processing_unit,
                yes_no(p.processing_unconfirmed),
                p.result_type,
                p.legal_basis,
                p.online_mode,
                p.historical_online_level,
                yes_no(p.online_mode_unconfirmed),
                yes_no(p.is_active),
                formats.LIST_SEPARATOR.join(sorted(a.code for a in p.implementing_agencies.all())),
                p.origin,
                yes_no(p.on_national_portal),
            ]
        elif entity == FEES:
            for f in p.fee_lines.all():
                yield [*ref, f.order, f.name, f.amount_vnd, yes_no(f.unconfirmed), f.note]
        elif entity == DOCUMENTS:
            for d in p.required_documents.all():
                yield [
                    *ref,
                    d.order,
                    d.name,
                    d.originals,
                    d.copies,
                    yes_no(d.present_only),
                    yes_no(d.mandatory),
                ]
        elif entity == WORKFLOWS:
            for w in p.workflows.all():
                for s in w.steps.all():
                    yield [
                        *ref,
                        w.version,
                        w.status,
                        w.legal_amount,
                        w.legal_unit,
                        w.approved_ref,
                        w.valid_from,
                        s.order,
                        s.name,
                        s.role,
                        s.performer,
                        s.agency.code if s.agency else "",
                        s.allotted_hours,
                    ]


def export_catalog_xlsx(file: str | Path | IO[bytes]) -> None:
    """Write every procedure and workflow to one workbook, one sheet per table."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for entity in formats.ENTITIES:
        sheet = workbook.create_sheet(formats.SHEETS[entity])
        sheet.append(formats.COLUMNS[entity])
        for row in _table_rows(entity):
            # hours as float keep Excel arithmetic working; 0.5 steps are exact in binary
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        sheet.freeze_panes = "A2"
    workbook.save(file)


def export_catalog_csv(directory: str | Path) -> list[Path]:
    """Write one UTF-8 CSV per table (procedures.csv, fees.csv, documents.csv,
    workflows.csv) into ``directory``; returns the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for entity in formats.ENTITIES:
        path = directory / f"{entity}.csv"
        # utf-8-sig: Excel opens the file with the right encoding
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(formats.COLUMNS[entity])
            for row in _table_rows(entity):
                writer.writerow(["" if v is None else formats.cell_text(v) for v in row])
        written.append(path)
    return written
