"""Administrators' corrections of the forms' fixed sentences (writes and the one read).

A correction is a new ``FormText`` version (never an edit), recorded in the change log; forms
issued afterwards carry the corrected words in their snapshot (``legalforms.wording``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from motcua.core.audit import record_change
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.legalforms import wording
from motcua.dossiers.models import FormText


def correct_form_text(*, form: str, key: str, text: str, by=None, note: str = "") -> FormText:
    """Store ``text`` as the new version of ``form``/``key`` (checked against the placeholders
    the built-in text offers)."""
    text = text.strip()
    if not text:
        raise InvalidInput("Nội dung không được để trống.", fields={"text": "required"})
    try:
        wording.check_text(form, key, text)
    except ValueError as exc:
        raise InvalidInput(str(exc), fields={"text": "invalid"}) from None
    with transaction.atomic():
        last = (
            FormText.objects.select_for_update()
            .filter(form=form, key=key)
            .aggregate(v=Max("version"))["v"]
        )
        row = FormText.objects.create(
            form=form, key=key, text=text, note=note, version=(last or 0) + 1, created_by=by
        )
        record_change(
            "form_text.correct",
            row,
            f"Mẫu {form}, đoạn “{key}”, phiên bản {row.version}",
            actor=by,
            data={"form": form, "key": key, "version": row.version},
        )
    return row


def current_texts(form: str) -> tuple[dict[str, str], dict[str, int]]:
    """The texts of ``form`` in force now, and the versions of the corrected ones."""
    overrides: dict[str, str] = {}
    versions: dict[str, int] = {}
    for row in FormText.objects.filter(form=form).order_by("key", "-version"):
        if row.key not in versions:
            overrides[row.key], versions[row.key] = row.text, row.version
    return wording.wording_for(form, overrides), versions
