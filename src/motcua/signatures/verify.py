"""Verify the signatures of a PDF (no Django here: the CLI and the web page share it).

A PAdES B-LT signature (timestamped, revocation data embedded) is validated at the time its
timestamp proves, with the embedded OCSP responses and certificates only: that is what B-LT is
for, and it still validates offline and after the responses have gone stale. Any other
signature is validated now, fetching revocation data from the certificate's OCSP responder
(``hard-fail``: no answer means the chain is not trusted).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from io import BytesIO
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from motcua.signatures.offloop import off_running_loop

PDF_MAGIC = b"%PDF-"


class NotAPdf(ValueError):
    """The bytes are not a PDF at all (or an empty file)."""


@dataclass
class SignatureReport:
    field: str
    signer: str
    signer_subject: str
    serial: str
    chain: list[str]
    signing_time: str | None
    timestamp: str | None
    timestamp_trusted: bool
    intact: bool
    valid: bool
    trusted: bool
    revocation: str  # good | revoked | unknown
    coverage: str
    modification: str
    level: str
    errors: list[str] = field(default_factory=list)
    issuer: str = ""  # the issuer's common name (to find the certificate in a register)
    register: dict[str, Any] | None = None  # filled in by motcua: the register entry's status

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.revocation != "revoked"


@dataclass
class Report:
    sha256: str
    size: int
    signatures: list[SignatureReport]
    integrity: str  # intact | modified
    error: str = ""
    record: dict[str, Any] | None = None  # filled in by motcua: the result it matches

    @property
    def valid(self) -> bool:
        return bool(self.signatures) and all(s.ok for s in self.signatures)

    @property
    def ok(self) -> bool:
        return self.valid and self.integrity == "intact" and not self.error

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["valid"] = self.valid
        data["ok"] = self.ok
        for sig, raw in zip(self.signatures, data["signatures"], strict=True):
            raw["ok"] = sig.ok
        return data


def _cn(name: asn1_x509.Name) -> str:
    native = name.native
    return native.get("common_name") or name.human_friendly


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds") if moment else None


def _context(
    roots: list[asn1_x509.Certificate],
    dss: DocumentSecurityStore | None,
    *,
    moment: dt.datetime | None,
    fetch: bool,
    mode: str = "hard-fail",
) -> ValidationContext:
    kwargs: dict[str, Any] = {
        "trust_roots": roots,
        "moment": moment,
        "allow_fetching": fetch,
        "retroactive_revinfo": moment is not None,
        "revocation_mode": mode,
    }
    if dss is None:
        return ValidationContext(**kwargs)
    return dss.as_validation_context(kwargs)


@off_running_loop
def verify_pdf(data: bytes, trust_roots: list[asn1_x509.Certificate]) -> Report:
    """Every signature of ``data``, validated against ``trust_roots``. Raises ``NotAPdf``."""
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise NotAPdf("empty")
    if not data.lstrip()[:5] == PDF_MAGIC:
        raise NotAPdf("not a pdf")
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # pyHanko raises many kinds on a broken file
        return Report(digest, len(data), [], "modified", error=f"unreadable: {exc}")
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # no DSS: a B-B signature
        dss = None
    reports = [_one(sig, trust_roots, dss) for sig in embedded]
    integrity = "intact" if reports and _intact(reports) else "modified"
    return Report(digest, len(data), reports, integrity)


def _intact(reports: list[SignatureReport]) -> bool:
    """Every signature's bytes are intact, and what was added after the last one is only
    signature maintenance (revocation data): an annotation, a changed page or any other
    incremental update after signing counts as a modification."""
    if not all(r.intact for r in reports):
        return False
    last = reports[-1]
    if last.coverage != "ENTIRE_FILE" and last.modification not in {"NONE", "LTA_UPDATES"}:
        return False
    return all(r.modification in {"NONE", "LTA_UPDATES", "FORM_FILLING"} for r in reports)


def _one(sig, roots: list[asn1_x509.Certificate], dss) -> SignatureReport:
    errors: list[str] = []
    cert = sig.signer_cert
    base = {
        "field": sig.field_name,
        "signer": _cn(cert.subject),
        "signer_subject": cert.subject.human_friendly,
        "serial": format(cert.serial_number, "x"),
        "issuer": _cn(cert.issuer),
        "signing_time": _iso(sig.self_reported_timestamp),
    }
    try:
        # a first, lenient pass only to learn the timestamp's time
        lenient = _context(roots, dss, moment=None, fetch=False, mode="soft-fail")
        first = validate_pdf_signature(sig, lenient, lenient)
        ts = first.timestamp_validity
        ts_time = ts.timestamp if ts is not None and ts.intact and ts.valid else None
        if ts_time is not None and dss is not None and dss.ocsps:
            level = "PAdES B-LT"
            context = _context(roots, dss, moment=ts_time, fetch=False)
        else:
            level = "PAdES B-T" if ts_time else "PAdES B-B"
            context = _context(roots, dss, moment=None, fetch=True)
        status = validate_pdf_signature(sig, context, _ts_context(roots, dss, moment=ts_time))
    except Exception as exc:  # a damaged signature, or one pyHanko cannot parse
        return SignatureReport(
            **base,
            chain=[],
            timestamp=None,
            timestamp_trusted=False,
            intact=False,
            valid=False,
            trusted=False,
            revocation="unknown",
            coverage="UNCLEAR",
            modification="OTHER",
            level="",
            errors=[str(exc) or type(exc).__name__],
        )
    chain = _chain(status)
    ts = status.timestamp_validity
    if status.revoked:
        revocation = "revoked"
    elif status.trusted:
        revocation = "good"
    else:
        revocation = "unknown"
    if not status.trusted:
        errors.append(
            status.trust_problem_indic.name if status.trust_problem_indic else "untrusted"
        )
    return SignatureReport(
        **base,
        chain=chain,
        timestamp=_iso(ts.timestamp) if ts else None,
        timestamp_trusted=bool(ts and ts.trusted),
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        revocation=revocation,
        coverage=status.coverage.name if status.coverage else "UNCLEAR",
        modification=status.modification_level.name if status.modification_level else "OTHER",
        level=level,
        errors=errors,
    )


def _ts_context(roots, dss, moment: dt.datetime | None = None) -> ValidationContext:
    return _context(roots, dss, moment=moment, fetch=moment is None)


def _chain(status: Any) -> list[str]:
    path = getattr(status, "validation_path", None)
    if path is None:
        return [_cn(status.signing_cert.subject)]
    names = []
    for cert in path.iter_certs(include_root=True):
        names.append(_cn(cert.subject))
    return list(reversed(names))
