"""Reading catalog files: the 2021 reference CSV, and the round-trip format (a directory of
CSV files or one Excel workbook) written by ``exporters.py``.

Reading is done completely before anything is written; every problem is reported with its
file/sheet and line, and ``services.apply_catalog`` writes everything in one transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from motcua.catalog import formats, rules
from motcua.catalog.formats import DOCUMENTS, FEES, PROCEDURES, WORKFLOWS, RowReader
from motcua.catalog.models import Origin
from motcua.catalog.records import (
    CatalogImportError,
    DocumentRecord,
    FeeRecord,
    ImportResult,
    ProcedureRecord,
    StepRecord,
    WorkflowRecord,
    procedure_key,
)
from motcua.catalog.services import apply_catalog

ONLINE_MODES = ["full", "partial", "none"]
HISTORICAL_FROM_MODE = {"full": 4, "partial": 3, "none": None}  # 2021 "mức độ"

# A table: rows of (source for messages, {column: cell})
Rows = list[tuple[str, dict[str, object]]]


def _open_text(file: str | Path | IO) -> IO[str]:
    if isinstance(file, str | Path):
        return open(file, encoding="utf-8-sig", newline="")
    if isinstance(file, io.TextIOBase):
        return file
    return io.TextIOWrapper(file, encoding="utf-8-sig", newline="")


def _csv_rows(stream: IO[str], prefix: str) -> tuple[list[str], Rows]:
    reader = csv.reader(stream)
    header = next(reader, [])
    header = [h.lstrip("\ufeff").strip() for h in header]
    rows: Rows = []
    start = reader.line_num + 1
    for cells in reader:
        if any(c.strip() for c in cells):
            source = f"{prefix}dòng {start}" if prefix else f"Dòng {start}"
            rows.append((source, dict(zip(header, cells, strict=False))))
        start = reader.line_num + 1
    return header, rows


# --- the 2021 reference CSV ------------------------------------------------------------------


def read_reference_rows(rows: Rows) -> list[ProcedureRecord]:
    errors: list[str] = []
    records: list[ProcedureRecord] = []
    for source, values in rows:
        row = RowReader(values, source, errors)
        code, code_unconfirmed = rules.split_unconfirmed(row.text("code"))
        days_text, days_unconfirmed = rules.split_unconfirmed(row.text("processing_days"))
        days = RowReader({"processing_days": days_text}, source, errors).integer("processing_days")
        fee_text, fee_unconfirmed = rules.split_unconfirmed(row.text("fee_vnd"))
        fee = RowReader({"fee_vnd": fee_text}, source, errors).integer("fee_vnd")
        mode_text, mode_unconfirmed = rules.split_unconfirmed(row.text("online_mode"))
        mode = RowReader({"online_mode": mode_text}, source, errors).choice(
            "online_mode", ONLINE_MODES
        )
        levels = tuple(lv.strip() for lv in row.text("authority_level", required=True).split(";"))
        if any(lv not in rules.LEVELS for lv in levels):
            row.error(
                f"cấp thực hiện không hợp lệ: “{row.text('authority_level')}” "
                "(chấp nhận: commune, district, province)."
            )
        fees = (
            []
            if not fee_text and not fee_unconfirmed
            else [FeeRecord(amount_vnd=fee, unconfirmed=fee_unconfirmed)]
        )
        documents = [
            DocumentRecord(**vars(rules.parse_document(text)))
            for text in rules.split_documents(row.text("required_documents"))
        ]
        records.append(
            ProcedureRecord(
                code=code,
                code_unconfirmed=code_unconfirmed,
                name_vi=row.text("name_vi", required=True),
                name_en=row.text("name_en"),
                field_vi=row.text("field_vi", required=True),
                levels=levels,
                processing_amount=days,
                processing_unit=rules.DAYS,
                processing_unconfirmed=days_unconfirmed or days is None,
                online_mode=mode or "none",
                historical_online_level=HISTORICAL_FROM_MODE.get(mode),
                online_mode_unconfirmed=mode_unconfirmed,
                fees=fees,
                documents=documents,
                source=source,
            )
        )
    _check_duplicates(records, errors)
    if errors:
        raise CatalogImportError(errors)
    return records


def _check_duplicates(records: list[ProcedureRecord], errors: list[str]) -> None:
    seen: dict[str, str] = {}
    for rec in records:
        if rec.key in seen:
            errors.append(f"{rec.source}: thủ tục trùng với {seen[rec.key]}.")
        seen.setdefault(rec.key, rec.source)


def import_procedures_csv(file: str | Path | IO) -> ImportResult:
    """Import the 2021 reference CSV (see docs/catalog.md). Idempotent; all or nothing."""
    stream = _open_text(file)
    try:
        header, rows = _csv_rows(stream, "")
    finally:
        if isinstance(file, str | Path):
            stream.close()
    if formats.detect_entity(header) != "reference":
        raise CatalogImportError(
            [
                "Dòng 1: tiêu đề cột không đúng định dạng tệp thủ tục mẫu "
                f"({','.join(formats.REFERENCE_COLUMNS)})."
            ]
        )
    return apply_catalog(read_reference_rows(rows), default_workflows=True)


# --- the round-trip format -------------------------------------------------------------------


def _procedure_record(row: RowReader) -> ProcedureRecord:
    levels = tuple(lv.strip() for lv in row.text("levels", required=True).split(";"))
    if any(lv not in rules.LEVELS for lv in levels):
        row.error(f"cột “levels” không hợp lệ: “{row.text('levels')}”.")
    level_text = row.choice("historical_online_level", ["2", "3", "4"], blank_ok=True)
    agencies = row.text("implementing_agencies")
    return ProcedureRecord(
        code=row.text("code"),
        code_unconfirmed=row.boolean("code_unconfirmed"),
        name_vi=row.text("name_vi", required=True),
        name_en=row.text("name_en"),
        field_vi=row.text("field_vi", required=True),
        field_en=row.text("field_en"),
        levels=levels,
        processing_amount=row.integer("processing_amount"),
        processing_unit=row.choice("processing_unit", rules.UNIT_LABELS),
        processing_unconfirmed=row.boolean("processing_unconfirmed"),
        result_type=row.text("result_type"),
        legal_basis=row.text("legal_basis"),
        online_mode=row.choice("online_mode", ONLINE_MODES),
        historical_online_level=int(level_text) if level_text else None,
        online_mode_unconfirmed=row.boolean("online_mode_unconfirmed"),
        is_active=row.boolean("is_active"),
        origin=row.choice("origin", Origin.values, blank_ok=True) or None,
        on_national_portal=row.boolean("on_national_portal")
        if row.text("on_national_portal")
        else None,
        agency_codes=tuple(c.strip() for c in agencies.split(formats.LIST_SEPARATOR) if c.strip()),
        source=row.source,
    )


def _ref_key(row: RowReader) -> str:
    code, name = row.text("procedure_code"), row.text("procedure_name_vi")
    if not code and not name:
        row.error("thiếu mã hoặc tên thủ tục.")
    return procedure_key(code, name)


def _ordered(rows: list[tuple[int, object]]) -> list:
    return [item for _, item in sorted(rows, key=lambda pair: pair[0])]


def read_tables(tables: dict[str, Rows]) -> tuple[list[ProcedureRecord], list[WorkflowRecord]]:
    """Turn the round-trip tables into records, or raise ``CatalogImportError``."""
    errors: list[str] = []
    procedures = [_procedure_record(RowReader(v, s, errors)) for s, v in tables.get(PROCEDURES, [])]
    _check_duplicates(procedures, errors)
    by_key = {p.key: p for p in procedures}
    children: dict[str, dict[str, list]] = {FEES: {}, DOCUMENTS: {}}
    for entity in (FEES, DOCUMENTS):
        if entity not in tables:
            continue
        if PROCEDURES not in tables:
            errors.append(
                f"Bảng “{formats.SHEETS[entity]}” phải được nhập cùng bảng "
                f"“{formats.SHEETS[PROCEDURES]}”."
            )
            continue
        for source, values in tables[entity]:
            row = RowReader(values, source, errors)
            key = _ref_key(row)
            if key not in by_key:
                row.error("thủ tục không có trong bảng thủ tục của tệp.")
                continue
            order = row.integer("order", blank=0) or 0
            if entity == FEES:
                item: object = FeeRecord(
                    name=row.text("name", required=True),
                    amount_vnd=row.integer("amount_vnd"),
                    unconfirmed=row.boolean("unconfirmed"),
                    note=row.text("note"),
                )
            else:
                item = DocumentRecord(
                    name=row.text("name", required=True),
                    originals=row.integer("originals", blank=1),
                    copies=row.integer("copies", blank=0),
                    present_only=row.boolean("present_only"),
                    mandatory=row.boolean("mandatory"),
                )
            children[entity].setdefault(key, []).append((order, item))
    for rec in procedures:
        if FEES in tables:
            rec.fees = _ordered(children[FEES].get(rec.key, []))
        if DOCUMENTS in tables:
            rec.documents = _ordered(children[DOCUMENTS].get(rec.key, []))

    workflows: dict[tuple[str, int], WorkflowRecord] = {}
    steps: dict[tuple[str, int], list] = {}
    for source, values in tables.get(WORKFLOWS, []):
        row = RowReader(values, source, errors)
        key, version = _ref_key(row), row.integer("version")
        if version is None:
            row.error("thiếu phiên bản quy trình.")
            continue
        if (key, version) not in workflows:
            workflows[(key, version)] = WorkflowRecord(
                procedure_key=key,
                version=version,
                status=row.choice("status", ["draft", "active", "retired"]),
                legal_amount=row.integer("legal_amount", blank=0) or 0,
                legal_unit=row.choice("legal_unit", rules.UNIT_LABELS),
                approved_ref=row.text("approved_ref"),
                valid_from=row.day("valid_from"),
                source=source,
            )
        performer = row.choice("performer", [rules.RECEIVING, rules.DECIDING, rules.SPECIFIC])
        agency_code = row.text("agency_code")
        if (performer == rules.SPECIFIC) != bool(agency_code):
            row.error("chỉ ghi mã cơ quan khi đơn vị thực hiện là “specific” (và khi đó bắt buộc).")
        steps.setdefault((key, version), []).append(
            (
                row.integer("step_order", blank=0),
                StepRecord(
                    name=row.text("step_name", required=True),
                    role=row.choice(
                        "role",
                        [
                            rules.RECEPTION,
                            rules.SPECIALIST,
                            rules.LEADER,
                            rules.RETURN,
                            rules.OTHER,
                        ],
                    ),
                    allotted_hours=row.decimal("allotted_hours"),
                    performer=performer,
                    agency_code=agency_code,
                ),
            )
        )
    for wkey, wrec in workflows.items():
        wrec.steps = _ordered(steps[wkey])
    if errors:
        raise CatalogImportError(errors)
    return procedures, list(workflows.values())


def _xlsx_tables(file: str | Path | IO) -> dict[str, Rows]:
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=True)
    tables: dict[str, Rows] = {}
    errors: list[str] = []
    try:
        for entity, title in formats.SHEETS.items():
            if title not in workbook.sheetnames:
                continue
            rows_iter: Iterator = workbook[title].iter_rows(values_only=True)
            header = [formats.cell_text(c) for c in next(rows_iter, ())]
            if formats.detect_entity(header) != entity:
                errors.append(
                    f"Trang “{title}”, dòng 1: tiêu đề cột không đúng "
                    f"({', '.join(formats.COLUMNS[entity])})."
                )
                continue
            rows: Rows = []
            for number, cells in enumerate(rows_iter, start=2):
                if any(formats.cell_text(c) for c in cells):
                    rows.append(
                        (f"Trang “{title}”, dòng {number}", dict(zip(header, cells, strict=False)))
                    )
            tables[entity] = rows
    finally:
        workbook.close()
    if not tables and not errors:
        errors.append(f"Tệp Excel không có trang nào trong: {', '.join(formats.SHEETS.values())}.")
    if errors:
        raise CatalogImportError(errors)
    return tables


def import_catalog_xlsx(file: str | Path | IO) -> ImportResult:
    """Import a workbook written by ``export_catalog_xlsx``. All or nothing."""
    return apply_catalog(*read_tables(_xlsx_tables(file)))


def _csv_tables(paths: list[Path]) -> dict[str, Rows]:
    tables: dict[str, Rows] = {}
    errors: list[str] = []
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            header, rows = _csv_rows(stream, f"{path.name}, ")
        entity = formats.detect_entity(header)
        if entity not in formats.ENTITIES:
            errors.append(f"{path.name}, dòng 1: tiêu đề cột không khớp bảng nào của danh mục.")
        elif entity in tables:
            errors.append(f"{path.name}: bảng “{formats.SHEETS[entity]}” xuất hiện hai lần.")
        else:
            tables[entity] = rows
    if errors:
        raise CatalogImportError(errors)
    return tables


def import_catalog_csv(path: str | Path) -> ImportResult:
    """Import one round-trip CSV file, or a directory of them (as ``export_catalog_csv``
    writes). All or nothing."""
    path = Path(path)
    paths = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if not paths:
        raise CatalogImportError([f"Thư mục {path} không có tệp CSV nào."])
    return apply_catalog(*read_tables(_csv_tables(paths)))


def import_file(path: str | Path) -> ImportResult:
    """Import by extension: ``.xlsx`` workbook, directory of CSVs, or a CSV file (the 2021
    reference format is recognised by its header)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return import_catalog_xlsx(path)
    if path.is_file():
        with path.open(encoding="utf-8-sig", newline="") as stream:
            header = next(csv.reader(stream), [])
        if formats.detect_entity(header) == "reference":
            return import_procedures_csv(path)
    return import_catalog_csv(path)
