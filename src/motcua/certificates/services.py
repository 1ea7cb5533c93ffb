"""Writes to the certificate register. Each function is one transaction and leaves an entry
in the change log (``core.audit``); a refusal is a ``CertificateError`` with a Vietnamese
message and the fields it concerns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.certificates import permissions, x509
from motcua.certificates.models import Certificate
from motcua.certificates.rules import (
    MAX_NOTES,
    MAX_TEXT,
    CertificateError,
    Device,
    Kind,
    Status,
    check_move,
    check_validity,
    normalize_serial,
)
from motcua.core import dateparams
from motcua.core.audit import record_change

OBJECT = "certificates.certificate"


@dataclass
class Entry:
    """A register entry as an import row or a form gives it (before it is saved)."""

    kind: str
    holder_name: str
    agency: Agency
    serial: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    holder_position: str = ""
    user: User | None = None
    subject_dn: str = ""
    token_serial: str = ""
    device: str = ""
    status: str = Status.ACTIVE
    revoked_on: dt.date | None = None
    revocation_reason: str = ""
    returned_on: dt.date | None = None
    notes: str = ""


# fields an import may change on an existing certificate (the issuer's list is the source)
UPDATABLE = (
    "holder_name",
    "holder_position",
    "agency",
    "subject_dn",
    "valid_from",
    "valid_to",
    "token_serial",
    "device",
    "revoked_on",
    "revocation_reason",
    "returned_on",
)


def _date(value: dt.date | None, field: str) -> None:
    if value is None:
        return
    try:
        dateparams.check_date(value)
    except dateparams.DateParamError as exc:
        raise CertificateError(exc.message, (field,)) from None


def check_entry(entry: Entry) -> Entry:
    """Normalise and check an entry; CertificateError on the first problem."""
    entry.serial = normalize_serial(entry.serial)
    if entry.kind not in Kind.values:
        raise CertificateError(_("Loại chứng thư không hợp lệ."), ("kind",))
    if entry.device and entry.device not in Device.values:
        raise CertificateError(_("Thiết bị lưu khóa không hợp lệ."), ("device",))
    if entry.status not in Status.values:
        raise CertificateError(_("Trạng thái không hợp lệ."), ("status",))
    for name in ("holder_name", "issuer"):
        value = getattr(entry, name).strip()
        if not value:
            raise CertificateError(_("Thông tin này là bắt buộc."), (name,))
        setattr(entry, name, value)
    for name in ("holder_name", "holder_position", "issuer", "token_serial", "revocation_reason"):
        limit = 64 if name == "token_serial" else 500 if name == "revocation_reason" else MAX_TEXT
        if len(getattr(entry, name)) > limit:
            raise CertificateError(_("Tối đa %(n)d ký tự.") % {"n": limit}, (name,))
    if len(entry.notes) > MAX_NOTES or len(entry.subject_dn) > 1000:
        raise CertificateError(_("Nội dung quá dài."), ("notes",))
    for name in ("valid_from", "valid_to", "revoked_on", "returned_on"):
        _date(getattr(entry, name), name)
    check_validity(entry.valid_from, entry.valid_to)
    if entry.token_serial and not entry.device:
        entry.device = Device.USB_TOKEN  # a token serial means the key is on a token
    if entry.status == Status.REVOKED and entry.revoked_on is None:
        raise CertificateError(_("Chứng thư đã thu hồi phải có ngày thu hồi."), ("revoked_on",))
    if entry.status == Status.RETURNED and entry.returned_on is None:
        raise CertificateError(_("Chứng thư đã nộp lại phải có ngày nộp lại."), ("returned_on",))
    for name in ("revoked_on", "returned_on"):
        day = getattr(entry, name)
        if day is not None and day < entry.valid_from:
            raise CertificateError(_("Ngày này trước ngày bắt đầu hiệu lực."), (name,))
    if entry.status != Status.REVOKED and entry.revoked_on is not None:
        raise CertificateError(_("Chỉ chứng thư đã thu hồi mới có ngày thu hồi."), ("revoked_on",))
    if entry.status != Status.RETURNED and entry.returned_on is not None:
        raise CertificateError(_("Chỉ chứng thư đã nộp lại mới có ngày nộp lại."), ("returned_on",))
    return entry


def _snapshot(cert: Certificate) -> dict:
    return {
        "serial": cert.serial,
        "issuer": cert.issuer,
        "status": cert.status,
        "valid_from": cert.valid_from.isoformat(),
        "valid_to": cert.valid_to.isoformat(),
    }


@transaction.atomic
def create(by: User | None, entry: Entry, *, file: bytes | None = None) -> Certificate:
    """Add one certificate to the register (an office officer, or an import)."""
    if by is not None:
        permissions.require_office(by)
    entry = check_entry(entry)
    info = None
    if file:
        info = x509.read(file)
        _require_match(info, entry.serial, entry.issuer, entry.valid_from, entry.valid_to)
    if Certificate.objects.filter(issuer=entry.issuer, serial=entry.serial).exists():
        raise CertificateError(
            _("Tổ chức cấp này đã có chứng thư số hiệu %(s)s trong sổ.")
            % {"s": entry.serial.upper()},
            ("serial",),
        )
    cert = Certificate(**{f.name: getattr(entry, f.name) for f in fields(Entry)})
    if info is not None:
        cert.der, cert.fingerprint = info.der, info.fingerprint
        cert.subject_dn = cert.subject_dn or info.subject_dn
    cert.save()
    record_change(
        "certificate.create",
        cert,
        f"Thêm chứng thư {cert.serial} của {cert.holder_name}",
        actor=by,
        data=_snapshot(cert),
    )
    return cert


def entry_from_file(data: bytes, **known) -> tuple[x509.CertInfo, dict]:
    """What a certificate file says, as defaults for a new entry's form."""
    info = x509.read(data)
    defaults = {
        "serial": info.serial,
        "issuer": info.issuer,
        "subject_dn": info.subject_dn,
        "valid_from": info.valid_from,
        "valid_to": info.valid_to,
        "holder_name": info.subject_cn,
    }
    return info, {**defaults, **{k: v for k, v in known.items() if v not in (None, "")}}


