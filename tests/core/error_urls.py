"""The site's URL conf plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from motcua.core.errors import too_many_requests
from motcua.urls import handler400, handler403, handler404, handler500
from motcua.urls import urlpatterns as site

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("boom: deliberate failure for the 500 page test")


def denied(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("deliberately bad request")


def limited(request):
    return too_many_requests(request, 125)


urlpatterns = [
    path("test-errors/boom/", boom),
    path("test-errors/denied/", denied),
    path("test-errors/bad/", suspicious),
    path("test-errors/limited/", limited),
    path("api/test-errors/limited/", limited),
    *site,
]
