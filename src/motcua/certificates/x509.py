"""Reading a certificate file (PEM or DER) with ``cryptography``: what the register needs from
it. Pure: no database."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils.translation import gettext as _

from motcua.certificates.rules import MAX_CERT_BYTES, MAX_DN, CertificateError

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class CertInfo:
    serial: str  # rules.normalize_serial's spelling
    issuer: str  # the issuer's common name (the register's "tổ chức cấp"), else its DN
    issuer_dn: str
    subject_dn: str
    subject_cn: str
    valid_from: dt.date  # local (Vietnam) dates: the issuer's lists print local dates
    valid_to: dt.date
    der: bytes
    fingerprint: str


def _cn(name: x509.Name) -> str:
    found = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(found[0].value) if found else ""


def read(data: bytes) -> CertInfo:
    """The certificate in ``data`` (one PEM block or DER), or CertificateError."""
    if not data or len(data) > MAX_CERT_BYTES:
        raise CertificateError(
            _("Tệp chứng thư phải có nội dung và không quá %(n)d KB.")
            % {"n": MAX_CERT_BYTES // 1024},
            ("file",),
        )
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            cert = x509.load_pem_x509_certificate(data)
        else:
            cert = x509.load_der_x509_certificate(data)
        serial = format(cert.serial_number, "x")
        subject = cert.subject.rfc4514_string()
        issuer_dn = cert.issuer.rfc4514_string()
        start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    except (ValueError, TypeError):  # cryptography's errors for a damaged or foreign file
        raise CertificateError(
            _("Không đọc được chứng thư số (cần tệp .cer/.crt/.pem dạng PEM hoặc DER)."),
            ("file",),
        ) from None
    der = cert.public_bytes(Encoding.DER)
    return CertInfo(
        serial=serial,
        issuer=(_cn(cert.issuer) or issuer_dn)[:255],
        issuer_dn=issuer_dn,
        subject_dn=subject[:MAX_DN],
        subject_cn=_cn(cert.subject)[:255],
        valid_from=start.astimezone(VN).date(),
        valid_to=end.astimezone(VN).date(),
        der=der,
        fingerprint=hashlib.sha256(der).hexdigest(),
    )


def mismatches(info: CertInfo, *, serial: str, issuer: str, valid_from, valid_to) -> list[str]:
    """What the file says differently from the register entry (Vietnamese, one per field)."""
    out = []
    if info.serial != serial:
        out.append(_("số hiệu trong tệp là %(v)s") % {"v": info.serial.upper()})
    if issuer and issuer.casefold() not in {info.issuer.casefold(), info.issuer_dn.casefold()}:
        out.append(_("tổ chức cấp trong tệp là “%(v)s”") % {"v": info.issuer})
    if info.valid_from != valid_from:
        out.append(_("hiệu lực từ ngày %(v)s") % {"v": f"{info.valid_from:%d/%m/%Y}"})
    if info.valid_to != valid_to:
        out.append(_("hiệu lực đến ngày %(v)s") % {"v": f"{info.valid_to:%d/%m/%Y}"})
    return out
