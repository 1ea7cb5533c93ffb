"""Which dossier a feedback item is linked to, without telling anyone whether a code exists.

A reporter may mention a dossier code. The item always keeps the code as typed (so operators
read it); it is *linked* to the dossier only when the caller may know that dossier: a citizen
who owns it (an officer who sees it in their scope), or anyone giving the last four digits of
the applicant's phone or ID number, the proof public tracking asks for (one rule, reused from
``portal.tracking``). The reporter's answer is the same either way: no error, nothing in the
response says whether the code exists (docs/security.md, "dossier-code existence oracle").
"""

from __future__ import annotations

import re

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import visible_dossiers
from motcua.portal.tracking import DIGITS, last_digits_match

CODE_MAX = 40
_SPACE = re.compile(r"\s+")


def clean_code(code: str) -> str:
    """The code as typed, trimmed and upper-cased (dossier codes are upper case)."""
    return _SPACE.sub("", code or "").upper()[:CODE_MAX]


def digits_error(digits: str) -> str | None:
    """A shape error for the four digits (never about the dossier: that would be an oracle)."""
    digits = (digits or "").strip()
    return None if not digits or DIGITS.match(digits) else "4 chữ số"


def linkable_dossier(code: str, *, by: User | None, digits: str = "") -> Dossier | None:
    code = clean_code(code)
    if not code:
        return None
    if by is not None and by.is_authenticated:
        own = visible_dossiers(by).filter(code=code).first()
        if own is not None:
            return own
    digits = (digits or "").strip()
    if not DIGITS.match(digits):
        return None
    dossier = Dossier.objects.filter(code=code).first()
    return dossier if dossier is not None and last_digits_match(dossier, digits) else None
