"""Zalo Official Account and Facebook Messenger webhooks: verify the platform's signature on
the raw body, then turn each user message into a feedback item.

- Zalo OA: header ``X-ZEvent-Signature: mac=<hex>`` with
  ``hex = sha256(app_id + raw_body + timestamp + oa_secret_key)``; ``app_id`` and ``timestamp``
  are the payload's own fields (Zalo OA "Webhook — xác thực sự kiện"). The timestamp
  (milliseconds since the epoch) is signed, so a delivery older (or further in the future) than
  ``ZALO_MAX_AGE`` is refused: a captured request cannot be replayed later.
- Messenger: ``X-Hub-Signature-256: sha256=<hex>`` with ``hex = HMAC-SHA256(app_secret,
  raw_body)``; the subscription is confirmed by a GET echoing ``hub.challenge`` when
  ``hub.mode=subscribe`` and ``hub.verify_token`` matches (Meta "Webhooks — Getting started").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.feedback import services
from motcua.feedback.rules import Channel, FeedbackError

log = logging.getLogger("motcua.feedback.webhooks")
DEFAULT_CATEGORY = "other"
# How far a Zalo event's signed timestamp may be from our clock (deliveries and retries arrive
# within seconds; the margin covers clock skew).
ZALO_MAX_AGE = 300.0


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "")


def zalo_signature_ok(raw: bytes, payload: dict, header: str, secret: str) -> bool:
    supplied = (header or "").strip()
    if supplied.lower().startswith("mac="):
        supplied = supplied[4:]
    app_id = str(payload.get("app_id", ""))
    timestamp = str(payload.get("timestamp", ""))
    if not (secret and supplied and app_id and timestamp):
        return False
    signed = app_id.encode() + raw + timestamp.encode() + secret.encode()
    return hmac.compare_digest(hashlib.sha256(signed).hexdigest(), supplied.lower())


def zalo_timestamp_fresh(payload: dict, now: float | None = None) -> bool:
    """Whether the event's ``timestamp`` (ms since the epoch) is within ``ZALO_MAX_AGE``."""
    try:
        sent = int(str(payload.get("timestamp", ""))) / 1000
    except ValueError:
        return False
    now = time.time() if now is None else now
    return abs(now - sent) <= ZALO_MAX_AGE


def facebook_signature_ok(raw: bytes, header: str, app_secret: str) -> bool:
    supplied = (header or "").strip()
    if not (app_secret and supplied.startswith("sha256=")):
        return False
    expected = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, supplied[7:].lower())


def _coordinates(attachments: list) -> tuple[float | None, float | None]:
    for att in attachments or []:
        if att.get("type") != "location":
            continue
        coords = (att.get("payload") or {}).get("coordinates") or {}
        lat = coords.get("latitude", coords.get("lat"))
        lon = coords.get("longitude", coords.get("long"))
        if lat is not None and lon is not None:
            return float(lat), float(lon)
    return None, None


def _chat_item(
    channel: str, message: dict, sender: dict | None, id_key: str
) -> services.NewItem | None:
    """A chat message with text becomes a private item (location from its attachments)."""
    text = (message.get("text") or "").strip()
    if not text:
        return None
    lat, lon = _coordinates(message.get("attachments") or [])
    return services.NewItem(
        channel=channel,
        category=DEFAULT_CATEGORY,
        description=text,
        latitude=lat,
        longitude=lon,
        is_public=False,
        external_sender=str((sender or {}).get("id", "")),
        external_id=str(message.get(id_key, "")),
    )


def zalo_item(payload: dict) -> services.NewItem | None:
    """A ``user_send_text`` (or a location/image with a caption) becomes an item."""
    if payload.get("event_name") not in ("user_send_text", "user_send_location", "user_send_image"):
        return None
    message = payload.get("message") or {}
    return _chat_item(Channel.ZALO, message, payload.get("sender"), "msg_id")


def facebook_items(payload: dict) -> list[services.NewItem]:
    if payload.get("object") != "page":
        return []
    items = []
    for entry in payload.get("entry") or []:
        for event in entry.get("messaging") or []:
            message = event.get("message") or {}
            if message.get("is_echo"):
                continue
            item = _chat_item(Channel.FACEBOOK, message, event.get("sender"), "mid")
            if item:
                items.append(item)
    return items


def _intake(items: list[services.NewItem]) -> dict:
    created, ignored = [], []
    for data in items:
        try:
            created.append(services.submit(data).code)
        except FeedbackError as exc:  # answer 200 anyway, or the platform retries forever
            log.warning("webhook message %s not taken in: %s", data.external_id, exc.fields)
            ignored.append(data.external_id)
    return {"created": created, "ignored": ignored}


@csrf_exempt
@require_http_methods(["POST"])
def zalo(request: HttpRequest) -> HttpResponse:
    secret = _setting("MOTCUA_ZALO_OA_SECRET")
    if not secret:
        return JsonResponse({"error": "Zalo webhook is not configured"}, status=503)
    raw = request.body
    try:
        payload = json.loads(raw)
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "invalid payload"}, status=400)
    if not zalo_signature_ok(raw, payload, request.headers.get("X-ZEvent-Signature", ""), secret):
        return JsonResponse({"error": "invalid signature"}, status=401)
    if not zalo_timestamp_fresh(payload):
        return JsonResponse({"error": "stale timestamp"}, status=401)
    app_id = _setting("MOTCUA_ZALO_APP_ID")
    if app_id and str(payload.get("app_id")) != app_id:
        return JsonResponse({"error": "unknown app_id"}, status=401)
    item = zalo_item(payload)
    return JsonResponse(_intake([item] if item else []))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def facebook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        token = _setting("MOTCUA_FACEBOOK_VERIFY_TOKEN")
        if (
            token
            and request.GET.get("hub.mode") == "subscribe"
            and hmac.compare_digest(request.GET.get("hub.verify_token", ""), token)
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    secret = _setting("MOTCUA_FACEBOOK_APP_SECRET")
    if not secret:
        return JsonResponse({"error": "Messenger webhook is not configured"}, status=503)
    raw = request.body
    if not facebook_signature_ok(raw, request.headers.get("X-Hub-Signature-256", ""), secret):
        return JsonResponse({"error": "invalid signature"}, status=401)
    try:
        payload = json.loads(raw)
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "invalid payload"}, status=400)
    return JsonResponse(_intake(facebook_items(payload)))
