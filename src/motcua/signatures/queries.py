"""Reads: verifying a PDF or a result code against the signatures and against what motcua
issued (the stored electronic result with the same SHA-256)."""

from __future__ import annotations

from collections.abc import Sequence

from asn1crypto.x509 import Certificate
from django.db import DatabaseError

from motcua.signatures.models import ElectronicResult, SignedForm
from motcua.signatures.services import trust_roots
from motcua.signatures.verify import Report, verify_pdf


def record_of(result: ElectronicResult, *, matches: bool) -> dict:
    d = result.dossier
    return {
        "kind": "result",
        "code": result.code,
        "dossier": d.code,
        "procedure": d.procedure.name_vi,
        "agency": d.deciding_agency.name_vi,
        "signed_at": result.signed_at.isoformat(),
        "signer": result.signer_name,
        "sha256": result.sha256,
        "matches": matches,
    }


def form_record_of(signed: SignedForm, *, matches: bool) -> dict:
    issued, d = signed.form, signed.dossier
    return {
        "kind": "form",
        "code": f"{issued.form} {issued.number}",
        "form": issued.form,
        "number": issued.number,
        "dossier": d.code,
        "procedure": d.procedure.name_vi,
        "agency": issued.agency.name_vi,
        "signed_at": signed.signed_at.isoformat(),
        "signer": signed.signer_name,
        "sha256": signed.sha256,
        "matches": matches,
    }


def _register(report: Report) -> None:
    """The certificate register's status of each signer's certificate, when it lists it."""
    from motcua.signatures.register import status_of

    for sig in report.signatures:
        sig.register = status_of(sig.serial, sig.issuer)


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
        report.record = record_of(issued, matches=True) if issued else None
        if issued is None:
            signed = (
                SignedForm.objects.select_related(
                    "form", "form__agency", "dossier", "dossier__procedure"
                )
                .filter(sha256=report.sha256)
                .first()
            )
            report.record = form_record_of(signed, matches=True) if signed else None
        _register(report)
    except DatabaseError:  # the CLI on a machine without motcua's database: signatures only
        report.record = None
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
    _register(report)
    return report
