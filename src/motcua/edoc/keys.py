"""Agencies' exchange keys: the key an agency signs its packages with, and the certificates
packages are verified with.

A deployment installs each agency's organisation certificate and key (``install_key``; the
certificate register of motcua.certificates is where they are recorded). Until it does, an
agency that sends its first package gets a generated self-signed EC P-256 key, so that motcua's
own agencies can exchange signed packages from the first day; receivers inside motcua trust it
because it is stored here, next to the agency. The axis's directory supplies the certificates
of organisations outside motcua (``PartnerOrgan``). Private keys are stored as encrypted PKCS#8
PEM, the passphrase derived from SECRET_KEY (rotating SECRET_KEY means re-installing keys).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.edoc.edxml.signing import SigningKey
from motcua.edoc.models import ExchangeKey, PartnerOrgan
from motcua.edoc.rules import EdocError


def _passphrase() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"motcua.edoc.keys", hashlib.sha256).digest()


def _encrypt(private) -> str:
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    ).decode("ascii")


def install_key(
    agency: Agency, *, private_key_pem: bytes, certificate_pem: bytes, password: bytes | None = None
) -> ExchangeKey:
    """Store (or replace) an agency's key; the certificate must match the key."""
    try:
        private = load_pem_private_key(private_key_pem, password=password)
        cert = x509.load_pem_x509_certificate(certificate_pem)
    except (ValueError, TypeError) as exc:
        raise EdocError("Khóa hoặc chứng thư số không đọc được.") from exc
    if cert.public_key().public_numbers() != private.public_key().public_numbers():
        raise EdocError("Chứng thư số không khớp với khóa.")
    key, _ = ExchangeKey.objects.update_or_create(
        agency=agency,
        defaults={
            "certificate_pem": certificate_pem.decode("ascii"),
            "private_key_pem": _encrypt(private),
            "generated": False,
        },
    )
    return key


def _generate(agency: Agency) -> ExchangeKey:
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, agency.name_vi[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, agency.edxml_organ_id),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua"),
        ]
    )
    start = timezone.now() - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .sign(private, hashes.SHA256())
    )
    key, _ = ExchangeKey.objects.get_or_create(
        agency=agency,
        defaults={
            "certificate_pem": cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
            "private_key_pem": _encrypt(private),
            "generated": True,
        },
    )
    return key


def signing_key(agency: Agency) -> SigningKey:
    key = ExchangeKey.objects.filter(agency=agency).first() or _generate(agency)
    return SigningKey(
        private_key_pem=key.private_key_pem.encode("ascii"),
        certificate_pem=key.certificate_pem.encode("ascii"),
        password=_passphrase(),
    )


def certificate_for(organ_id: str) -> bytes | None:
    """The certificate packages from ``organ_id`` must verify with (None: unknown sender)."""
    local = (
        ExchangeKey.objects.filter(agency__edxml_organ_id=organ_id)
        .values_list("certificate_pem", flat=True)
        .first()
    )
    if local:
        return local.encode("ascii")
    partner = (
        PartnerOrgan.objects.filter(organ_id=organ_id)
        .exclude(certificate_pem="")
        .values_list("certificate_pem", flat=True)
        .first()
    )
    return partner.encode("ascii") if partner else None
