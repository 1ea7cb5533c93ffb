"""schemathesis against the served schema over real HTTP: no 5xx, every response (status,
content type, headers, body) as documented. Deterministic and bounded per operation.

(schemathesis' own ``from_fixture`` loader does not run under pytest 9, so each operation of
the committed schema — kept equal to the code by test_openapi.py — is a parametrised test that
loads the live schema and runs Hypothesis on that operation's strategy.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import checks

from .conftest import submission

MAX_EXAMPLES = 20
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
# The 1022 feedback router (feedback app) is mounted here too but not yet checked: it answers
# 500 for NUL characters on PostgreSQL and leaves 422 undocumented (requested from its owner).
OPERATIONS = [
    (method.upper(), path)
    for path, item in json.loads(COMMITTED.read_text(encoding="utf-8"))["paths"].items()
    for method in item
]


@pytest.fixture
def bearer(world, token_client) -> dict[str, str]:
    """A token of agency A with every scope."""
    client, _ = token_client(world.a, permissions=("*",))
    return {"Authorization": f"Bearer {client.token}"}


@pytest.fixture
def real_codes(world, session_client) -> dict[str, str]:
    """Existing identifiers per path prefix, so that half the cases reach real objects."""
    dossier = session_client(world.citizen1).post("/dossiers", submission(world)).json["code"]
    return {
        "/api/v1/catalog/agencies": world.a.code,
        "/api/v1/catalog/procedures": world.procedure.code,
        "/api/v1/dossiers": dossier,
    }


def with_real_identifiers(strategy, path: str, codes: dict[str, str], world):
    """Half the generated cases get an existing code (path) or procedure and agency (body)."""
    code = next((v for prefix, v in codes.items() if path.startswith(prefix + "/")), None)

    def patch(pair):
        case, real = pair
        if real and code and case.path_parameters and "code" in case.path_parameters:
            case.path_parameters["code"] = code
        if real and path == "/api/v1/dossiers" and isinstance(case.body, dict):
            case.body["procedure"] = world.procedure.code
            case.body["receiving_agency"] = world.a.code
            case.body.pop("deciding_agency", None)
        return case

    return st.tuples(strategy, st.booleans()).map(patch)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_matches_its_schema(
    method, path, live_server, world, bearer, real_codes, settings
):
    settings.MOTCUA_API_PUBLIC_RATE = "100000/60"  # the rate limit has its own test
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operation = schema[path][method]

    strategy = with_real_identifiers(operation.as_strategy(), path, real_codes, world)

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case):
        case.call_and_validate(base_url=live_server.url, headers=bearer, checks=CHECKS)

    check()
