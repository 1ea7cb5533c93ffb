"""Plain records exchanged between the file readers/writers and the services (no ORM)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class FeeRecord:
    name: str = "Lệ phí"
    amount_vnd: int | None = None
    unconfirmed: bool = False
    note: str = ""


@dataclass(frozen=True)
class DocumentRecord:
    name: str
    originals: int = 1
    copies: int = 0
    present_only: bool = False
    mandatory: bool = True


@dataclass
class ProcedureRecord:
    """One procedure as read from a file; ``source`` names its place for error messages."""

    code: str
    name_vi: str
    field_vi: str
    levels: tuple[str, ...]
    code_unconfirmed: bool = False
    name_en: str = ""
    field_en: str = ""
    processing_amount: int | None = None
    processing_unit: str = "d"
    processing_unconfirmed: bool = False
    result_type: str = ""
    legal_basis: str = ""
    online_mode: str = "none"
    historical_online_level: int | None = None
    online_mode_unconfirmed: bool = False
    is_active: bool = True
    origin: str | None = None  # None: leave as it is (files without the column)
    on_national_portal: bool | None = None
    agency_codes: tuple[str, ...] | None = None  # None: leave the links as they are
    fees: list[FeeRecord] | None = None  # None: leave the fee lines as they are
    documents: list[DocumentRecord] | None = None
    source: str = ""

    @property
    def key(self) -> str:
        """Procedures are matched by code, or by name when the code is blank."""
        return procedure_key(self.code, self.name_vi)


def procedure_key(code: str, name_vi: str) -> str:
    return f"code:{code}" if code else f"name:{name_vi}"


@dataclass(frozen=True)
class StepRecord:
    name: str
    role: str
    allotted_hours: Decimal
    performer: str = "deciding"
    agency_code: str = ""


@dataclass
class WorkflowRecord:
    procedure_key: str
    version: int
    status: str
    legal_amount: int
    legal_unit: str
    approved_ref: str = ""
    valid_from: date | None = None
    steps: list[StepRecord] = field(default_factory=list)
    source: str = ""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    workflows_created: int = 0
    workflows_updated: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created or self.updated or self.workflows_created or self.workflows_updated
        )


class CatalogImportError(Exception):
    """Bad input: every problem found, each with its line (and sheet); nothing was imported."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))
