"""Swagger UI for /api/v1/docs, served from our own static files (no CDN, no inline script).

Django Ninja's stock page loads Swagger UI from a CDN unless ``ninja`` is an installed app, and
its assets follow Ninja's release, not ours. This page uses the pinned copy vendored under
``static/vendor/swagger-ui/<version>/`` and a static initialisation script, so it works on a
network without the internet and under a Content-Security-Policy without ``'unsafe-inline'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from ninja import NinjaAPI

SWAGGER_UI_VERSION = "5.35.0"


class LocalSwagger(Swagger):
    template = "restapi/swagger.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,  # else the UI asks validator.swagger.io for a badge
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = dict(self.settings, url=self.get_openapi_url(api, kwargs))
        return render(
            request,
            self.template,
            {
                "api": api,
                "swagger_settings": settings,
                "vendor": f"vendor/swagger-ui/{SWAGGER_UI_VERSION}",
            },
        )
