"""The interface language (core.language) and catalog names in it (core.localize)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from motcua.catalog.rules import default_workflow_steps
from motcua.core.localize import localized_name


@pytest.mark.django_db
def test_accept_language_is_ignored_and_vietnamese_is_the_default():
    html = Client().get("/tra-cuu/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert html["Content-Language"] == "vi"
    assert '<html lang="vi">' in html.content.decode()
    assert "Accept-Language" not in html.get("Vary", "")
    assert "Cookie" in html["Vary"]


@pytest.mark.django_db
def test_the_chosen_language_is_kept_in_a_year_long_cookie():
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/tra-cuu/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert client.get("/tra-cuu/")["Content-Language"] == "en"


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese():
    client = Client()
    client.cookies["django_language"] = "xx-forged"
    assert client.get("/tra-cuu/")["Content-Language"] == "vi"


def test_localized_name_prefers_the_english_name_in_english_only():
    procedure = SimpleNamespace(name_vi="Thủ tục đăng ký khai sinh", name_en="Birth registration")
    assert localized_name(procedure, "vi") == "Thủ tục đăng ký khai sinh"
    assert localized_name(procedure, "en") == "Birth registration"
    with translation.override("en"):
        assert localized_name(procedure) == "Birth registration"
    with translation.override("vi"):
        assert localized_name(procedure) == "Thủ tục đăng ký khai sinh"


def test_localized_name_falls_back_to_vietnamese_never_to_blank():
    assert localized_name(SimpleNamespace(name_vi="Sở Tư pháp", name_en=""), "en") == "Sở Tư pháp"
    assert localized_name(SimpleNamespace(name_vi="Sở Tư pháp", name_en="  "), "en") == "Sở Tư pháp"
    document = SimpleNamespace(name="Giấy chứng sinh")
    assert localized_name(document, "en") == "Giấy chứng sinh"
    assert localized_name(None, "en") == ""


def test_the_platforms_standard_step_and_fee_names_have_english_names():
    with translation.override("en"):
        for step in default_workflow_steps(5, "d"):
            name = localized_name(SimpleNamespace(name=step.name))
            assert name != step.name and name.isascii(), step.name
        assert localized_name(SimpleNamespace(name="Lệ phí")) == "Fee"
    # the context keeps the UI's own wording of the same words apart
    with translation.override("en"):
        assert translation.gettext("Tiếp nhận hồ sơ") != "Receive the dossier"
