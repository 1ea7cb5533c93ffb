"""Public tracking: dossier code + the last four digits of the applicant's phone or ID number.

Answers status and dates only (never a name), and the same "not found" whether the code does
not exist or the digits are wrong, so the form cannot be used to discover dossiers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings

from motcua.core.localize import localized_name
from motcua.dossiers.models import Dossier

DIGITS = re.compile(r"^\d{4}$")


def limit() -> int:
    return int(getattr(settings, "MOTCUA_TRACKING_PER_HOUR", 30))


WINDOW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class TrackResult:
    code: str
    state: str
    procedure: str
    submitted_at: dt.datetime
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    returned_at: dt.datetime | None


def _last4(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits[-4:] if len(digits) >= 4 else ""


def last_digits_match(dossier: Dossier, last_digits: str) -> bool:
    """The proof of knowing a dossier asked by tracking (also by the feedback form): the last
    four digits of the applicant's phone or ID number."""
    last_digits = (last_digits or "").strip()
    if not DIGITS.match(last_digits):
        return False
    return last_digits in {_last4(dossier.applicant_phone), _last4(dossier.applicant_id_number)}


def track(code: str, last_digits: str) -> TrackResult | None:
    code, last_digits = (code or "").strip().upper(), (last_digits or "").strip()
    if not code or not DIGITS.match(last_digits):
        return None
    dossier = (
        Dossier.objects.select_related("procedure")
        .only(
            "code",
            "state",
            "procedure__name_vi",
            "procedure__name_en",
            "applicant_phone",
            "applicant_id_number",
            "submitted_at",
            "received_at",
            "effective_due_at",
            "returned_at",
        )
        .filter(code=code)
        .first()
    )
    if dossier is None:
        return None
    if not last_digits_match(dossier, last_digits):
        return None
    return TrackResult(
        code=dossier.code,
        state=dossier.state,
        procedure=localized_name(dossier.procedure),
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.effective_due_at,
        returned_at=dossier.returned_at,
    )
