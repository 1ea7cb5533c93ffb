"""The one NinjaAPI instance; each app mounts its router under /api/v1/."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="REST API of the motcua one-stop platform.",
    urls_namespace="api-v1",
)
