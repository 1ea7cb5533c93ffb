"""The language menu posts without a CSRF token (so that anonymous pages can be cached,
core/pagecache.py); core.language.set_language refuses what a foreign page could send."""

from __future__ import annotations

import pytest
from django.test import Client

FORM = {"language": "en", "next": "/tra-cuu/"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_the_language_menu_refuses_a_foreign_origin(headers):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", FORM, **headers)
    assert response.status_code == 403
    assert "django_language" not in response.cookies
    assert client.get("/tra-cuu/")["Content-Language"] == "vi"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "http://testserver"},
        {},  # no browser form sends neither header
    ],
)
def test_the_language_menu_works_from_our_pages_without_a_token(headers):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", FORM, **headers)
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert client.get("/tra-cuu/")["Content-Language"] == "en"


@pytest.mark.django_db
def test_the_language_is_never_changed_by_a_get():
    assert Client().get("/i18n/setlang/?language=en").status_code == 405
