"""The one NinjaAPI instance; each app mounts its router under /api/v1/.

Errors leave as problem details (RFC 9457, ``application/problem+json``, see
``motcua.restapi.problems``); the served OpenAPI schema says so, and a test keeps
``docs/openapi.json`` equal to it (``motcua openapi --output docs/openapi.json``).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from motcua.feedback.api import router as feedback_router
from motcua.restapi import auth, catalog, dossiers, problems, tasks
from motcua.restapi.docs import LocalSwagger
from motcua.signatures.api import router as signatures_router
from motcua.stats.api import router as stats_router


class MotcuaAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict:
        schema = super().get_openapi_schema(*args, **kwargs)
        return problems.document_problem_responses(schema)

    def _get_urls(self) -> list:
        # wrong methods and unknown routes answer problem details too, not Django's HTML
        return problems.problem_urls(super()._get_urls())


api = MotcuaAPI(
    title="motcua API",
    version="1",
    description=(
        "REST API of the motcua one-stop platform. Public catalog (rate limited); dossiers and "
        "task endpoints for citizens (session), officers (session or OIDC) and systems (API "
        "tokens: `Authorization: Bearer mct_…`). Errors are problem details (RFC 9457) with a "
        "stable `code`. See docs/api.md."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    docs=LocalSwagger(),  # pinned Swagger UI served from our static files (restapi.docs)
)
problems.install(api)

api.add_router("/catalog", catalog.router)
api.add_router("/dossiers", dossiers.router)
api.add_router("/dossiers", tasks.router)
api.add_router("/auth", auth.router)
api.add_router("/feedback", feedback_router)  # the 1022 hub's mobile-app API (feedback app)
api.add_router("/stats", stats_router)  # statistics, the 766 index (stats app)
api.add_router("/signatures", signatures_router)  # PDF signature verification
