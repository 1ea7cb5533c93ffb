"""Vietnamese display formats shared by every web layer."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def vnd(amount: int | None) -> str:
    """1250000 → "1.250.000 đ" (Vietnamese thousands separator); unknown → "—"."""
    if amount is None:
        return "—"
    return f"{int(amount):,} đ".replace(",", ".")


def vn_datetime(value: dt.datetime | None) -> str:
    """An instant as local time, ``dd/mm/yyyy HH:MM`` (30/11/2026 17:00); none → "—".

    The one format of a dossier's due date on the portal, the desk, the tracking page and the
    legal forms (the API gives the same stored instant as ISO 8601 in local time)."""
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
