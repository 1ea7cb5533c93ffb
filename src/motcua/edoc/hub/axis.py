"""An HTTP adapter for a national document axis (Trục liên thông văn bản quốc gia).

The real axis is reached through a closed vendor SDK; its calls are send, list received, get,
update status and the agency directory, with ``servicetype: eDoc`` and ``messagetype:
edoc|status`` headers, signed with a system id and secret. This adapter speaks those calls as
plain HTTP (docs/edxml.md, "The national axis"), so a gateway in front of the SDK — or a test
double — can serve them:

    POST {base}/edocs                      body: the package; headers messagetype, from, to
    GET  {base}/edocs?organId=ID           → {"data": [{"docId", "messagetype", "from"}]}
    GET  {base}/edocs/{docId}?organId=ID   → the package
    POST {base}/edocs/{docId}/status       {"organId": ID, "status": "done"|"fail"}
    GET  {base}/agencies                   → {"data": [{"organId", "name", "parentId",
                                                      "certificate"}]}

Every call carries ``systemid``, ``timestamp`` and ``signature`` = hex HMAC-SHA256(secret,
systemid \\n timestamp \\n METHOD \\n URL path \\n sha256(body)). Network errors, time-outs, 429 and
5xx answers are retried (``retries`` times, doubling ``backoff`` seconds); other 4xx answers are
refusals and are not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .base import DirectoryEntry, HubRejected, Received, TransientHubError


class AxisHub:
    name = "axis"

    def __init__(
        self,
        base_url: str,
        *,
        system_id: str,
        secret: str,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        clock=time.time,
        sleep=time.sleep,
    ) -> None:
        self.base = base_url.rstrip("/")
        self.system_id = system_id
        self.secret = secret.encode()
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.clock = clock
        self.sleep = sleep

    # -- transport ---------------------------------------------------------------------------

    def _headers(self, method: str, path: str, body: bytes) -> dict[str, str]:
        stamp = str(int(self.clock()))
        digest = hashlib.sha256(body).hexdigest()
        text = "\n".join([self.system_id, stamp, method, path, digest]).encode()
        return {
            "systemid": self.system_id,
            "timestamp": stamp,
            "signature": hmac.new(self.secret, text, hashlib.sha256).hexdigest(),
            "servicetype": "eDoc",
        }

    def _once(
        self, method: str, path: str, body: bytes, headers: dict[str, str], query: dict
    ) -> bytes:
        url = self.base + path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        request = urllib.request.Request(  # noqa: S310 - the operator's configured https/http URL
            url, data=body if method == "POST" else None, method=method
        )
        signed_path = urllib.parse.urlparse(self.base).path + path
        for key, value in {**self._headers(method, signed_path, body), **headers}.items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return answer.read()
        except urllib.error.HTTPError as exc:
            detail = _error_text(exc.read())
            message = f"Trục liên thông trả lời HTTP {exc.code}: {detail}"
            if exc.code == 429 or exc.code >= 500:
                raise TransientHubError(message) from exc
            raise HubRejected(message) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise TransientHubError(f"Không kết nối được trục liên thông: {exc}") from exc

    def _call(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        query: dict | None = None,
    ) -> bytes:
        for attempt in range(self.retries + 1):
            try:
                return self._once(method, path, body, headers or {}, query or {})
            except TransientHubError:
                if attempt == self.retries:
                    raise
                self.sleep(self.backoff * (2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _json(self, *args, **kwargs) -> Any:
        raw = self._call(*args, **kwargs)
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise TransientHubError("Trục liên thông trả lời không phải JSON.") from exc

    # -- the interface -----------------------------------------------------------------------

    def send(self, package: bytes, *, kind: str, sender: str, recipient: str) -> str:
        answer = self._json(
            "POST",
            "/edocs",
            package,
            headers={
                "messagetype": kind,
                "from": sender,
                "to": recipient,
                "Content-Type": "application/xml; charset=utf-8",
            },
        )
        doc_id = str(answer.get("docId", "")) if isinstance(answer, dict) else ""
        if not doc_id:
            raise HubRejected(f"Trục liên thông không nhận gói tin: {_error_text(answer)}")
        return doc_id

    def list_received(self, organ_id: str) -> list[Received]:
        answer = self._json("GET", "/edocs", query={"organId": organ_id})
        rows = answer.get("data", []) if isinstance(answer, dict) else []
        return [
            Received(str(r["docId"]), str(r.get("messagetype", "edoc")), str(r.get("from", "")))
            for r in rows
            if isinstance(r, dict) and r.get("docId")
        ]

    def fetch(self, organ_id: str, message_id: str) -> bytes:
        path = f"/edocs/{urllib.parse.quote(message_id, safe='')}"
        return self._call("GET", path, query={"organId": organ_id})

    def update_status(self, organ_id: str, message_id: str, status: str) -> None:
        path = f"/edocs/{urllib.parse.quote(message_id, safe='')}/status"
        body = json.dumps({"organId": organ_id, "status": status}).encode()
        self._call("POST", path, body, headers={"Content-Type": "application/json"})

    def directory(self) -> list[DirectoryEntry]:
        answer = self._json("GET", "/agencies")
        rows = answer.get("data", []) if isinstance(answer, dict) else []
        return [
            DirectoryEntry(
                str(r["organId"]),
                str(r.get("name", ""))[:200],
                str(r.get("parentId") or ""),
                str(r.get("certificate") or ""),
            )
            for r in rows
            if isinstance(r, dict) and r.get("organId")
        ]


def _error_text(raw: Any) -> str:
    if isinstance(raw, bytes):
        try:
            raw = json.loads(raw)
        except ValueError:
            return raw[:200].decode("utf-8", "replace")
    if isinstance(raw, dict):
        return str(raw.get("ErrorDesc") or raw.get("error") or raw)[:200]
    return str(raw)[:200]