def _require_match(info, serial, issuer, valid_from, valid_to) -> None:
    wrong = x509.mismatches(
        info, serial=serial, issuer=issuer, valid_from=valid_from, valid_to=valid_to
    )
    if wrong:
        raise CertificateError(
            _("Tệp chứng thư không khớp với sổ: %(w)s.") % {"w": "; ".join(wrong)}, ("file",)
        )


def _locked(certificate_id: int) -> Certificate:
    cert = (
        Certificate.objects.select_for_update()
        .select_related("agency")
        .filter(pk=certificate_id)
        .first()
    )
    if cert is None:
        raise CertificateError(_("Không tìm thấy chứng thư số."))
    return cert


def _check_move(cert: Certificate, new: str) -> None:
    """A recorded revocation or return must change the status (a second one is refused)."""
    if cert.status == new:
        raise CertificateError(
            _("Chứng thư đã ở trạng thái “%(s)s”.") % {"s": Status(new).label}, ("status",)
        )
    check_move(cert.status, new)


def _move(by: User | None, cert: Certificate, new: str, summary: str, **data) -> None:
    old = cert.status
    cert.status = new
    cert.save()
    record_change(
        "certificate.status",
        cert,
        summary,
        actor=by,
        data={"from": old, "to": new, **data},
    )


@transaction.atomic
def revoke(by: User, certificate_id: int, *, on: dt.date, reason: str) -> Certificate:
    """Record the issuer's revocation (thu hồi): final."""
    cert = _locked(certificate_id)
    permissions.require_manage(by, cert)
    _check_move(cert, Status.REVOKED)
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Ghi lý do thu hồi."), ("reason",))
    if len(reason) > 500:
        raise CertificateError(_("Tối đa %(n)d ký tự.") % {"n": 500}, ("reason",))
    _date(on, "on")
    if on < cert.valid_from:
        raise CertificateError(_("Ngày thu hồi trước ngày cấp chứng thư."), ("on",))
    cert.revoked_on, cert.revocation_reason = on, reason
    _move(
        by,
        cert,
        Status.REVOKED,
        f"Thu hồi chứng thư {cert.serial} ngày {on:%d/%m/%Y}: {reason}",
        on=on.isoformat(),
        reason=reason,
    )
    return cert


