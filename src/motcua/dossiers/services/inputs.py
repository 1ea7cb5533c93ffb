"""What callers hand to the services (applicant, documents, the items a Form 02 asks for),
and the checks of the lists a form must not go out without: Form 02 (Circular 03/2025/TT-VPCP)
gives one complete set of instructions, so at least one item; Form 03 and refusals give reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import ApplicantKind


@dataclass(frozen=True)
class ApplicantData:
    name: str
    kind: str = ApplicantKind.INDIVIDUAL
    id_number: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    tax_code: str = ""
    representative: str = ""
    vneid: bool = False


@dataclass(frozen=True)
class DocumentInput:
    name: str
    required_document_id: int | None = None
    originals: int = 1
    copies: int = 0
    digitised: bool = False
    from_national_db: bool = False
    on_paper: bool = False  # to be brought on paper (chosen at online submission)


@dataclass(frozen=True)
class MissingItem:
    name: str
    instruction: str = ""


def _required_missing(missing: Sequence[MissingItem]) -> list[dict[str, str]]:
    """Form 02's list: at least one item (one complete set of instructions)."""
    if not missing:
        raise InvalidInput(
            "Cần nêu ít nhất một nội dung phải bổ sung.", fields={"missing": "required"}
        )
    return [asdict(m) for m in missing]


def _required_reasons(reasons: Sequence[str]) -> list[str]:
    cleaned = [r.strip() for r in reasons if r and r.strip()]
    if not cleaned:
        raise InvalidInput("Cần nêu rõ lý do.", fields={"reasons": "required"})
    return cleaned
