"""Problem details (RFC 9457) for every error the API answers, with a stable ``code``."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.db import DataError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from motcua.core.busy import BUSY_MESSAGE, RETRY_AFTER_SECONDS, is_busy
from motcua.dossiers.errors import ConflictError, DossierError, InvalidInput, NotAllowed
from motcua.dossiers.rules import IllegalTransition
from motcua.feedback.rules import FeedbackError
from motcua.restapi.tokens import TokenError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("motcua.api")
PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa xác thực",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    409: "Xung đột trạng thái",
    422: "Dữ liệu không hợp lệ",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi hệ thống",
    503: "Hệ thống đang bận",
}


class FieldError(Schema):
    field: str
    message: str


class ProblemDetails(Schema):
    """An RFC 9457 problem: ``code`` is stable and machine-readable, ``detail`` Vietnamese."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] = []


class ApiProblem(Exception):
    """Raised by endpoints for an error that is not a dossier-service error."""

    def __init__(
        self, status: int, code: str, detail: str, errors: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors = status, code, detail, errors or {}


def problem(
    status: int,
    code: str,
    detail: str,
    errors: dict[str, str] | list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    if isinstance(errors, dict):
        errors = [{"field": f, "message": m} for f, m in errors.items()]
    body: dict[str, Any] = {
        "type": f"urn:motcua:problem:{code}",
        "title": TITLES.get(status, "Lỗi"),
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def busy_problem() -> HttpResponse:
    """The API's answer to a busy database (``core.busy.is_busy``): try again shortly."""
    return problem(503, "busy", BUSY_MESSAGE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def status_of(exc: DossierError) -> int:
    if isinstance(exc, ConflictError | IllegalTransition):
        return 409
    if isinstance(exc, NotAllowed):
        return 403
    if isinstance(exc, InvalidInput):
        return 422
    return 400


def _field(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":  # ("body", <param name>, ...)
        parts = parts[2:] or parts[1:]
    elif parts:
        parts = parts[1:] or parts
    return ".".join(parts)


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"field": _field(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in errors]


def install(api: NinjaAPI) -> None:
    """Register the handlers; every error leaves the API as a problem document."""

    @api.exception_handler(DossierError)
    def dossier_error(request: HttpRequest, exc: DossierError) -> HttpResponse:
        return problem(status_of(exc), exc.code, exc.message, exc.fields)

    @api.exception_handler(FeedbackError)
    def feedback_error(request: HttpRequest, exc: FeedbackError) -> HttpResponse:
        return problem(exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(ApiProblem)
    def api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem(exc.status, exc.code, exc.detail, exc.errors)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = validation_errors(exc.errors)
        names = ", ".join(e["field"] for e in errors)
        return problem(422, "validation_error", f"Dữ liệu không hợp lệ: {names}.", errors)

    @api.exception_handler(TokenError)
    def bad_token(request: HttpRequest, exc: TokenError) -> HttpResponse:
        return problem(401, exc.code, exc.message, headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, "not_found", "Không tìm thấy.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, Throttled):
            from motcua.core.errors import too_many_requests

            # Retry-After and a wait hint, as every rate limit of the site answers
            return too_many_requests(request, exc.wait or 60)
        if isinstance(exc, AuthenticationError):
            return problem(
                401,
                "not_authenticated",
                "Cần đăng nhập hoặc khóa API (Authorization: Bearer …).",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if exc.status_code == 403:
            return problem(403, "forbidden", "Không có quyền (kiểm tra CSRF hoặc quyền).")
        if exc.status_code == 400:
            return problem(400, "bad_request", f"Yêu cầu không hợp lệ: {exc}")
        return problem(exc.status_code, f"http_{exc.status_code}", str(exc))

    @api.exception_handler(OperationalError)
    def busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        if not is_busy(exc):
            return server_error(request, exc)
        return busy_problem()

    @api.exception_handler(DataError)
    def unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
        # e.g. a NUL character, which PostgreSQL text cannot hold
        return problem(400, "bad_request", "Dữ liệu chứa ký tự hoặc giá trị không hợp lệ.")

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return problem(500, "server_error", "Lỗi hệ thống. Vui lòng thử lại sau.")


def method_not_allowed(allowed: str) -> HttpResponse:
    return problem(
        405,
        "method_not_allowed",
        f"Phương thức không được hỗ trợ; dùng: {allowed}.",
        headers={"Allow": allowed},
    )


def _route_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return problem(404, "not_found", "Không có đường dẫn API này.")


def _problem_on_405(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return method_not_allowed(response["Allow"])
        return response

    return wrapped


def problem_urls(patterns: list) -> list:
    """The API's URL patterns with Ninja's bare ``405 Method not allowed`` turned into a problem
    document, and a last pattern answering every unknown API route with a problem 404."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _problem_on_405(pattern.callback)
    return [*patterns, re_path(r"^.*$", csrf_exempt(_route_not_found))]


def document_problem_responses(schema: dict) -> dict:
    """Declare our 4xx/5xx responses as ``application/problem+json`` (what we send), and
    the ``Retry-After`` header of 429 answers."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                if int(status) < 400:
                    continue
                content = response.get("content", {})
                ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
                if ref.endswith("/ProblemDetails"):
                    response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
                if int(status) == 429:
                    response["headers"] = {
                        "Retry-After": {
                            "description": "Seconds to wait before retrying",
                            "schema": {"type": "integer"},
                        }
                    }
    return schema
