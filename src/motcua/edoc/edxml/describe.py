"""JSON descriptions of packages, for the command line: what ``motcua edxml build`` reads and
``motcua edxml parse`` prints.

A document::

    {"from": {"organ_id": "000.01.21.H13", "name": "UBND phường Cái Khế"},
     "to": [{"organ_id": "000.02.21.H13", "name": "UBND phường An Hòa"}],
     "code_number": "15", "code_notation": "UBND-VP", "place": "Cần Thơ",
     "promulgation_date": "2025-03-04", "type_name": "Công văn", "subject": "Về việc …",
     "signer": {"name": "Nguyễn Văn An", "position": "Chủ tịch", "competence": "TM."},
     "due_date": "2025-03-14", "priority": 1,
     "attachments": [{"path": "cong-van.pdf", "content_type": "application/pdf"}]}

A status package::

    {"status": "03", "description": "", "timestamp": "2025-03-04T10:00:00",
     "from": {"organ_id": "000.02.21.H13"},
     "response_for": {"organ_id": "000.01.21.H13", "code": "15/UBND-VP",
                      "promulgation_date": "2025-03-04", "document_id": "…"}}
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from .errors import EdxmlError
from .model import Attachment, Document, Organ, ResponseFor, Status


def _get(data: dict, key: str, kind: type = str, required: bool = True) -> Any:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise EdxmlError(f"Thiếu trường {key!r}.")
        return None
    if not isinstance(value, kind):
        raise EdxmlError(f"Trường {key!r} phải là {kind.__name__}.")
    return value


def _date(data: dict, key: str, required: bool = True) -> dt.date | None:
    text = _get(data, key, str, required)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise EdxmlError(f"Trường {key!r}: ngày {text!r} không hợp lệ (YYYY-MM-DD).") from None


def _organ(data: Any, key: str) -> Organ:
    if not isinstance(data, dict):
        raise EdxmlError(f"Trường {key!r} phải là một đối tượng có organ_id.")
    return Organ(
        organ_id=_get(data, "organ_id"),
        name=data.get("name", "") or "",
        in_charge=data.get("in_charge", "") or "",
        address=data.get("address", "") or "",
        email=data.get("email", "") or "",
        phone=data.get("phone", "") or "",
    )


def _attachment(item: Any, base: Path) -> Attachment:
    if not isinstance(item, dict):
        raise EdxmlError("Mỗi tệp đính kèm là một đối tượng (path hoặc content_base64).")
    if item.get("path"):
        path = base / item["path"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise EdxmlError(f"Không đọc được tệp đính kèm {item['path']!r}: {exc}") from None
        name = item.get("name") or path.name
    else:
        try:
            data = base64.b64decode(_get(item, "content_base64"), validate=True)
        except ValueError:
            raise EdxmlError("content_base64 không phải base64.") from None
        name = _get(item, "name")
    return Attachment(
        name=name,
        content_type=item.get("content_type") or "application/octet-stream",
        data=data,
        description=item.get("description", "") or "",
    )


def from_json(data: Any, base: Path) -> Document | Status:
    if not isinstance(data, dict):
        raise EdxmlError("Mô tả gói tin phải là một đối tượng JSON.")
    if "status" in data:
        rf = data.get("response_for")
        if not isinstance(rf, dict):
            raise EdxmlError("Gói tin trạng thái cần response_for.")
        try:
            stamp = dt.datetime.fromisoformat(_get(data, "timestamp"))
        except ValueError:
            raise EdxmlError("timestamp không hợp lệ (YYYY-MM-DDTHH:MM:SS).") from None
        return Status(
            response_for=ResponseFor(
                organ_id=_get(rf, "organ_id"),
                code=_get(rf, "code"),
                promulgation_date=_date(rf, "promulgation_date", required=False),
                document_id=_get(rf, "document_id"),
            ),
            sender=_organ(data.get("from"), "from"),
            status_code=_get(data, "status"),
            description=data.get("description", "") or "",
            timestamp=stamp.replace(tzinfo=None),
        )
    to = data.get("to")
    if not isinstance(to, list) or not to:
        raise EdxmlError("Trường 'to' phải là danh sách nơi nhận (ít nhất một).")
    signer = data.get("signer") or {}
    if not isinstance(signer, dict):
        raise EdxmlError("Trường 'signer' phải là một đối tượng.")
    priority = data.get("priority", 0)
    if not isinstance(priority, int):
        raise EdxmlError("Trường 'priority' phải là số 0–4.")
    attachments = data.get("attachments") or []
    if not isinstance(attachments, list):
        raise EdxmlError("Trường 'attachments' phải là danh sách.")
    return Document(
        sender=_organ(data.get("from"), "from"),
        recipients=[_organ(t, "to") for t in to],
        code_number=str(_get(data, "code_number", (str, int))),
        code_notation=_get(data, "code_notation"),
        place=data.get("place", "") or "",
        promulgation_date=_date(data, "promulgation_date"),
        type_name=data.get("type_name") or "Công văn",
        type_code=data.get("type_code", 2) if data.get("type_code") in (1, 2) else 2,
        subject=_get(data, "subject"),
        content=data.get("content", "") or "",
        signer_name=_get(signer, "name"),
        signer_position=signer.get("position", "") or "",
        signer_competence=signer.get("competence", "") or "",
        due_date=_date(data, "due_date", required=False),
        priority=priority,
        document_id=data.get("document_id", "") or "",
        attachments=[_attachment(a, base) for a in attachments],
    )


def _organ_json(o: Organ) -> dict:
    return {k: v for k, v in vars(o).items() if v}


def to_json(item: Document | Status) -> dict:
    if isinstance(item, Status):
        rf = item.response_for
        return {
            "kind": "status",
            "status": item.status_code,
            "description": item.description,
            "timestamp": item.timestamp.isoformat(),
            "from": _organ_json(item.sender),
            "response_for": {
                "organ_id": rf.organ_id,
                "code": rf.code,
                "promulgation_date": rf.promulgation_date.isoformat()
                if rf.promulgation_date
                else None,
                "document_id": rf.document_id,
            },
        }
    return {
        "kind": "document",
        "legacy": item.legacy,
        "document_id": item.document_id,
        "from": _organ_json(item.sender),
        "to": [_organ_json(o) for o in item.recipients],
        "code_number": item.code_number,
        "code_notation": item.code_notation,
        "place": item.place,
        "promulgation_date": item.promulgation_date.isoformat(),
        "type_name": item.type_name,
        "subject": item.subject,
        "content": item.content,
        "signer": {
            "name": item.signer_name,
            "position": item.signer_position,
            "competence": item.signer_competence,
        },
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "priority": item.priority,
        "business_type": item.business_type,
        "business_reason": item.business_reason,
        "attachments": [
            {
                "name": a.name,
                "content_type": a.content_type,
                "size": len(a.data),
                "sha256": hashlib.sha256(a.data).hexdigest(),
            }
            for a in item.attachments
        ],
    }
