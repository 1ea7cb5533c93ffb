"""Attachments: checked by content (never by file name), hashed, stored via Django storage."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.db import transaction

from motcua.accounts.models import User
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import Attachment
from motcua.dossiers.queries import visible_dossiers

# magic bytes → MIME type of the formats a one-stop desk accepts
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ALLOWED_LABEL = "PDF, PNG, JPEG, TIFF, DOCX, XLSX"


def sniff_content_type(head: bytes, stream: IO[bytes]) -> str | None:
    """The MIME type the bytes really are, or None when not an accepted format."""
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head.startswith(b"PK\x03\x04"):
        stream.seek(0)
        try:
            names = zipfile.ZipFile(stream).namelist()
        except zipfile.BadZipFile:
            return None
        for prefix, mime in _OOXML.items():
            if "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names):
                return mime
    return None


def read_checked(upload: IO[bytes]) -> tuple[bytes, str]:
    """The upload's bytes and real MIME type; ``InvalidInput`` when too large, empty or of a
    type a one-stop desk does not accept (judged by content, never by the file name)."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(
            f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.", fields={"file": "too_large"}
        )
    if not data:
        raise InvalidInput("Tệp rỗng.", fields={"file": "empty"})
    mime = sniff_content_type(data[:16], io.BytesIO(data))
    if mime is None:
        raise InvalidInput(
            f"Định dạng tệp không được chấp nhận (chỉ nhận {ALLOWED_LABEL}).",
            fields={"file": "bad_type"},
        )
    return data, mime


def safe_name(name: str) -> str:
    """A client's file name reduced to something safe to display and store."""
    return name.replace("/", "_").replace("\\", "_")[-200:] or "tep"


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
            original_name=safe_name(name),
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
