"""What an uploaded file really is, judged by its bytes (never by the client's name), and how
it is served back. Shared by every upload surface: dossier attachments, portal drafts and
feedback attachments (docs/security.md, "Uploads").

- The type comes from the content: PDF, PNG, JPEG, TIFF by magic bytes; DOCX and XLSX only
  when the ZIP is a well-formed Office Open XML package of that kind: ``[Content_Types].xml``
  declaring the main part of a document (resp. workbook) that is present, entries only under
  the parts such a package has, no macros (``vbaProject``, macro-enabled content types), no
  executables or scripts inside, and no zip bomb (bounded entries, total size and ratio).
- The stored name keeps the client's stem but takes the extension of the detected type
  (``poly.html`` that is a PDF is stored and served as ``poly.pdf``).
- Served with ``Content-Disposition: attachment`` except PDFs and images browsers show
  (inline), always with ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.http import FileResponse

from motcua.dossiers.errors import InvalidInput

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# magic bytes → MIME type of the formats a one-stop desk accepts
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", TIFF: "tif", DOCX: "docx", XLSX: "xlsx"}
# shown in the browser; everything else is downloaded (TIFF: browsers do not render it)
INLINE_TYPES = frozenset({PDF, PNG, JPEG})
ALLOWED_LABEL = "PDF, PNG, JPEG, TIFF, DOCX, XLSX"


@dataclass(frozen=True)
class _Ooxml:
    folder: str  # the package's own part folder
    main_part: str
    main_type: str  # content type of the main part, declared in [Content_Types].xml


_OOXML_KINDS = {
    DOCX: _Ooxml(
        "word/",
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    XLSX: _Ooxml(
        "xl/",
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
# folders every OOXML package may have besides its own
_COMMON_FOLDERS = ("_rels/", "docProps/", "customXml/")
# part extensions an ordinary document or workbook contains (XML, relationships, media, fonts)
_PART_EXTENSIONS = frozenset(
    (
        *("xml", "rels", "vml"),
        *("png", "jpeg", "jpg", "gif", "bmp", "tif", "tiff", "emf", "wmf", "svg", "wdp"),
        *("odttf", "fntdata"),
    )
)
_MACRO_MARKERS = (b"macroEnabled", b"vbaProject", b"vbaData", b"activeX")
# the only binary parts allowed: printer settings Excel and Word write into ordinary files
_PRINTER_SETTINGS = re.compile(r"^(word|xl)/printerSettings/printerSettings\d+\.bin$")
MAX_ENTRIES = 2000
MAX_RATIO = 100  # uncompressed / compressed, for the whole package
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")


class _Refused(Exception):
    """The package is not an acceptable Office document (reason in Vietnamese)."""


def sniff_content_type(head: bytes, stream: IO[bytes]) -> str | None:
    """The MIME type the bytes really are, or None when not an accepted format."""
    try:
        return detect(head, stream)
    except _Refused:
        return None


def detect(head: bytes, stream: IO[bytes]) -> str | None:
    """Like ``sniff_content_type`` but a refused Office package raises ``_Refused``."""
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head.startswith(b"PK\x03\x04"):
        stream.seek(0)
        return _ooxml_kind(stream)
    return None


def _max_unpacked() -> int:
    # an Office file unpacks to more than it weighs, never to gigabytes
    return max(10 * settings.MOTCUA_MAX_UPLOAD_BYTES, 50 * 1024 * 1024)


def _ooxml_kind(stream: IO[bytes]) -> str | None:
    try:
        archive = zipfile.ZipFile(stream)
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        return None
    kind = next((k for k, spec in _OOXML_KINDS.items() if spec.main_part in names), None)
    if kind is None:
        return None
    spec = _OOXML_KINDS[kind]
    if len(infos) > MAX_ENTRIES:
        raise _Refused("too many entries")
    compressed = stream.seek(0, io.SEEK_END) or 1
    unpacked_limit = min(_max_unpacked(), MAX_RATIO * compressed)
    total = 0
    content_types = b""
    for info in infos:
        _check_entry_name(info.filename, spec)
        try:
            with archive.open(info) as member:
                head = b""
                while chunk := member.read(64 * 1024):
                    if not head:
                        head = chunk[:4]
                    total += len(chunk)
                    if total > unpacked_limit:
                        raise _Refused("zip bomb")
                    if info.filename == "[Content_Types].xml":
                        content_types += chunk
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError):
            raise _Refused("corrupt") from None  # bad CRC, encrypted, unknown compression
        if head.startswith(_EXECUTABLE_MAGIC):
            raise _Refused("executable inside")
    if any(marker in content_types for marker in _MACRO_MARKERS):
        raise _Refused("macros")
    if spec.main_type.encode() not in content_types:
        return None  # not the main part of this kind (e.g. a template or macro-enabled file)
    return kind


def _check_entry_name(name: str, spec: _Ooxml) -> None:
    if name == "[Content_Types].xml":
        return
    if name.startswith("/") or "\\" in name or ".." in name.split("/"):
        raise _Refused("path")
    if not name.startswith((spec.folder, *_COMMON_FOLDERS)):
        raise _Refused("unexpected entry")
    if name.endswith("/"):
        return  # a directory entry
    lowered = name.lower()
    if any(m.decode().lower() in lowered for m in _MACRO_MARKERS):
        raise _Refused("macros")
    ext = lowered.rsplit(".", 1)[-1] if "." in lowered.rsplit("/", 1)[-1] else ""
    if ext not in _PART_EXTENSIONS and not _PRINTER_SETTINGS.match(name):
        raise _Refused("unexpected part")


def check_bytes(data: bytes) -> str:
    """The real MIME type of ``data``; ``InvalidInput`` (field ``file``) when too large, empty
    or not an accepted format."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise InvalidInput(
            f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.", fields={"file": "too_large"}
        )
    if not data:
        raise InvalidInput("Tệp rỗng.", fields={"file": "empty"})
    try:
        mime = detect(data[:16], io.BytesIO(data))
    except _Refused:
        raise InvalidInput(
            "Tệp Word/Excel không hợp lệ hoặc chứa nội dung không được phép (macro, tệp chạy "
            "được, cấu trúc lạ). Vui lòng lưu lại thành DOCX/XLSX thông thường hoặc PDF.",
            fields={"file": "bad_content"},
        ) from None
    if mime is None:
        raise InvalidInput(
            f"Định dạng tệp không được chấp nhận (chỉ nhận {ALLOWED_LABEL}).",
            fields={"file": "bad_type"},
        )
    return mime


def read_checked(upload: IO[bytes]) -> tuple[bytes, str]:
    """The upload's bytes and real MIME type (see ``check_bytes``)."""
    data = upload.read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1)
    return data, check_bytes(data)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;]+')


def safe_name(name: str, mime: str | None = None) -> str:
    """A client's file name reduced to something safe to display, store and send in a header;
    with ``mime``, its extension becomes the detected type's (the client's is dropped)."""
    # the last path segment only (a browser may send a full Windows path)
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._") or "tep"
    if mime in EXTENSIONS:
        stem = name.rsplit(".", 1)[0] if "." in name else name
        stem = stem.strip(" ._") or "tep"
        return f"{stem[:190]}.{EXTENSIONS[mime]}"
    return name[-200:]


def attachment_response(fileobj: IO[bytes], *, content_type: str, name: str) -> FileResponse:
    """Serve a stored upload: the type it was detected as, a name with that type's extension,
    inline only for PDFs and images, never sniffed by the browser, never cached."""
    content_type = content_type if content_type in EXTENSIONS else "application/octet-stream"
    response = FileResponse(
        fileobj,
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=safe_name(name, content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
