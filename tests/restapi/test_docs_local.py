"""/api/v1/docs uses the vendored Swagger UI and no inline script (CSP without
'unsafe-inline'); the browser test is tests/e2e/test_input_swagger_offline.py."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client

from motcua.restapi.docs import SWAGGER_UI_VERSION


def test_docs_page_loads_only_local_assets_and_no_inline_script(db):
    html = Client().get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert f"/static/vendor/swagger-ui/{SWAGGER_UI_VERSION}/swagger-ui-bundle.js" in sources
    assert "/static/js/swagger-init.js" in sources
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        # a script either loads a file or is inert JSON data
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        assert "src=" not in attrs or not body.strip()


def test_vendored_files_and_licence_are_there():
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"):
        assert finders.find(f"vendor/swagger-ui/{SWAGGER_UI_VERSION}/{name}"), name
