"""A small JSON-over-HTTP client for the gateways (the standard library; no new dependency)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

from motcua.notifications.channels import Permanent


class HttpReply:
    def __init__(self, status: int, text: str):
        self.status, self.text = status, text

    def json(self) -> Any:
        try:
            return json.loads(self.text)
        except ValueError:
            return None


def post(
    url: str, *, json_body: Any = None, form: dict | None = None, headers: dict | None = None
) -> HttpReply:
    """POST and return the reply; 4xx is the caller's to judge, 5xx and network errors raise
    (retryable)."""
    if not url.startswith(("http://", "https://")):
        raise Permanent(f"not an http(s) URL: {url!r}")
    data: bytes
    head = {"Accept": "application/json", **(headers or {})}
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        head["Content-Type"] = "application/x-www-form-urlencoded"
    else:
        data = json.dumps(json_body, ensure_ascii=False).encode()
        head["Content-Type"] = "application/json; charset=utf-8"
    request = urllib.request.Request(url, data=data, headers=head, method="POST")  # noqa: S310
    timeout = settings.MOTCUA_NOTIFY_HTTP_TIMEOUT_SECONDS
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return HttpReply(response.status, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        reply = HttpReply(exc.code, exc.read().decode("utf-8", "replace"))
        if exc.code >= 500 or exc.code == 429:
            raise ConnectionError(f"HTTP {exc.code}: {reply.text[:500]}") from None
        return reply
