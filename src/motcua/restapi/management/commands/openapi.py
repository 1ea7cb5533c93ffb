"""``motcua openapi [--output FILE]`` — the API's OpenAPI 3 schema (committed as
docs/openapi.json; a test fails when the code and the file differ)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandParser

from motcua.core.management.base import OneShotCommand


def render() -> str:
    from motcua.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(OneShotCommand):
    help = "Print (or write) the OpenAPI schema of /api/v1/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="write to this file instead of stdout")

    def handle(self, *args, output: str | None = None, **opts) -> None:
        text = render()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Đã ghi {output}.")
        else:
            self.stdout.write(text, ending="")
