"""The bulletin in a real browser: the reform office drafts an issue, writes a section's
narrative, previews it (every figure linked to its records, the sources table), publishes it
after confirming, and downloads the Word file. Nothing is loaded from outside the server."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from motcua.core import figures
from tests.bulletin.conftest import fake_provider
from tests.reform.conftest import make_world


@pytest.fixture
def world(transactional_db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    for real in ("registers", "certificates"):  # the fake stands in for their figures
        monkeypatch.delitem(figures._providers, real, raising=False)
    monkeypatch.setitem(figures._providers, "fake", fake_provider)
    return make_world()


def sign_in_as(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def test_draft_write_preview_publish_download(page, world):
    outside = []
    page.on("request", lambda r: None if r.url.startswith(page.base) else outside.append(r.url))
    sign_in_as(page, world.office)
    page.goto(page.base + "/desk/bulletin/")
    page.locator("#bulletin-new").click()
    page.get_by_label("Phạm vi").select_option(str(world.city.pk))
    page.get_by_label("Từ ngày").fill("2021-01-01")
    page.get_by_label("Đến ngày").fill("2021-09-30")
    page.locator("#bulletin-create").click()
    assert "Đã lập dự thảo bản tin" in page.locator(".messages").inner_text()
    page.locator("#edit-institutions").click()
    page.get_by_label("Nội dung biên tập").fill("Công tác thẩm định văn bản được bảo đảm.")
    page.locator("#section-save").click()
    section = page.locator("#section-institutions")
    assert "Công tác thẩm định văn bản được bảo đảm." in section.inner_text()
    # the figure links to the records behind it; the sources table names its register
    link = section.locator('a.fig[data-key="registers.legal.appraised_resolution_drafts"]')
    assert link.inner_text() == "12"
    assert link.get_attribute("href").startswith("/desk/registers/")
    assert "sổ đăng ký thử" in page.locator("#sources").inner_text()
    assert page.locator("#section-civil_service .fig.missing").first.inner_text() == "—"
    page.locator("#publish-link").click()
    page.locator("#publish-confirm").click()
    assert "Đã phát hành bản tin số 01" in page.locator(".messages").inner_text()
    assert page.locator("#edit-institutions").count() == 0  # published: no more editing
    with page.expect_download() as info:
        page.locator("#download-docx").click()
    download = info.value
    from docx import Document

    with open(download.path(), "rb") as f:
        doc = Document(io.BytesIO(f.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Bản tin số 01" in text and "Công tác thẩm định văn bản được bảo đảm." in text
    assert "Đã thẩm định 12 dự thảo nghị quyết" in text
    assert outside == []
