"""``core`` sits under every app: it must not import the API layer (``motcua.restapi``), not even
lazily inside a function (a lazy import hides the cycle, it does not remove the dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

import motcua.core

CORE = Path(motcua.core.__file__).parent
# known, left for a later change: the error handlers answer /api/ with the API's problem writer
KNOWN = {"errors.py"}


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_core_does_not_import_the_api_layer():
    offenders = {
        str(path.relative_to(CORE))
        for path in CORE.rglob("*.py")
        if any(m.startswith("motcua.restapi") for m in _imported_modules(path))
    }
    assert offenders == KNOWN


def test_the_api_answers_a_busy_database_with_its_own_problem_document():
    from motcua.restapi.problems import busy_problem

    response = busy_problem()
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert response["Content-Type"] == "application/problem+json"
