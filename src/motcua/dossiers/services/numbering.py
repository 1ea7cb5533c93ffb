"""Dossier codes and form numbers, drawn from atomic counters inside the caller's transaction.

Codes: ``{agency code}-{yymmdd}-{4-digit daily sequence}`` (domain.md, Identifiers). Form
numbers: per agency and year, number/symbol as Decree 30/2020/NĐ-CP writes non-normative
documents (``05/GTN-BPMC``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.core.counters import next_value
from motcua.dossiers import formdata


def next_counter(key: str) -> int:
    """Atomically increment and return a named dossier counter (codes, form numbers)."""
    return next_value("dossiers_counter", key)


def _code_counter(agency: Agency, when: dt.datetime) -> tuple[str, Callable[[int], str]]:
    """The counter of a dossier code and how a value becomes the code:
    ``{agency code}-{yymmdd}-{4-digit daily sequence}`` (domain.md, Identifiers)."""
    day = timezone.localtime(when).strftime("%y%m%d")
    return f"dossier:{agency.pk}:{day}", lambda n: f"{agency.code}-{day}-{n:04d}"


def new_dossier_code(agency: Agency, when: dt.datetime) -> str:
    key, code = _code_counter(agency, when)
    return code(next_counter(key))


FORM_SUFFIX = {
    "01": "GTN",
    "02": "PYCBS",
    "03": "PTC",
    "04": "VBXL",
    "05": "TBDGQ",
    "06": "PKS",
    "07": "STD",
}


def _form_counter(form: str, agency: Agency, when: dt.datetime) -> tuple[str, Callable[[int], str]]:
    """The counter of a form's numbers (per agency and year: numbering restarts each year) and
    how a value becomes one: ``05/GTN-BPMC``, number/symbol as Decree 30/2020 writes
    non-normative documents (a leading zero below 10, no year)."""
    year = timezone.localtime(when).year
    symbol = f"{FORM_SUFFIX[form]}-{formdata.symbol_of(form, agency)}"
    return f"form{form}:{agency.pk}:{year}", lambda n: f"{n:02d}/{symbol}"


def new_form_number(form: str, agency: Agency, when: dt.datetime) -> str:
    key, number = _form_counter(form, agency, when)
    return number(next_counter(key))
