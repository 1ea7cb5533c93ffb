"""The committed schema (docs/openapi.json) is the code's schema; the docs are served."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from motcua.api import api
from motcua.restapi.management.commands.openapi import render

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_schema_equals_the_code():
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(api.get_openapi_schema())), (
        "docs/openapi.json is stale: run `motcua openapi --output docs/openapi.json`"
    )
    assert COMMITTED.read_text(encoding="utf-8") == render()


def test_command_prints_the_schema():
    out = StringIO()
    call_command("openapi", stdout=out)
    assert json.loads(out.getvalue())["info"]["title"] == "motcua API"


# the 1022 feedback router (feedback app) documents its own error shape
OWN_PATHS = ("/api/v1/catalog/", "/api/v1/dossiers", "/api/v1/auth/")


def test_errors_are_documented_as_problem_details():
    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        if not path.startswith(OWN_PATHS):
            continue
        for method, op in item.items():
            errors = {s: r for s, r in op["responses"].items() if int(s) >= 400}
            assert errors, (method, path)
            for response in errors.values():
                assert list(response["content"]) == ["application/problem+json"]


def test_schema_and_swagger_ui_are_served(world, anon):
    assert anon.get("/openapi.json").json["openapi"].startswith("3.")
    docs = anon.get("/docs")
    assert docs.status == 200 and b"swagger" in docs.raw.lower()
