"""Writes of the document registers, each in one transaction and audited (core/audit.py).

Outbound packages are built and signed inside the transaction that registers the document or
its status, stored with it, and handed to the hub by a background task (motcua.jobs) queued in
that same transaction and started after the commit: a rolled-back registration never leaves a
package on the hub, and a hub that is down never rolls back a registration. The jobs engine
retries a failed send with backoff; each row keeps its delivery state and last error for the
desk, and ``deliver_pending`` (``motcua edxml sync``) sends whatever is still undelivered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from motcua.accounts.models import OFFICER_ROLES, Membership, User
from motcua.accounts.scope import role_in
from motcua.agencies.models import Agency, edxml_organ_id_validator
from motcua.core import media
from motcua.core.audit import record_change
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.uploads import check_bytes, safe_name
from motcua.edoc import hub as hubs
from motcua.edoc import keys
from motcua.edoc.edxml import model as ed
from motcua.edoc.edxml import package
from motcua.edoc.edxml.errors import EdxmlError, SignatureError
from motcua.edoc.models import Attachment, Document, PartnerOrgan, Recipient, StatusEvent
from motcua.edoc.rules import (
    TYPE_NAMES,
    BusinessType,
    Delivery,
    Direction,
    DocStatus,
    EdocError,
    Priority,
    may_assign,
    next_statuses,
    status_code_for,
)
from motcua.jobs import enqueue_on_commit

log = logging.getLogger(__name__)

MAX_ATTACHMENTS = 20


@dataclass
class OutgoingInput:
    recipients: Sequence[str]  # organ ids
    code_notation: str
    subject: str
    signer_name: str
    promulgation_date: dt.date
    type_name: str = "Công văn"
    signer_position: str = ""
    signer_competence: str = ""
    place: str = ""
    content: str = ""
    priority: int = Priority.NORMAL
    due_date: dt.date | None = None
    dossier: Dossier | None = None
    files: Sequence[tuple[str, bytes]] = field(default_factory=list)


# -- helpers ----------------------------------------------------------------------------------


def _may_act(user: User, agency: Agency) -> None:
    if user.is_superuser or role_in(user, agency.pk, OFFICER_ROLES, agency_path=agency.path):
        return
    raise EdocError("Bạn không có quyền với sổ văn bản của cơ quan này.", code="forbidden")


def _next_number(agency: Agency, direction: str, year: int) -> int:
    # the agency row is the register's lock: two clerks never get the same number
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    last = Document.objects.filter(
        agency=agency, direction=direction, register_year=year
    ).aggregate(m=Max("register_number"))["m"]
    return (last or 0) + 1


def _organ(agency: Agency) -> ed.Organ:
    parent = agency.parent
    return ed.Organ(
        organ_id=agency.edxml_organ_id,
        name=agency.name_vi[:200],
        in_charge=parent.name_vi[:200] if parent else "",
        phone=agency.phone[:50],
    )


def _require_organ_id(agency: Agency) -> str:
    if not agency.edxml_organ_id:
        raise EdocError(
            "Cơ quan chưa có mã định danh trao đổi văn bản (QCVN 102); liên hệ quản trị.",
            fields={"agency": "no_organ_id"},
        )
    return agency.edxml_organ_id


def _store_package(data: bytes) -> str:
    return media.store(data)


def _send_document_later(document_id: int) -> None:
    from motcua.edoc import tasks

    enqueue_on_commit(
        tasks.deliver_document, document_id, idempotency_key=f"edoc:document:{document_id}"
    )


def _send_status_later(event_id: int) -> None:
    from motcua.edoc import tasks

    enqueue_on_commit(tasks.deliver_status, event_id, idempotency_key=f"edoc:status:{event_id}")


def _text(value: str, limit: int, label: str, name: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise EdocError(f"Vui lòng nhập {label}.", fields={name: "required"})
    if len(value) > limit:
        raise EdocError(f"{label.capitalize()} tối đa {limit} ký tự.", fields={name: "too_long"})
    return value


def _check_recipient(organ_id: str, own: str) -> str:
    organ_id = (organ_id or "").strip()
    try:
        edxml_organ_id_validator(organ_id)
    except Exception:
        raise EdocError(
            f"Mã cơ quan nhận {organ_id!r} không đúng dạng 000.00.00.H13.",
            fields={"recipients": "bad_format"},
        ) from None
    if organ_id == own:
        raise EdocError("Không gửi văn bản cho chính cơ quan mình.", fields={"recipients": "self"})
    return organ_id


def _recipient_name(organ_id: str) -> str:
    agency = Agency.objects.filter(edxml_organ_id=organ_id).values_list("name_vi", flat=True)
    partner = PartnerOrgan.objects.filter(organ_id=organ_id).values_list("name", flat=True)
    return (agency.first() or partner.first() or "")[:200]


def _checked_files(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes, str]]:
    if len(files) > MAX_ATTACHMENTS:
        raise EdocError(f"Tối đa {MAX_ATTACHMENTS} tệp đính kèm.", fields={"files": "too_many"})
    out = []
    for name, data in files:
        try:
            mime = check_bytes(data)
        except InvalidInput as exc:
            raise EdocError(f"{safe_name(name)}: {exc.message}", fields={"files": "bad"}) from None
        out.append((safe_name(name, mime), data, mime))
    return out


def _add_attachment(doc: Document, name: str, data: bytes, mime: str) -> None:
    Attachment.objects.create(
        document=doc,
        file=media.store(data),
        name=name[:200],
        content_type=mime[:100],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _package_document(doc: Document, *, now: dt.datetime) -> ed.Document:
    files = []
    for att in doc.attachments.all():
        with default_storage.open(att.file.name, "rb") as fh:
            files.append(ed.Attachment(att.name, att.content_type, fh.read()))
    related = doc.related
    return ed.Document(
        sender=_organ(doc.agency),
        recipients=[ed.Organ(r.organ_id, name=r.name) for r in doc.recipients.all()],
        code_number=doc.code_number,
        code_notation=doc.code_notation,
        place=doc.place,
        promulgation_date=doc.promulgation_date,
        type_code=doc.type_code,
        type_name=doc.type_name,
        subject=doc.subject,
        content=doc.content[:500],
        signer_competence=doc.signer_competence,
        signer_position=doc.signer_position,
        signer_name=doc.signer_name,
        due_date=doc.due_date,
        priority=doc.priority,
        document_id=doc.document_id,
        business_type=doc.business_type,
        business_reason=doc.business_reason,
        business_document_id=related.document_id if related else "",
        response_for=[
            ed.ResponseFor(
                related.agency.edxml_organ_id,
                related.code,
                related.promulgation_date,
                related.document_id,
            )
        ]
        if related
        else [],
        traces=[ed.Trace(doc.agency.edxml_organ_id, timezone.localtime(now).replace(tzinfo=None))],
        attachments=files,
    )


# -- outgoing ---------------------------------------------------------------------------------


def compose_outgoing(
    *,
    by: User,
    agency: Agency,
    data: OutgoingInput,
    related: Document | None = None,
    business_type: int = BusinessType.NEW,
    business_reason: str = "",
    now: dt.datetime | None = None,
    enforce_scope: bool = True,
) -> Document:
    """Register an outgoing document (số đi), sign its package, send it after the commit.
    ``enforce_scope`` False: the caller has authorised the act (the engine's forward)."""
    now = now or timezone.now()
    if enforce_scope:
        _may_act(by, agency)
    own = _require_organ_id(agency)
    recipients = list(dict.fromkeys(_check_recipient(r, own) for r in data.recipients if r))
    if not recipients:
        raise EdocError("Chọn ít nhất một cơ quan nhận.", fields={"recipients": "required"})
    notation = _text(data.code_notation, 30, "ký hiệu văn bản", "code_notation")
    subject = _text(data.subject, 500, "trích yếu", "subject")
    signer = _text(data.signer_name, 50, "người ký", "signer_name")
    position = _text(
        data.signer_position, 100, "chức vụ người ký", "signer_position", required=False
    )
    competence = _text(
        data.signer_competence, 50, "thẩm quyền ký", "signer_competence", required=False
    )
    content = _text(data.content, 500, "nội dung", "content", required=False)
    place = _text(
        data.place or agency.place_name or "", 50, "nơi ban hành", "place", required=False
    )
    if data.type_name not in TYPE_NAMES:
        raise EdocError("Loại văn bản không hợp lệ.", fields={"type_name": "invalid"})
    if data.priority not in Priority.values:
        raise EdocError("Độ khẩn không hợp lệ.", fields={"priority": "invalid"})
    if data.promulgation_date > timezone.localdate(now):
        raise EdocError(
            "Ngày ban hành không được sau hôm nay.", fields={"promulgation_date": "future"}
        )
    if data.due_date and data.due_date < data.promulgation_date:
        raise EdocError("Hạn xử lý phải sau ngày ban hành.", fields={"due_date": "before"})
    checked = _checked_files(data.files)
    with transaction.atomic():
        year = data.promulgation_date.year
        number = _next_number(agency, Direction.OUT, year)
        code_number = str(number)
        doc = Document.objects.create(
            agency=agency,
            direction=Direction.OUT,
            register_year=year,
            register_number=number,
            code_number=code_number,
            code_notation=notation,
            promulgation_date=data.promulgation_date,
            place=place or "",
            type_name=data.type_name,
            type_code=1 if data.type_name == "Nghị quyết" else 2,
            subject=subject,
            content=content,
            signer_name=signer,
            signer_position=position,
            signer_competence=competence,
            priority=data.priority,
            due_date=data.due_date,
            dossier=data.dossier,
            status=DocStatus.ISSUED,
            document_id=f"{own},{data.promulgation_date:%Y/%m/%d},{code_number}/{notation}",
            business_type=business_type,
            business_reason=business_reason[:500],
            related=related,
            created_at=now,
            created_by=by,
        )
        for organ_id in recipients:
            Recipient.objects.create(
                document=doc, organ_id=organ_id, name=_recipient_name(organ_id)
            )
        for name, payload, mime in checked:
            _add_attachment(doc, name, payload, mime)
        built = package.build_document(
            _package_document(doc, now=now), key=keys.signing_key(agency), now=now
        )
        doc.package = _store_package(built)
        doc.save(update_fields=["package"])
        record_change(
            "edoc.send",
            doc,
            f"Văn bản đi {doc.code}: {subject[:200]}",
            actor=by,
            data={"recipients": recipients, "business_type": business_type},
        )
        _send_document_later(doc.pk)
    return doc


def send_business(
    original_id: int,
    *,
    by: User,
    kind: int,
    reason: str,
    now: dt.datetime | None = None,
    files: Sequence[tuple[str, bytes]] = (),
) -> Document:
    """Revoke, update or replace a document sent earlier: a new package to the same recipients
    naming the original; receivers label it, their registered copy is not changed for them."""
    original = Document.objects.select_related("agency").filter(pk=original_id).first()
    if original is None:
        raise EdocError("Không tìm thấy văn bản đi.", code="not_found")
    _may_act(by, original.agency)
    if original.direction != Direction.OUT or original.business_type != BusinessType.NEW:
        raise EdocError("Chỉ thu hồi/cập nhật/thay thế được văn bản đi gốc.")
    if kind not in (BusinessType.REVOKE, BusinessType.UPDATE, BusinessType.REPLACE):
        raise EdocError("Nghiệp vụ không hợp lệ.", fields={"kind": "invalid"})
    reason = _text(reason, 500, "lý do", "reason")
    now = now or timezone.now()
    label = BusinessType(kind).label
    data = OutgoingInput(
        recipients=list(original.recipients.values_list("organ_id", flat=True)),
        code_notation=original.code_notation,
        subject=f"{label}: {original.subject}"[:500],
        signer_name=original.signer_name,
        signer_position=original.signer_position,
        signer_competence=original.signer_competence,
        promulgation_date=timezone.localdate(now),
        type_name=original.type_name,
        place=original.place,
        priority=original.priority,
        dossier=original.dossier,
        files=files,
    )
    return compose_outgoing(
        by=by,
        agency=original.agency,
        data=data,
        related=original,
        business_type=kind,
        business_reason=reason,
        now=now,
    )


def _deliver(
    row: Recipient | StatusEvent, *, kind: str, sender: str, package_bytes: bytes, now: dt.datetime
) -> str | None:
    """Hand one package to its hub; the recipient's organ id when it is one of ours."""
    try:
        hub = hubs.for_organ(row.organ_id)
        message_id = hub.send(package_bytes, kind=kind, sender=sender, recipient=row.organ_id)
    except hubs.HubError as exc:
        row.attempts += 1
        row.delivery = Delivery.FAILED
        row.last_error = str(exc)[:500]
        row.save(update_fields=["attempts", "delivery", "last_error"])
        log.warning("edoc: %s package to %s not delivered: %s", kind, row.organ_id, exc)
        return None
    row.attempts += 1
    row.delivery = Delivery.SENT
    row.last_error = ""
    row.delivered_at = now
    row.message_id = message_id[:100]
    row.save(update_fields=["attempts", "delivery", "last_error", "delivered_at", "message_id"])
    return row.organ_id if hub.name == "builtin" else None


def _read_package(name: str) -> bytes:
    with default_storage.open(name, "rb") as fh:
        return fh.read()


def deliver_document(document_id: int, *, now: dt.datetime | None = None) -> int:
    """Send the document to every recipient not reached yet; how many are still unreached."""
    now = now or timezone.now()
    doc = Document.objects.select_related("agency").get(pk=document_id)
    data = _read_package(doc.package.name)
    local, failed = [], 0
    for recipient in doc.recipients.exclude(delivery=Delivery.SENT):
        with transaction.atomic():
            got = _deliver(
                recipient,
                kind="edoc",
                sender=doc.agency.edxml_organ_id,
                package_bytes=data,
                now=now,
            )
        if got:
            local.append(got)
        elif recipient.delivery != Delivery.SENT:
            failed += 1
    for organ_id in local:  # the built-in hub hands over at once: the receivers pull now
        pull_builtin(organ_id)
    return failed


def deliver_status(event_id: int, *, now: dt.datetime | None = None) -> bool:
    """Send one status package; True when it is still undelivered."""
    now = now or timezone.now()
    event = StatusEvent.objects.select_related("document__agency").get(pk=event_id)
    if not event.outbound or event.delivery == Delivery.SENT:
        return False
    data = _read_package(event.package.name)
    with transaction.atomic():
        got = _deliver(
            event,
            kind="status",
            sender=event.document.agency.edxml_organ_id,
            package_bytes=data,
            now=now,
        )
    if got:
        pull_builtin(got)
    return event.delivery != Delivery.SENT


def deliver_pending(*, now: dt.datetime | None = None) -> int:
    """Send again everything queued or failed (``motcua edxml sync``); how many rows tried."""
    tried = 0
    docs = (
        Recipient.objects.exclude(delivery=Delivery.SENT)
        .values_list("document_id", flat=True)
        .distinct()
    )
    for doc_id in list(docs):
        deliver_document(doc_id, now=now)
        tried += 1
    for event_id in list(
        StatusEvent.objects.filter(outbound=True)
        .exclude(delivery=Delivery.SENT)
        .values_list("pk", flat=True)
    ):
        deliver_status(event_id, now=now)
        tried += 1
    return tried


# -- incoming ---------------------------------------------------------------------------------


def pull_builtin(organ_id: str) -> int:
    return pull(organ_id, hubs.builtin_hub())


def pull(organ_id: str, hub: hubs.Hub) -> int:
    """Register every package waiting for ``organ_id`` on ``hub``; how many were taken. A
    package that fails its checks is marked ``fail`` on the hub and recorded, never registered."""
    agency = Agency.objects.filter(edxml_organ_id=organ_id).first()
    if agency is None:
        return 0
    taken = 0
    for item in hub.list_received(organ_id):
        data = hub.fetch(organ_id, item.message_id)
        try:
            with transaction.atomic():
                receive_package(agency, data, message_id=f"{hub.name}:{item.message_id}")
        except (EdxmlError, EdocError) as exc:
            message = exc.message if hasattr(exc, "message") else str(exc)
            with transaction.atomic():
                record_change(
                    "edoc.reject",
                    agency,
                    f"Gói tin {item.message_id} từ {item.sender} bị từ chối: {message}"[:500],
                    data={"hub": hub.name, "problems": getattr(exc, "problems", [])[:20]},
                )
            hub.update_status(organ_id, item.message_id, "fail")
            continue
        hub.update_status(organ_id, item.message_id, "done")
        taken += 1
    return taken


def pull_all(now: dt.datetime | None = None) -> int:
    """Every agency's waiting packages on every configured hub (``motcua edxml sync``)."""
    taken = 0
    axis = hubs.axis_hub()
    for organ_id in Agency.objects.exclude(edxml_organ_id="").values_list(
        "edxml_organ_id", flat=True
    ):
        taken += pull_builtin(organ_id)
        if axis is not None:
            try:
                taken += pull(organ_id, axis)
            except hubs.HubError as exc:
                log.warning("edoc: pulling %s from the axis failed: %s", organ_id, exc)
    return taken


def max_package_bytes() -> int:
    """The largest package accepted: every attachment at its largest, base64-encoded (4/3),
    plus room for the header."""
    return settings.MOTCUA_MAX_UPLOAD_BYTES * MAX_ATTACHMENTS * 4 // 3 + 1024 * 1024


def _verified(data: bytes):
    if len(data) > max_package_bytes():
        raise EdxmlError(f"Gói tin quá lớn ({len(data) // (1024 * 1024)} MB).")
    try:
        unverified = package.read(data)
    except EdxmlError:
        raise
    if getattr(unverified, "legacy", False):
        return unverified
    certificate = keys.certificate_for(unverified.sender.organ_id)
    if certificate is None:
        raise SignatureError(
            f"Không có chứng thư số của cơ quan gửi {unverified.sender.organ_id} để kiểm tra "
            "chữ ký (cập nhật danh bạ trục liên thông)."
        )
    return package.read_verified(data, certificate)


def receive_package(
    agency: Agency, data: bytes, *, message_id: str, now: dt.datetime | None = None
) -> Document:
    """Register an incoming package (document or status) for ``agency``, in the caller's
    transaction; EdxmlError/EdocError when it must be refused."""
    now = now or timezone.now()
    item = _verified(data)
    if isinstance(item, ed.Status):
        return _receive_status(agency, item, now=now)
    if agency.edxml_organ_id not in {r.organ_id for r in item.recipients}:
        raise EdocError(f"Gói tin không gửi cho cơ quan {agency.edxml_organ_id}.")
    done = Document.objects.filter(agency=agency, hub_message_id=message_id).first()
    if done is not None:
        return done  # fetched twice: registered once
    year = timezone.localdate(now).year
    number = _next_number(agency, Direction.IN, year)
    sent = (
        Document.objects.filter(
            direction=Direction.OUT,
            document_id=item.document_id,
            agency__edxml_organ_id=item.sender.organ_id,
        )
        .values_list("dossier_id", flat=True)
        .first()
    )
    related = None
    if item.business_type != BusinessType.NEW and item.business_document_id:
        related = Document.objects.filter(
            agency=agency, direction=Direction.IN, document_id=item.business_document_id
        ).first()
    try:
        doc = Document.objects.create(
            agency=agency,
            direction=Direction.IN,
            register_year=year,
            register_number=number,
            code_number=item.code_number[:11],
            code_notation=item.code_notation[:30],
            promulgation_date=item.promulgation_date,
            place=item.place[:50],
            type_name=(item.type_name or "Công văn")[:100],
            type_code=item.type_code if item.type_code in (1, 2) else 2,
            subject=item.subject[:500],
            content=item.content,
            signer_name=item.signer_name[:50],
            signer_position=item.signer_position[:100],
            signer_competence=item.signer_competence[:50],
            priority=item.priority if item.priority in Priority.values else 0,
            due_date=item.due_date,
            dossier_id=sent,
            status=DocStatus.PENDING,
            counterpart_id=item.sender.organ_id[:40],
            counterpart_name=(item.sender.name or _recipient_name(item.sender.organ_id))[:200],
            document_id=item.document_id[:255],
            business_type=item.business_type if item.business_type in BusinessType.values else 0,
            business_reason=item.business_reason[:500],
            related=related,
            legacy=item.legacy,
            hub_message_id=message_id[:100],
            created_at=now,
        )
    except IntegrityError as exc:  # a concurrent fetch of the same message won
        raise EdocError("Gói tin đã được vào sổ.") from exc
    for att in item.attachments[:MAX_ATTACHMENTS]:
        try:
            mime = check_bytes(att.data)
        except InvalidInput:
            mime = "application/octet-stream"  # kept, served as a download only
        _add_attachment(doc, safe_name(att.name, mime), att.data, mime)
    doc.package = _store_package(data)
    doc.save(update_fields=["package"])
    StatusEvent.objects.create(
        document=doc,
        organ_id=item.sender.organ_id[:40],
        code=ed.STATUS_WAITING,
        at=now,
        delivery=Delivery.SENT,
        description="Nhận qua trục" if not item.legacy else "Nhận qua trục (gói tin dạng cũ)",
    )
    record_change(
        "edoc.receive",
        doc,
        f"Văn bản đến {doc.code} từ {doc.counterpart_id}: {doc.subject[:200]}",
        data={"message_id": message_id, "legacy": item.legacy},
    )
    return doc


def _receive_status(agency: Agency, status: ed.Status, *, now: dt.datetime) -> Document:
    doc = Document.objects.filter(
        agency=agency, direction=Direction.OUT, document_id=status.response_for.document_id
    ).first()
    if doc is None:
        raise EdocError(
            f"Gói tin trạng thái cho văn bản không có trong sổ: {status.response_for.document_id}"
        )
    recipient = doc.recipients.filter(organ_id=status.sender.organ_id).first()
    if recipient is None:
        raise EdocError(f"Cơ quan {status.sender.organ_id} không phải nơi nhận văn bản này.")
    recipient.status_code = status.status_code
    recipient.status_description = status.description[:500]
    recipient.status_at = now
    recipient.save(update_fields=["status_code", "status_description", "status_at"])
    StatusEvent.objects.create(
        document=doc,
        organ_id=status.sender.organ_id[:40],
        code=status.status_code,
        description=status.description[:500],
        at=now,
        delivery=Delivery.SENT,
    )
    record_change(
        "edoc.status_in",
        doc,
        f"{status.sender.organ_id} báo {status.status_code} cho văn bản {doc.code}",
        data={"code": status.status_code, "description": status.description[:200]},
    )
    return doc


# -- statuses on incoming documents -----------------------------------------------------------


def _locked_incoming(document_id: int, by: User) -> Document:
    doc = (
        Document.objects.select_for_update()
        .select_related("agency")
        .filter(pk=document_id, direction=Direction.IN)
        .first()
    )
    if doc is None:
        raise EdocError("Không tìm thấy văn bản đến.", code="not_found")
    _may_act(by, doc.agency)
    return doc


def _report(doc: Document, code: str, *, by: User, description: str, now: dt.datetime) -> None:
    """Record a status and, when the sender can be answered, its signed status package."""
    event = StatusEvent(
        document=doc,
        outbound=True,
        organ_id=doc.counterpart_id,
        code=code,
        description=description[:500],
        at=now,
        by=by,
    )
    answerable = bool(doc.counterpart_id) and not doc.legacy
    if not answerable:
        event.delivery = Delivery.SENT  # nobody to tell: kept in the history only
        event.save()
        return
    status = ed.Status(
        response_for=ed.ResponseFor(
            doc.counterpart_id, doc.code, doc.promulgation_date, doc.document_id
        ),
        sender=_organ(doc.agency),
        status_code=code,
        description=description[:500],
        timestamp=timezone.localtime(now).replace(tzinfo=None),
        staff=ed.Staff(staff=by.display_name()[:100]),
    )
    built = package.build_status(status, key=keys.signing_key(doc.agency))
    event.package = _store_package(built)
    event.save()
    _send_status_later(event.pk)


def set_status(
    document_id: int,
    *,
    by: User,
    status: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Document:
    now = now or timezone.now()
    with transaction.atomic():
        doc = _locked_incoming(document_id, by)
        allowed = next_statuses(doc.status, doc.business_type)
        if status not in allowed:
            raise EdocError(
                "Không chuyển được văn bản sang trạng thái này.", fields={"status": "not_allowed"}
            )
        reason = _text(reason, 500, "lý do", "reason", required=status == DocStatus.REFUSED)
        old = doc.status
        doc.status = status
        doc.save(update_fields=["status"])
        _report(doc, status_code_for(status, doc.business_type), by=by, description=reason, now=now)
        record_change(
            "edoc.status",
            doc,
            f"Văn bản đến {doc.code}: {DocStatus(old).label} → {DocStatus(status).label}",
            actor=by,
            data={"from": old, "to": status, "reason": reason},
        )
    return doc


def assign(
    document_id: int,
    *,
    by: User,
    assignee: User,
    note: str = "",
    now: dt.datetime | None = None,
) -> Document:
    now = now or timezone.now()
    with transaction.atomic():
        doc = _locked_incoming(document_id, by)
        if not may_assign(doc.status):
            raise EdocError(
                "Văn bản phải được tiếp nhận trước khi phân công.",
                fields={"assignee": "not_received"},
            )
        if not Membership.objects.filter(user=assignee, agency=doc.agency).exists():
            raise EdocError(
                "Người được phân công không thuộc cơ quan này.", fields={"assignee": "outside"}
            )
        note = _text(note, 500, "ghi chú", "note", required=False)
        doc.assignee = assignee
        doc.status = DocStatus.ASSIGNED
        doc.save(update_fields=["assignee", "status"])
        _report(
            doc,
            ed.STATUS_ASSIGNED,
            by=by,
            description=f"Phân công: {assignee.display_name()}. {note}".strip()[:500],
            now=now,
        )
        record_change(
            "edoc.assign",
            doc,
            f"Phân công văn bản đến {doc.code} cho {assignee.username}",
            actor=by,
            data={"assignee": assignee.pk, "note": note},
        )
    return doc


# -- the axis directory -----------------------------------------------------------------------


def sync_directory(hub: hubs.Hub) -> int:
    """Refresh the organisations (and certificates) the axis lists; how many."""
    entries = hub.directory()
    with transaction.atomic():
        for entry in entries:
            PartnerOrgan.objects.update_or_create(
                organ_id=entry.organ_id[:40],
                defaults={
                    "name": entry.name[:200],
                    "parent_id": entry.parent_id[:40],
                    "certificate_pem": entry.certificate_pem,
                },
            )
        record_change(
            "edoc.directory",
            None,
            f"Danh bạ trục liên thông: {len(entries)} cơ quan",
            object_type="edoc.partnerorgan",
        )
    return len(entries)
