"""Attachments: checked by content (never by file name), hashed, stored as blobs written
before the row (core/media.py: a transaction that dies leaves an orphan blob for
``motcua media check --fix``, never a file in another dossier's folder)."""

from __future__ import annotations

import hashlib
from typing import IO

from django.db import transaction

from motcua.accounts.models import User
from motcua.core import media
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import Attachment
from motcua.dossiers.queries import visible_dossiers
from motcua.dossiers.uploads import (  # noqa: F401 - the shared checker, re-exported
    ALLOWED_LABEL,
    attachment_response,
    check_bytes,
    read_checked,
    safe_name,
    sniff_content_type,
)


def attach(
    dossier_id: int,
    *,
    by: User,
    upload: IO[bytes],
    name: str,
    document_id: int | None = None,
    purpose: str = "component",
) -> Attachment:
    """Store an uploaded file for a dossier the user can see (applicant or officer in scope)."""
    data, mime = read_checked(upload)
    blob = media.store(data)  # before the row: the row never points to a missing file
    try:
        return _save(dossier_id, by, blob, data, mime, name, document_id, purpose)
    except BaseException:
        media.discard(blob)  # the row was not saved (a rollback of an outer one: media check)
        raise


def _save(
    dossier_id: int,
    by: User,
    blob: str,
    data: bytes,
    mime: str,
    name: str,
    document_id: int | None,
    purpose: str,
) -> Attachment:
    with transaction.atomic():
        dossier = visible_dossiers(by).select_for_update().filter(pk=dossier_id).first()
        if dossier is None:
            raise NotAllowed("Bạn không có quyền gửi tệp cho hồ sơ này.")
        if document_id and not dossier.documents.filter(pk=document_id).exists():
            raise InvalidInput(
                "Thành phần hồ sơ không thuộc hồ sơ này.", fields={"document": "not_found"}
            )
        attachment = Attachment(
            dossier=dossier,
            document_id=document_id,
            purpose=purpose,
            original_name=safe_name(name, mime),
            content_type=mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=by,
        )
        attachment.file.name = blob
        attachment.save()
        if document_id:  # a scanned or uploaded component counts as digitised (766 index, 6)
            dossier.documents.filter(pk=document_id).update(digitised=True)
    return attachment
