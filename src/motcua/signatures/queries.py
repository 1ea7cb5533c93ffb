"""Reads: verifying a PDF or a result code against the signatures and against what motcua
issued (the stored electronic result with the same SHA-256)."""

from __future__ import annotations

from collections.abc import Sequence

from asn1crypto.x509 import Certificate
from django.db import DatabaseError

from motcua.signatures.models import ElectronicResult
from motcua.signatures.services import trust_roots
from motcua.signatures.verify import Report, verify_pdf


def record_of(result: ElectronicResult, *, matches: bool) -> dict:
    d = result.dossier
    return {
        "code": result.code,
        "dossier": d.code,
        "procedure": d.procedure.name_vi,
        "agency": d.deciding_agency.name_vi,
        "signed_at": result.signed_at.isoformat(),
        "signer": result.signer_name,
        "sha256": result.sha256,
        "matches": matches,
    }


def _results():
    return ElectronicResult.objects.select_related(
        "dossier", "dossier__procedure", "dossier__deciding_agency"
    )


def verify_upload(data: bytes, extra_roots: Sequence[Certificate] = ()) -> Report:
    """Verify uploaded bytes; ``record``: the electronic result motcua issued with exactly these
    bytes, if any. Raises ``verify.NotAPdf``."""
    report = verify_pdf(data, [*trust_roots(), *extra_roots])
    try:
        issued = _results().filter(sha256=report.sha256).first()
    except DatabaseError:  # the CLI on a machine without motcua's database: signatures only
        issued = None
    report.record = record_of(issued, matches=True) if issued else None
    return report


def verify_code(code: str) -> Report | None:
    """Verify the stored PDF of the result with ``code`` (None: no such result)."""
    result = _results().filter(code=code.strip().upper()).first()
    if result is None:
        return None
    with result.file.open("rb") as f:
        data = f.read()
    report = verify_pdf(data, list(trust_roots()))
    report.record = record_of(result, matches=report.sha256 == result.sha256)
    return report
