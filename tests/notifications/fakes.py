"""Servers the notification tests start: a real SMTP server (aiosmtpd), a generic SMS gateway
and Zalo's OAuth + ZNS endpoints, each on a free loopback port, recording what they receive."""

from __future__ import annotations

import json
import threading
import urllib.parse
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SmtpSink:
    """aiosmtpd on a free port; ``messages`` are the parsed e-mails it accepted."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = message_from_bytes(envelope.content, policy=policy.default)
                sink.messages.append((envelope.rcpt_tos, msg))
                return "250 OK"

        from tests.jobs.conftest import free_port

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


class _Server:
    """A threaded HTTP server whose handler is ``self.handle(path, headers, body)``."""

    def __init__(self):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, payload = outer.handle(self.path, self.headers, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class SmsGateway(_Server):
    """The generic gateway protocol of channels/sms.py; ``fail_next`` answers 503 that many
    times, ``reject`` answers 400 (a number it will never accept)."""

    TOKEN = "sms-test-token"

    def __init__(self):
        super().__init__()
        self.received: list[dict] = []
        self.fail_next = 0
        self.reject = False

    def handle(self, path, headers, body):
        with self.lock:
            if headers.get("Authorization") != f"Bearer {self.TOKEN}":
                return 401, {"error": "unauthorised"}
            if self.fail_next:
                self.fail_next -= 1
                return 503, {"error": "busy"}
            message = json.loads(body)
            if self.reject:
                return 400, {"error": "invalid number"}
            self.received.append(message)
            return 200, {"id": f"sms-{len(self.received)}", "status": "accepted"}


class Zalo(_Server):
    """Zalo's token endpoint and ZNS template API, with single-use rotating refresh tokens."""

    APP_ID = "1234567890"
    SECRET = "zalo-app-secret"

    def __init__(self, first_refresh_token: str = "refresh-0"):
        super().__init__()
        self.valid_refresh = first_refresh_token
        self.valid_access: str | None = None
        self.generation = 0
        self.refresh_calls: list[str] = []
        self.refused_refreshes: list[str] = []
        self.sent: list[dict] = []
        self.refresh_delay = 0.0

    def handle(self, path, headers, body):
        if path.startswith("/oauth"):
            return self._refresh(headers, body)
        return self._send(headers, body)

    def _refresh(self, headers, body):
        import time

        form = dict(urllib.parse.parse_qsl(body.decode()))
        if headers.get("secret_key") != self.SECRET or form.get("app_id") != self.APP_ID:
            return 400, {"error": -14002, "message": "invalid app"}
        time.sleep(self.refresh_delay)  # a slow Zalo widens any race between two refreshes
        with self.lock:
            self.refresh_calls.append(form.get("refresh_token", ""))
            if form.get("refresh_token") != self.valid_refresh:
                self.refused_refreshes.append(form.get("refresh_token", ""))
                return 200, {"error": -14014, "error_description": "refresh token is invalid"}
            self.generation += 1
            self.valid_refresh = f"refresh-{self.generation}"
            self.valid_access = f"access-{self.generation}"
            return 200, {
                "access_token": self.valid_access,
                "refresh_token": self.valid_refresh,
                "expires_in": "90000",
            }

    def expire_access_token(self) -> None:
        with self.lock:
            self.valid_access = None

    def _send(self, headers, body):
        with self.lock:
            if headers.get("access_token") != self.valid_access or self.valid_access is None:
                return 200, {"error": -124, "message": "Access token is invalid"}
            message = json.loads(body)
            self.sent.append(message)
            return 200, {"error": 0, "message": "Success", "data": {"msg_id": f"z{len(self.sent)}"}}
