"""Attachments: checked by content (never by file name), hashed, stored via Django storage."""

from __future__ import annotations

import hashlib
import io
from typing import IO

from django.core.files.base import File
from django.db import transaction

from motcua.accounts.models import User
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
        attachment.file.save(
            f"{dossier.code}/{attachment.sha256[:16]}", File(io.BytesIO(data)), save=False
        )
        attachment.save()
        if document_id:  # a scanned or uploaded component counts as digitised (766 index, 6)
            dossier.documents.filter(pk=document_id).update(digitised=True)
    return attachment
