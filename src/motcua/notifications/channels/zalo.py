"""Zalo Notification Service (ZNS) through the Official Account's template API.

Send: POST ZALO_ZNS_URL with header ``access_token`` and JSON ``{"phone": "84…",
"template_id": …, "template_data": {…}, "tracking_id": …}``; the reply carries ``error`` (0 is
success). The OA access token lasts about 25 hours; it is renewed with the refresh token
(POST ZALO_OAUTH_URL, header ``secret_key``, form ``refresh_token``, ``app_id``,
``grant_type=refresh_token``), which answers a NEW refresh token and invalidates the old one:
two processes refreshing at once would each spend it and one would lock the OA out. So a refresh
takes the ``ZaloToken`` row's lock, looks again (another process may have refreshed meanwhile)
and only then calls Zalo, in that one transaction.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.notifications.channels import NotConfigured, Permanent, http
from motcua.notifications.models import ZaloToken

# ZNS error codes meaning "the access token is not valid (any more)"
TOKEN_ERRORS = {-124, -216}
EARLY = dt.timedelta(minutes=5)  # renew a little before Zalo's expiry


def enabled() -> bool:
    return bool(settings.MOTCUA_ZALO_APP_SECRET and settings.MOTCUA_ZALO_APP_ID)


def _token_row() -> ZaloToken:
    row = ZaloToken.objects.order_by("pk").first()
    if row is None:
        seed = settings.MOTCUA_ZALO_OA_REFRESH_TOKEN
        if not seed:
            raise NotConfigured("no Zalo OA refresh token (ZALO_OA_REFRESH_TOKEN)")
        row, _ = ZaloToken.objects.get_or_create(pk=1, defaults={"refresh_token": seed})
    return row


def access_token(*, force: bool = False, seen: str = "") -> str:
    """A valid access token, refreshing it (once, whoever asks at the same time) when needed.

    ``force``: the API said the token ``seen`` is invalid; refresh unless someone already
    replaced it."""
    row = _token_row()
    now = timezone.now()
    if not force and row.access_token and row.expires_at and row.expires_at - EARLY > now:
        return row.access_token
    with transaction.atomic():
        row = ZaloToken.objects.select_for_update().get(pk=row.pk)
        fresh = row.access_token and row.expires_at and row.expires_at - EARLY > timezone.now()
        if fresh and (not force or row.access_token != seen):
            return row.access_token  # refreshed by another process while we waited
        reply = http.post(
            settings.MOTCUA_ZALO_OAUTH_URL,
            form={
                "refresh_token": row.refresh_token,
                "app_id": settings.MOTCUA_ZALO_APP_ID,
                "grant_type": "refresh_token",
            },
            headers={"secret_key": settings.MOTCUA_ZALO_APP_SECRET},
        )
        body = reply.json() or {}
        if not body.get("access_token") or not body.get("refresh_token"):
            raise Permanent(f"Zalo refused the refresh token: {reply.text[:500]}")
        row.access_token = body["access_token"]
        row.refresh_token = body["refresh_token"]
        row.expires_at = timezone.now() + dt.timedelta(seconds=int(body.get("expires_in", 3600)))
        row.refreshed_at = timezone.now()
        row.save()
        return row.access_token


def send(notification) -> str:
    if not enabled():
        raise NotConfigured("ZALO_APP_ID / ZALO_APP_SECRET are not set")
    template = notification.template
    if template is None or not template.zns_template_id:
        raise NotConfigured(f"no approved ZNS template id for {notification.event}")
    payload = {
        "phone": notification.address,
        "template_id": template.zns_template_id,
        "template_data": notification.data,
        "tracking_id": notification.key[:48],
    }
    token = access_token()
    for _ in range(2):
        reply = http.post(
            settings.MOTCUA_ZALO_ZNS_URL, json_body=payload, headers={"access_token": token}
        )
        body = reply.json() or {}
        error = body.get("error")
        if error == 0:
            return json.dumps(body, ensure_ascii=False)[:2000]
        if error in TOKEN_ERRORS:
            token = access_token(force=True, seen=token)
            continue
        if reply.status >= 400 or error is not None:
            raise Permanent(f"ZNS refused: {reply.text[:500]}")
        raise ConnectionError(f"unexpected ZNS answer: {reply.text[:500]}")
    raise ConnectionError("ZNS kept refusing a fresh access token")
