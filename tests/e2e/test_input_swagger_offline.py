"""Issue 9 §5: /api/v1/docs renders on a network without the internet (Swagger UI vendored
under static/vendor/swagger-ui/, initialised by a static script, no inline script)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def test_swagger_ui_renders_with_every_outside_request_blocked(page):
    outside: list[str] = []

    def only_local(route):
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", only_local)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page.base + "/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/catalog/procedures" in s.replace("\u200b", "") for s in summaries)
    assert page.locator(".opblock").count() >= 10
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("motcua API")
    assert outside == [], f"the page asked for outside resources: {outside}"
    assert errors == []
    html = page.content()
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
