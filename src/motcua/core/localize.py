"""Catalog names in the reader's language.

Procedures, fields and agencies carry ``name_vi`` and an optional ``name_en``; steps, documents
and fee lines carry one ``name``. Every page prints such a name through ``localized_name`` (the
``local_name`` template filter) so that English mode shows the English name wherever the catalog
has one, and Vietnamese otherwise: Vietnamese is the legal name and always present.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, pgettext

CONTEXT = "catalog name"


def localized_name(obj: Any, language: str | None = None) -> str:
    """The object's name in ``language`` (default: the active one), falling back to Vietnamese.

    Without a stored English name, English mode looks the Vietnamese name up in the message
    catalog under the context ``CONTEXT``: the standard names the platform itself writes (the
    four default workflow steps, "Lệ phí") and the demo's fields are translated there; any other
    name comes back unchanged. (A context, because the same words are also UI labels with
    another English wording, e.g. "Tiếp nhận hồ sơ" as an action.)
    """
    if obj is None:
        return ""
    base = getattr(obj, "name_vi", None)
    if base is None:
        base = getattr(obj, "name", "")
    base = str(base or "")
    language = language or get_language() or "vi"
    if not language.startswith("en"):
        return base
    english = str(getattr(obj, "name_en", "") or "").strip()
    if english:
        return english
    return pgettext(CONTEXT, base) if base else base


class LocalizedModelChoiceField(forms.ModelChoiceField):
    """A model choice whose options read in the active language (labels built at render)."""

    def label_from_instance(self, obj: Any) -> str:
        return localized_name(obj)
