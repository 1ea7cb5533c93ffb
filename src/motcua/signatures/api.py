"""POST /api/v1/signatures/verify: the verification page as an API (multipart: ``file`` or
``code``); errors are problem details."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from motcua.restapi.problems import ApiProblem, ProblemDetails
from motcua.restapi.ratelimit import PublicRateLimit
from motcua.signatures import views
from motcua.signatures.forms import VerifyForm

router = Router(tags=["signatures"], throttle=[PublicRateLimit("signatures")])
ERRORS = {400: ProblemDetails, 404: ProblemDetails, 413: ProblemDetails, 429: ProblemDetails}


class SignatureOut(Schema):
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
    revocation: str
    coverage: str
    modification: str
    level: str
    errors: list[str]
    ok: bool


class RecordOut(Schema):
    code: str
    dossier: str
    procedure: str
    agency: str
    signed_at: str
    signer: str
    sha256: str
    matches: bool


class VerifyOut(Schema):
    ok: bool
    valid: bool
    integrity: str
    sha256: str
    size: int
    signatures: list[SignatureOut]
    record: RecordOut | None
    error: str


CODES = {400: "invalid_upload", 404: "unknown_result", 413: "too_large", 429: "rate_limited"}


@router.post(
    "/verify",
    response={200: VerifyOut, **ERRORS},
    summary="Verify a signed PDF or an electronic result's code",
)
def verify(
    request: HttpRequest,
    file: File[UploadedFile] = None,  # type: ignore[assignment]
    code: Form[str] = "",
) -> dict:
    form = VerifyForm({"code": code}, {"file": file} if file is not None else {})
    error, report, status = views.check(request, form)
    if report is None:
        raise ApiProblem(status, CODES.get(status, "invalid_upload"), str(error))
    return report.as_dict()
