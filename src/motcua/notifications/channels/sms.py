"""SMS through a generic HTTP SMS gateway (docs/notifications.md, "SMS gateway protocol").

POST SMS_GATEWAY_URL, JSON ``{"to": "84…", "text": "…", "sender": SMS_SENDER, "ref": key}``,
``Authorization: Bearer SMS_GATEWAY_TOKEN``; 2xx with ``{"id": …}`` is accepted, 4xx is a
refusal for good, 5xx / 429 / no answer are retried.
"""

from __future__ import annotations

import json

from django.conf import settings

from motcua.notifications.channels import NotConfigured, Permanent, http


def enabled() -> bool:
    return bool(settings.MOTCUA_SMS_GATEWAY_URL)


def send(notification) -> str:
    if not enabled():
        raise NotConfigured("SMS_GATEWAY_URL is not set")
    reply = http.post(
        settings.MOTCUA_SMS_GATEWAY_URL,
        json_body={
            "to": notification.address,
            "text": notification.body,
            "sender": settings.MOTCUA_SMS_SENDER,
            "ref": notification.key[:100],
        },
        headers={"Authorization": f"Bearer {settings.MOTCUA_SMS_GATEWAY_TOKEN}"},
    )
    if 400 <= reply.status < 500:
        raise Permanent(f"gateway refused (HTTP {reply.status}): {reply.text[:500]}")
    body = reply.json()
    if not isinstance(body, dict) or not body.get("id"):
        raise ConnectionError(f"gateway answered without a message id: {reply.text[:500]}")
    return json.dumps(body, ensure_ascii=False)[:2000]
