"""Test URLconf: the feedback router on its own NinjaAPI at /api/v1/feedback/ (as the REST API
mounts it), in front of the project's URLs."""

from django.urls import include, path
from ninja import NinjaAPI

from motcua.feedback.api import build_router

api = NinjaAPI(title="feedback test", version="test", urls_namespace="feedback-api-test")
api.add_router("/feedback/", build_router())

urlpatterns = [path("api/v1/", api.urls), path("", include("motcua.urls"))]
