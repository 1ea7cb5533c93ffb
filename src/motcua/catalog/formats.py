"""Column layouts of the catalog's file formats and value conversions shared by the importers
and exporters (no ORM)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

PROCEDURES, FEES, DOCUMENTS, WORKFLOWS = "procedures", "fees", "documents", "workflows"
ENTITIES = (PROCEDURES, FEES, DOCUMENTS, WORKFLOWS)
SHEETS = {
    PROCEDURES: "Thủ tục",
    FEES: "Phí, lệ phí",
    DOCUMENTS: "Thành phần hồ sơ",
    WORKFLOWS: "Quy trình",
}
_REF = ["procedure_code", "procedure_name_vi"]  # a child row's procedure: code, or name if blank
COLUMNS: dict[str, list[str]] = {
    PROCEDURES: [
        "code",
        "code_unconfirmed",
        "name_vi",
        "name_en",
        "field_vi",
        "field_en",
        "levels",
        "processing_amount",
        "processing_unit",
        "processing_unconfirmed",
        "result_type",
        "legal_basis",
        "online_mode",
        "historical_online_level",
        "online_mode_unconfirmed",
        "is_active",
        "implementing_agencies",
        *("origin", "on_national_portal"),
    ],
    FEES: [*_REF, "order", "name", "amount_vnd", "unconfirmed", "note"],
    DOCUMENTS: [*_REF, "order", "name", "originals", "copies", "present_only", "mandatory"],
    WORKFLOWS: [
        *_REF,
        "version",
        "status",
        "legal_amount",
        "legal_unit",
        "approved_ref",
        "valid_from",
        "step_order",
        "step_name",
        "role",
        "performer",
        "agency_code",
        "allotted_hours",
    ],
}
# Columns added later: files written before them (without these trailing columns) still
# import, and leave those values as they are.
OPTIONAL_TRAILING: dict[str, tuple[str, ...]] = {PROCEDURES: ("origin", "on_national_portal")}
REFERENCE_COLUMNS = [
    "code",
    "name_vi",
    "name_en",
    "field_vi",
    "authority_level",
    "processing_days",
    "fee_vnd",
    "online_mode",
    "required_documents",
]
LIST_SEPARATOR = ";"

TRUE_WORDS = {"1", "true", "có", "co", "x", "yes"}
FALSE_WORDS = {"", "0", "false", "không", "khong", "no"}


def detect_entity(header: list[str]) -> str | None:
    """Which table a header row belongs to: an entity name, "reference", or None."""
    cleaned = [h.strip() for h in header if h and h.strip()]
    if cleaned == REFERENCE_COLUMNS:
        return "reference"
    for entity, columns in COLUMNS.items():
        older = columns[: len(columns) - len(OPTIONAL_TRAILING.get(entity, ()))]
        if cleaned in (columns, older):
            return entity
    return None


def cell_text(value: object) -> str:
    """A cell (CSV string or openpyxl value) as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def yes_no(value: bool) -> str:
    return "có" if value else "không"


class RowReader:
    """Typed access to one row's cells; problems are collected as Vietnamese messages."""

    def __init__(self, values: dict[str, object], source: str, errors: list[str]):
        self.values, self.source, self.errors = values, source, errors

    def error(self, message: str) -> None:
        self.errors.append(f"{self.source}: {message}")

    def text(self, column: str, *, required: bool = False) -> str:
        value = cell_text(self.values.get(column))
        if required and not value:
            self.error(f"thiếu giá trị cột “{column}”.")
        return value

    def boolean(self, column: str) -> bool:
        value = self.text(column).lower()
        if value in TRUE_WORDS:
            return True
        if value not in FALSE_WORDS:
            self.error(f"cột “{column}” phải là “có” hoặc “không” (đang là “{value}”).")
        return False

    def integer(self, column: str, *, blank: int | None = None) -> int | None:
        value = self.text(column)
        if not value:
            return blank
        try:
            number = int(value)
        except ValueError:
            number = -1
        if number < 0:
            self.error(f"cột “{column}” phải là số nguyên không âm (đang là “{value}”).")
            return blank
        return number

    def decimal(self, column: str) -> Decimal:
        value = self.text(column).replace(",", ".")
        try:
            return Decimal(value)
        except InvalidOperation:
            self.error(f"cột “{column}” phải là số (đang là “{value}”).")
            return Decimal(0)

    def choice(
        self, column: str, choices: dict[str, str] | list[str], *, blank_ok: bool = False
    ) -> str:
        value = self.text(column)
        if (value == "" and blank_ok) or value in choices:
            return value
        self.error(f"cột “{column}” không hợp lệ: “{value}” (chấp nhận: {', '.join(choices)}).")
        return ""

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(f"cột “{column}” phải là ngày dạng YYYY-MM-DD (đang là “{value}”).")
            return None
