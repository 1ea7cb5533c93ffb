"""A fake national document axis: a real HTTP server on a free local port, speaking the calls
motcua.edoc.hub.axis documents, checking each call's HMAC signature, and answering with
failures the test queues (``fail_next``)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class AxisState:
    system_id: str
    secret: bytes
    messages: dict[str, dict] = field(default_factory=dict)  # docId → message
    directory: list[dict] = field(default_factory=list)
    failures: list[tuple[int, dict]] = field(default_factory=list)  # next answers to give
    calls: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, status: int, desc: str, times: int = 1) -> None:
        with self.lock:
            self.failures.extend([(status, {"status": "FAIL", "ErrorDesc": desc})] * times)

    def deposit(self, package: bytes, *, kind: str, sender: str, recipient: str) -> str:
        doc_id = uuid.uuid4().hex
        with self.lock:
            self.messages[doc_id] = {
                "package": package,
                "kind": kind,
                "from": sender,
                "to": recipient,
                "status": "pending",
            }
        return doc_id

    def sent_to(self, recipient: str, kind: str = "edoc") -> list[dict]:
        return [m for m in self.messages.values() if m["to"] == recipient and m["kind"] == kind]


def _handler(state: AxisState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _answer(self, status: int, body: bytes, ctype: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data) -> None:
            self._answer(status, json.dumps(data).encode())

        def _authorised(self, body: bytes) -> bool:
            path = urlparse(self.path).path
            text = "\n".join(
                [
                    self.headers.get("systemid", ""),
                    self.headers.get("timestamp", ""),
                    self.command,
                    path,
                    hashlib.sha256(body).hexdigest(),
                ]
            ).encode()
            expected = hmac.new(state.secret, text, hashlib.sha256).hexdigest()
            return self.headers.get("systemid") == state.system_id and hmac.compare_digest(
                expected, self.headers.get("signature", "")
            )

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlparse(self.path)
            state.calls.append((self.command, url.path))
            if not self._authorised(body):
                return self._json(401, {"status": "FAIL", "ErrorDesc": "Sai chữ ký hệ thống"})
            with state.lock:
                failure = state.failures.pop(0) if state.failures else None
            if failure:
                return self._json(*failure)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            parts = [p for p in url.path.split("/") if p][1:]  # after the /api prefix
            if self.command == "POST" and parts == ["edocs"]:
                doc_id = state.deposit(
                    body,
                    kind=self.headers.get("messagetype", "edoc"),
                    sender=self.headers.get("from", ""),
                    recipient=self.headers.get("to", ""),
                )
                return self._json(200, {"status": "OK", "docId": doc_id})
            if self.command == "GET" and parts == ["edocs"]:
                rows = [
                    {"docId": k, "messagetype": m["kind"], "from": m["from"]}
                    for k, m in state.messages.items()
                    if m["to"] == query.get("organId") and m["status"] == "pending"
                ]
                return self._json(200, {"status": "OK", "data": rows})
            if self.command == "GET" and len(parts) == 2 and parts[0] == "edocs":
                message = state.messages.get(parts[1])
                if message is None or message["to"] != query.get("organId"):
                    return self._json(404, {"status": "FAIL", "ErrorDesc": "Không có gói tin"})
                return self._answer(200, message["package"], "application/xml")
            if self.command == "POST" and len(parts) == 3 and parts[2] == "status":
                message = state.messages.get(parts[1])
                if message is None:
                    return self._json(404, {"status": "FAIL", "ErrorDesc": "Không có gói tin"})
                message["status"] = json.loads(body)["status"]
                return self._json(200, {"status": "OK"})
            if self.command == "GET" and parts == ["agencies"]:
                return self._json(200, {"status": "OK", "data": state.directory})
            return self._json(404, {"status": "FAIL", "ErrorDesc": "Không có dịch vụ"})

        do_GET = _handle
        do_POST = _handle

    return Handler


class FakeAxis:
    def __init__(self, system_id: str = "motcua-test", secret: str = "s3cret") -> None:
        self.state = AxisState(system_id, secret.encode())
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeAxis:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
