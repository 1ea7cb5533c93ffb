"""The link between signing keys and the certificate register (``motcua.certificates``): a
key's certificate is matched to its register entry by serial and issuer (or by fingerprint),
and a key whose entry is revoked, returned or expired does not sign."""

from __future__ import annotations

import datetime as dt
import hashlib

from asn1crypto import x509 as asn1_x509
from django.utils import timezone

from motcua.certificates.models import Certificate
from motcua.certificates.rules import Status, effective_status
from motcua.dossiers.errors import InvalidInput
from motcua.signatures.models import SigningKey

REFUSED = {
    Status.REVOKED: "Chứng thư số của khóa này đã bị thu hồi (sổ đăng ký chứng thư số); "
    "không thể ký.",
    Status.EXPIRED: "Chứng thư số của khóa này đã hết hạn (sổ đăng ký chứng thư số); không thể ký.",
    Status.RETURNED: "Chứng thư số của khóa này đã được nộp lại (sổ đăng ký chứng thư số); "
    "không thể ký.",
}


def _issuer_cn(cert: asn1_x509.Certificate) -> str:
    return str(cert.issuer.native.get("common_name", "") or "")


def find_entry(cert: asn1_x509.Certificate) -> Certificate | None:
    """The register entry of ``cert``: same fingerprint, or same serial and an issuer name
    that the certificate's issuer matches (the register stores the issuer as people write it,
    e.g. its common name)."""
    fingerprint = hashlib.sha256(cert.dump()).hexdigest()
    serial = format(cert.serial_number, "x")
    candidates = list(Certificate.objects.filter(serial=serial))
    for entry in candidates:
        if entry.fingerprint and entry.fingerprint == fingerprint:
            return entry
    issuer_cn = _issuer_cn(cert).casefold()
    issuer_full = cert.issuer.human_friendly.casefold()
    for entry in candidates:
        name = entry.issuer.strip().casefold()
        if name and (name == issuer_cn or name in issuer_full):
            return entry
    return None


def check_key(key: SigningKey, cert: asn1_x509.Certificate, now: dt.datetime) -> None:
    """Link ``key`` to its register entry (when found and not yet linked) and refuse to sign
    when that entry is revoked, returned or expired at ``now``."""
    entry = find_entry(cert)
    if entry is None:
        entry = key.certificate
    elif key.certificate_id != entry.pk:
        SigningKey.objects.filter(pk=key.pk).update(certificate=entry)
        key.certificate = entry
    if entry is None:
        return
    status = effective_status(entry.status, entry.valid_to, timezone.localdate(now))
    if status in REFUSED:
        raise InvalidInput(REFUSED[Status(status)], fields={"secret": f"certificate_{status}"})


def status_of(serial_hex: str, issuer_cn: str = "") -> dict | None:
    """The register status of a certificate seen in a signed PDF (verification), or None."""
    entries = list(Certificate.objects.filter(serial=serial_hex.lower().lstrip("0") or "0"))
    if issuer_cn:
        named = [e for e in entries if e.issuer.strip().casefold() == issuer_cn.casefold()]
        entries = named or entries
    if not entries:
        return None
    entry = entries[0]
    status = effective_status(entry.status, entry.valid_to, timezone.localdate())
    return {
        "status": status,
        "label": str(Status(status).label),
        "holder": entry.holder_name,
        "valid_to": entry.valid_to.isoformat(),
        "revoked_on": entry.revoked_on.isoformat() if entry.revoked_on else None,
    }
