"""The interface language: Vietnamese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so a Vietnamese citizen whose
phone is set to English would get an English portal they never asked for. Here the language
is the one the user picked with the language menu (Django's ``set_language`` view stores it in
the ``LANGUAGE_COOKIE_NAME`` cookie, kept for ``LANGUAGE_COOKIE_AGE``), and otherwise
``LANGUAGE_CODE`` (Vietnamese), whatever the browser says.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


def chosen_language(request: HttpRequest) -> str:
    """The language the user chose (cookie) if it is one we offer, else the default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass  # a stale or forged cookie: ignore it
    return settings.LANGUAGE_CODE


class LanguageMiddleware(MiddlewareMixin):
    """Replaces django.middleware.locale.LocaleMiddleware (no Accept-Language, no URL prefix)."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # the page depends on the cookie, never on Accept-Language
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
