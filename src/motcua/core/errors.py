"""Error pages (400, 403, CSRF failure, 404, 429, 500): in the site's layout and in Vietnamese
for people, problem details (RFC 9457) for programs under ``/api/``.

Wired in ``motcua.urls`` (``handler400`` … ``handler500``) and ``settings.CSRF_FAILURE_VIEW``.
Rate limits answer through ``too_many_requests(request, retry_after)``, which sets
``Retry-After`` and tells the person how long to wait.
"""

from __future__ import annotations

import logging
import math

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger("motcua.errors")

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_problem(status: int, code: str, detail: str, headers: dict | None = None) -> HttpResponse:
    from motcua.restapi.problems import problem  # the API's one problem-document writer

    return problem(status, code, detail, headers=headers)


def _page(
    request: HttpRequest, template: str, status: int, context: dict | None = None
) -> HttpResponse:
    try:
        body = loader.render_to_string(template, context or {}, request=request)
    except Exception:  # the page of last resort must not fail (e.g. the database is down)
        logger.exception("error page %s could not be rendered", template)
        body = (
            '<!doctype html><html lang="vi"><meta charset="utf-8"><title>motcua</title>'
            f"<h1>{status}</h1><p>Đã xảy ra lỗi. Vui lòng thử lại sau.</p></html>"
        )
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return _api_problem(400, "bad_request", _("Yêu cầu không hợp lệ."))
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return _api_problem(403, "forbidden", _("Không có quyền."))
    return _page(request, "403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs) -> HttpResponse:
    if is_api(request):
        return _api_problem(
            403, "csrf_failed", _("Thiếu hoặc sai mã CSRF (gửi tiêu đề X-CSRFToken).")
        )
    return _page(request, "403_csrf.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return _api_problem(404, "not_found", _("Không tìm thấy."))
    return _page(request, "404.html", 404, {"request_path": request.path})


def server_error(request: HttpRequest) -> HttpResponse:
    # the traceback is already logged by django.request (see LOGGING in settings)
    if is_api(request):
        return _api_problem(500, "server_error", _("Lỗi hệ thống. Vui lòng thử lại sau."))
    return _page(request, "500.html", 500)


def wait_hint(retry_after: int) -> str:
    """ "Vui lòng thử lại sau 2 phút." — seconds under a minute, minutes otherwise."""
    seconds = max(1, int(retry_after))
    if seconds < 60:
        return ngettext(
            "Vui lòng thử lại sau %(n)d giây.", "Vui lòng thử lại sau %(n)d giây.", seconds
        ) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Vui lòng thử lại sau %(n)d phút.", "Vui lòng thử lại sau %(n)d phút.", minutes
    ) % {"n": minutes}


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """HTTP 429 with ``Retry-After`` (seconds): a problem document under /api/, else a page in
    the site's layout saying how long to wait. For every rate limit of the site."""
    retry_after = max(1, math.ceil(retry_after))
    hint = wait_hint(retry_after)
    headers = {"Retry-After": str(retry_after)}
    if is_api(request):
        return _api_problem(
            429, "rate_limited", _("Quá nhiều yêu cầu.") + " " + hint, headers=headers
        )
    response = _page(request, "429.html", 429, {"wait_hint": hint, "retry_after": retry_after})
    response["Retry-After"] = headers["Retry-After"]
    return response