@transaction.atomic
def mark_returned(by: User, certificate_id: int, *, on: dt.date, note: str = "") -> Certificate:
    """Record that the holder handed the certificate (and its token) back: final."""
    cert = _locked(certificate_id)
    permissions.require_manage(by, cert)
    _check_move(cert, Status.RETURNED)
    note = (note or "").strip()
    if len(note) > 500:
        raise CertificateError(_("Tối đa %(n)d ký tự.") % {"n": 500}, ("note",))
    _date(on, "on")
    if on < cert.valid_from:
        raise CertificateError(_("Ngày nộp lại trước ngày cấp chứng thư."), ("on",))
    cert.returned_on = on
    if note:
        cert.notes = (f"{cert.notes}\n{note}" if cert.notes else note)[:MAX_NOTES]
    _move(
        by,
        cert,
        Status.RETURNED,
        f"Nộp lại chứng thư {cert.serial} ngày {on:%d/%m/%Y}",
        on=on.isoformat(),
        note=note,
    )
    return cert


@transaction.atomic
def attach_file(by: User, certificate_id: int, data: bytes) -> Certificate:
    """Keep the certificate itself; refused when it says something else than the register."""
    cert = _locked(certificate_id)
    permissions.require_manage(by, cert)
    info = x509.read(data)
    _require_match(info, cert.serial, cert.issuer, cert.valid_from, cert.valid_to)
    cert.der, cert.fingerprint = info.der, info.fingerprint
    if not cert.subject_dn:
        cert.subject_dn = info.subject_dn
    cert.save()
    record_change(
        "certificate.file",
        cert,
        f"Lưu tệp chứng thư {cert.serial} (SHA-256 {info.fingerprint[:16]}…)",
        actor=by,
        data={"fingerprint": info.fingerprint},
    )
    return cert


def apply_import(by: User | None, entries: list[Entry], existing: dict) -> tuple[int, int, int]:
    """Write checked import rows (inside the caller's transaction): new certificates in bulk,
    changed ones one by one with their change-log entries. ``existing`` maps (issuer, serial)
    to the locked row. Returns (created, updated, unchanged)."""
    from motcua.core.models import ChangeEvent

    new = [
        Certificate(**{f.name: getattr(e, f.name) for f in fields(Entry)})
        for e in entries
        if (e.issuer, e.serial) not in existing
    ]
    Certificate.objects.bulk_create(new, batch_size=500)
    # bulk_create sets pks on PostgreSQL and SQLite ≥ 3.35 (RETURNING)
    ChangeEvent.objects.bulk_create(
        [
            ChangeEvent(
                actor=by if getattr(by, "pk", None) else None,
                action="certificate.create",
                object_type=OBJECT,
                object_id=str(c.pk),
                summary=f"Nhập chứng thư {c.serial} của {c.holder_name}"[:500],
                data=_snapshot(c),
            )
            for c in new
        ],
        batch_size=500,
    )
    updated = unchanged = 0
    for entry in entries:
        cert = existing.get((entry.issuer, entry.serial))
        if cert is None:
            continue
        changed = {
            name: (_value(cert, name), _value(entry, name))
            for name in UPDATABLE
            if _value(cert, name) != _value(entry, name)
        }
        if entry.user is not None and cert.user_id != entry.user.pk:
            changed["user"] = (cert.user_id, entry.user.pk)  # set below from the entry
        if entry.notes and entry.notes != cert.notes:
            changed["notes"] = (cert.notes, entry.notes)
        old_status = cert.status
        if not changed and old_status == entry.status:
            unchanged += 1
            continue
        for name in changed:
            setattr(cert, name, getattr(entry, name))
        cert.status = entry.status
        cert.save()
        data = {k: [_plain(a), _plain(b)] for k, (a, b) in changed.items()}
        if old_status != entry.status:
            record_change(
                "certificate.status",
                cert,
                f"Nhập danh sách: chứng thư {cert.serial} "
                f"{Status(old_status).label} → {Status(entry.status).label}",
                actor=by,
                data={"from": old_status, "to": entry.status, "import": True, "changes": data},
            )
        else:
            record_change(
                "certificate.update",
                cert,
                f"Nhập danh sách: cập nhật chứng thư {cert.serial}",
                actor=by,
                data={"changes": data},
            )
        updated += 1
    return len(new), updated, unchanged


def _value(obj, name: str) -> object:
    """A field's value for comparison; the agency by id (no query per row)."""
    if name == "agency":
        return obj.agency_id if isinstance(obj, Certificate) else obj.agency.pk
    if name == "user":
        return obj.user_id if isinstance(obj, Certificate) else getattr(obj.user, "pk", None)
    return getattr(obj, name)


def _plain(value) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value
