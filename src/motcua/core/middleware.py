"""Refuse NUL characters in the URL, the query string and form-encoded bodies with a 400.

PostgreSQL text cannot hold NUL (``\\x00``): ``/ho-so/%00/`` or ``?q=%00`` reached a query and
answered 500 (DataError) on PostgreSQL while SQLite answered 404. No legitimate input carries
one, so the request is refused before any view runs (Django's form fields refuse NUL too, but
views read raw parameters and paths). Found by tests/core/test_fuzz_urlconf.py.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from motcua.core.errors import bad_request

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    params = [request.GET]
    if request.content_type == "application/x-www-form-urlencoded":
        params.append(request.POST)  # multipart bodies are left to the forms (files)
    return any(
        NUL in key or any(NUL in value for value in values)
        for query in params
        for key, values in query.lists()
    )


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return bad_request(request)
        return self.get_response(request)
