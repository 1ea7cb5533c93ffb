"""Shared bits of the statistics pages: chart payloads (read by static/stats/charts.js from a
``json_script`` element, no inline script) and the 400 answer for bad filters."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CHARTJS_VERSION = "4.5.1"  # static/vendor/chartjs/<version>/ (see its README.md)


def _f(value: object) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal | int | float) else None


def chart(kind: str, labels: list[str], series: list[tuple[str, list]], *, unit: str = "") -> dict:
    """A chart payload: plain JSON (no Decimal), ``null`` for "no data"."""
    return {
        "type": kind,
        "labels": labels,
        "unit": unit,
        "datasets": [{"label": name, "data": [_f(v) for v in values]} for name, values in series],
    }


def bad_filter(request: HttpRequest, template: str, message: str, context: dict) -> HttpResponse:
    """The page with the Vietnamese message and status 400, never a 500."""
    return render(request, template, {**context, "error": message}, status=400)
