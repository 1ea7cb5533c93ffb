"""The interface language: Vietnamese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so a Vietnamese citizen whose
phone is set to English would get an English portal they never asked for. Here the language
is the one the user picked with the language menu (Django's ``set_language`` view stores it in
the ``LANGUAGE_COOKIE_NAME`` cookie, kept for ``LANGUAGE_COOKIE_AGE``), and otherwise
``LANGUAGE_CODE`` (Vietnamese), whatever the browser says.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


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


def _same_origin(request: HttpRequest) -> bool:
    """Did the browser post from one of our pages? Browsers name a cross-site form's origin
    (``Sec-Fetch-Site``, ``Origin``); a request naming neither comes from no foreign page."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:  # every current browser
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")  # older browsers send it with any cross-site POST
    if origin is None:
        return True
    good = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    return origin in good


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` without a CSRF token, so that the language menu can be on the
    cached anonymous pages (core/pagecache.py: no page with a token is cached). What the token
    protected (a foreign page switching a reader's language) is refused by origin instead."""
    if not _same_origin(request):
        raise PermissionDenied("set_language from a foreign origin")  # the 403 page
    return i18n.set_language(request)
