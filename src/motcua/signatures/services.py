"""Signing a dossier's result (the one write of this app): a leader of the deciding agency
signs the result document with their own key, the agency's seal is added where it has one,
and the signed PDF is stored once, with its SHA-256, as the dossier's electronic result.

The PDF is rendered and signed (network calls to the TSA and OCSP responders, the token or the
remote service) before the transaction; the transaction only stores it, marks the dossier's
result as electronic (indicator 4.1 of the 766 index reads ``Dossier.result_electronic``) and
writes the audit event.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pyhanko.sign.signers import Signer

from motcua.accounts.models import Role, User
from motcua.accounts.scope import role_in
from motcua.dossiers.errors import ConflictError, InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, Dossier, Outcome
from motcua.dossiers.rules import NATIONAL_STATUS, State
from motcua.signatures import keystores, pdfsign
from motcua.signatures.keystores import KeyStoreError
from motcua.signatures.models import ElectronicResult, KeyKind, KeyPurpose, SigningKey
from motcua.signatures.resultpdf import render_with_slots
from motcua.stats import hooks as stats_hooks

SIGN_RESULT = "sign_result"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


def trust_roots() -> tuple[asn1_x509.Certificate, ...]:
    return _roots(tuple(str(p) for p in settings.SIGN_TRUST_ROOTS))


@cache
def _roots(paths: tuple[str, ...]) -> tuple[asn1_x509.Certificate, ...]:
    certs: list[asn1_x509.Certificate] = []
    for path in paths:
        certs.extend(keystores.load_certs(Path(path).read_bytes()))
    return tuple(certs)


def sign_options() -> pdfsign.SignOptions:
    return pdfsign.SignOptions(tsa_url=settings.SIGN_TSA_URL, trust_roots=trust_roots())


def can_sign(user: User, dossier: Dossier) -> bool:
    """Only a leader of the deciding agency signs its results (a signature is personal:
    administrators do not sign for the agency's leaders)."""
    if not user.is_authenticated:
        return False
    agency = dossier.deciding_agency
    return bool(role_in(user, agency.pk, {Role.LEADER}, agency_path=agency.path))


def personal_key(user: User, dossier: Dossier, agency=None) -> SigningKey | None:
    """``user``'s own key at ``agency`` (default: the dossier's deciding agency)."""
    return SigningKey.objects.filter(
        user=user,
        agency=agency or dossier.deciding_agency,
        purpose=KeyPurpose.PERSONAL,
        active=True,
    ).first()


def seal_key(dossier: Dossier) -> SigningKey | None:
    return SigningKey.objects.filter(
        agency=dossier.deciding_agency, purpose=KeyPurpose.SEAL, active=True
    ).first()


def configured_secret(key: SigningKey) -> str:
    """The key's passphrase or PIN from SIGN_KEY_SECRETS_FILE, or empty."""
    path = settings.SIGN_KEY_SECRETS_FILE
    if not path:
        return ""
    try:
        secrets_map = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = secrets_map.get(key.name, "") if isinstance(secrets_map, dict) else ""
    return value if isinstance(value, str) else ""


@contextlib.contextmanager
def open_signer(key: SigningKey, secret: str) -> Iterator[Signer]:
    """A pyHanko signer for ``key``; ``secret``: the passphrase or PIN (the configured one
    when empty)."""
    secret = secret or configured_secret(key)
    if key.kind == KeyKind.PKCS12:
        path = Path(settings.SIGN_PKCS12_DIR) / key.location
        try:
            data = path.read_bytes()
        except OSError:
            raise KeyStoreError("Không đọc được tệp khóa của người ký.", "key_missing") from None
        yield keystores.pkcs12_signer(data, secret)
    elif key.kind == KeyKind.PKCS11:
        if not key.certificate_chain.strip():
            raise KeyStoreError("Khóa chưa có chuỗi chứng thư số.", "no_certificate")
        with keystores.pkcs11_signer(
            settings.SIGN_PKCS11_MODULE,
            token_label=key.location,
            pin=secret,
            key_label=key.key_label or key.name,
            chain=keystores.load_certs(key.certificate_chain),
        ) as signer:
            yield signer
    else:
        if not settings.SIGN_REMOTE_URL:
            raise KeyStoreError("Chưa cấu hình dịch vụ ký số từ xa.", "remote_unconfigured")
        yield keystores.RemoteSigner(
            settings.SIGN_REMOTE_URL, key.location, settings.SIGN_REMOTE_TOKEN
        )


def sign_document(
    pdf: bytes,
    slots: dict[str, pdfsign.Box],
    *,
    key: SigningKey,
    secret: str,
    signer_name: str,
    agency_name: str,
    slot: str = "signer",
    seal: SigningKey | None = None,
    options: pdfsign.SignOptions,
    now: dt.datetime,
) -> bytes:
    """Sign ``pdf`` (any document motcua rendered, its signature boxes in ``slots``) with
    ``key`` in the box ``slot``, then with the agency ``seal`` in the box "seal" if given.
    Refuses keys whose certificate the register lists as revoked, returned or expired.
    Raises InvalidInput (nothing is stored by this function)."""
    from motcua.signatures import register

    if slot not in slots or (seal is not None and "seal" not in slots):
        raise InvalidInput(
            "Mẫu in của văn bản không có ô chữ ký số.", fields={"secret": "no_signature_box"}
        )
    try:
        with open_signer(key, secret) as signer:
            register.check_key(key, signer.signing_cert, now)
            signed = pdfsign.sign_pdf(
                pdf,
                signer,
                field_name=slot,
                appearance=pdfsign.Appearance(signer_name, key.position, agency_name),
                box=slots[slot],
                options=options,
            )
        if seal is not None:
            with open_signer(seal, "") as signer:
                register.check_key(seal, signer.signing_cert, now)
                signed = pdfsign.sign_pdf(
                    signed,
                    signer,
                    field_name="seal",
                    appearance=pdfsign.Appearance(agency_name, "", agency_name, kind="seal"),
                    box=slots["seal"],
                    options=options,
                )
    except KeyStoreError as exc:
        raise InvalidInput(exc.message, fields={"secret": exc.code}) from None
    return signed


def _new_code() -> str:
    return "KQ" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def result_context(
    dossier: Dossier,
    *,
    code: str,
    signer: User,
    key: SigningKey,
    sealed: bool,
    level: str,
    now: dt.datetime,
) -> dict:
    agency = dossier.deciding_agency
    local = timezone.localtime(now)
    approve = dossier.events.filter(action="approve").order_by("-at").first()
    return {
        "code": code,
        "agency_name": agency.name_vi,
        "parent_name": agency.parent.name_vi if agency.parent_id else "",
        "place": "Cần Thơ",
        "signed_day": f"{local.day:02d}",
        "signed_month": f"{local.month:02d}",
        "signed_year": local.year,
        "procedure": dossier.procedure.name_vi,
        "dossier_code": dossier.code,
        "applicant": dossier.applicant_name,
        "outcome": Outcome(dossier.outcome).label,
        "documents": (approve.data.get("result_documents", []) if approve else []),
        "note": dossier.decision_note,
        "sealed": sealed,
        "signer_position": key.position,
        "signer_name": signer.display_name(),
        "level": level,
        "verify_url": reverse("signatures:verify"),
    }


def sign_result(
    dossier_id: int,
    *,
    by: User,
    secret: str = "",
    with_seal: bool = True,
    now: dt.datetime | None = None,
) -> ElectronicResult:
    """Sign the approved result of ``dossier_id`` as ``by`` and store it (see the module)."""
    from motcua.dossiers.queries import visible_dossiers

    now = now or timezone.now()
    dossier = (
        visible_dossiers(by)
        .select_related("deciding_agency", "deciding_agency__parent", "procedure")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise InvalidInput("Không tìm thấy hồ sơ.", fields={"dossier": "not_found"})
    if not can_sign(by, dossier):
        raise NotAllowed("Chỉ lãnh đạo của cơ quan giải quyết hồ sơ mới được ký số kết quả.")
    if dossier.outcome != Outcome.APPROVED:
        raise InvalidInput("Hồ sơ chưa được phê duyệt kết quả.", fields={"dossier": "not_approved"})
    if ElectronicResult.objects.filter(dossier=dossier).exists():
        raise ConflictError("Kết quả của hồ sơ này đã được ký số.")
    key = personal_key(by, dossier)
    if key is None:
        raise InvalidInput(
            "Bạn chưa được cấp khóa ký số tại cơ quan này.", fields={"secret": "no_key"}
        )
    seal = seal_key(dossier) if with_seal else None
    options = sign_options()
    code = _new_code()
    pdf, slots = render_with_slots(
        "signatures/result.html",
        result_context(
            dossier,
            code=code,
            signer=by,
            key=key,
            sealed=seal is not None,
            level=options.level,
            now=now,
        ),
    )
    signed = sign_document(
        pdf,
        slots,
        key=key,
        secret=secret,
        signer_name=by.display_name(),
        agency_name=dossier.deciding_agency.name_vi,
        seal=seal,
        options=options,
        now=now,
    )
    return _store(
        dossier, signed, code=code, by=by, level=options.level, sealed=seal is not None, now=now
    )


def _store(
    dossier: Dossier,
    signed: bytes,
    *,
    code: str,
    by: User,
    level: str,
    sealed: bool,
    now: dt.datetime,
) -> ElectronicResult:
    digest = hashlib.sha256(signed).hexdigest()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if ElectronicResult.objects.filter(dossier=locked).exists():
            raise ConflictError("Kết quả của hồ sơ này đã được ký số.")
        result = ElectronicResult(
            dossier=locked,
            code=code,
            sha256=digest,
            size=len(signed),
            level=level,
            signer_name=by.display_name(),
            sealed=sealed,
            signed_by=by,
            signed_at=now,
        )
        result.file.save(f"{code}.pdf", ContentFile(signed), save=False)
        try:
            result.save()
        except Exception:
            result.file.delete(save=False)
            raise
        Dossier.objects.filter(pk=locked.pk).update(result_electronic=True)
        AuditEvent.objects.create(
            dossier=locked,
            at=now,
            actor=by,
            actor_role=Role.LEADER.value,
            agency=locked.deciding_agency,
            action=SIGN_RESULT,
            from_state=locked.state,
            to_state=locked.state,
            national_status=NATIONAL_STATUS[State(locked.state)],
            data={"code": code, "sha256": digest, "level": level, "sealed": sealed},
        )
        stats_hooks.touch(locked.pk)
    return result
