"""A fake national portal adapter: a real HTTP server (a thread, a free port) speaking the
protocol of docs/national-sync.md, storing what it receives, failing on demand.

Failure modes (``fail_next``): "error" (HTTP 200 with error_code -1), "http500", "timeout"
(answers after ``timeout_delay`` seconds: longer than the client's time-out), "lost" (the
call is processed but answered 502, as when a proxy drops the answer), "expire" (the
session is forgotten: the next call gets error_code 401). ``down = True``: every call 503."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler

from tests.helpers import LocalHTTPServer


class FakePortal(LocalHTTPServer):
    def __init__(self, *, username="tinh", password="matkhau", timeout_delay=1.0):
        self.username, self.password = username, password
        self.timeout_delay = timeout_delay
        self.sessions: set[str] = set()
        self.dossiers: dict[str, dict] = {}
        self.progress: list[dict] = []
        self.calls: list[dict] = []
        self.procedures: dict[str, dict] = {}
        self.failures: list[str] = []
        self.down = False
        self.lock = threading.Lock()
        super().__init__(self._handler())

    def reset(self) -> None:
        with self.lock:
            self.sessions.clear()
            self.dossiers.clear()
            self.progress.clear()
            self.calls.clear()
            self.procedures.clear()
            self.failures.clear()
            self.down = False

    def fail_next(self, *modes: str) -> None:
        with self.lock:
            self.failures.extend(modes)

    def services_called(self) -> list[str]:
        return [c.get("service", "login") for c in self.calls]

    # ---- the protocol ----

    def _login(self, body: dict, headers) -> tuple[int, dict]:
        if body.get("username") != self.username or body.get("password") != self.password:
            return 200, {"error_code": -1, "message": "Sai tài khoản"}
        if not headers.get("dstcode"):
            return 200, {"error_code": -1, "message": "Thiếu dstcode"}
        session = uuid.uuid4().hex
        self.sessions.add(session)
        return 200, {"session": session, "error_code": 0}

    def _service(self, body: dict) -> tuple[int, dict]:
        if body.get("session") not in self.sessions:
            return 200, {"error_code": 401, "message": "Phiên hết hạn"}
        service = body.get("service")
        if service == "DongBoHoSoMC":
            updating = body.get("isUpdating") == "True"
            for record in body.get("data") or []:
                code = record.get("MaHoSo")
                if not code:
                    return 200, {"error_code": -1, "message": "Thiếu MaHoSo"}
                if updating and code not in self.dossiers:
                    return 200, {"error_code": -1, "message": f"Không có hồ sơ {code}"}
                if not updating and code in self.dossiers:
                    return 200, {"error_code": -1, "message": f"Hồ sơ {code} đã tồn tại"}
                self.dossiers[code] = record
            return 200, {"error_code": "00", "message": "Thành công"}
        if service == "CapNhatTienDoHoSoMC":
            for item in body.get("data") or []:
                if item.get("MaHoSo") not in self.dossiers:
                    return 200, {"error_code": -1, "message": "Không có hồ sơ"}
                key = (item["MaHoSo"], item.get("ThoiDiemXuLy"), item.get("TrangThai"))
                if key not in {
                    (p["MaHoSo"], p.get("ThoiDiemXuLy"), p.get("TrangThai")) for p in self.progress
                }:
                    self.progress.append(item)
            return 200, {"error_code": "00"}
        if service == "TraCuuHoSo":
            found = self.dossiers.get(body.get("mahoso", ""))
            return 200, {"error_code": "00", "result": [found] if found else []}
        if service == "LayDanhSachTTHC":
            brief = [{"MaTTHC": c, "TenTTHC": p["TenTTHC"]} for c, p in self.procedures.items()]
            return 200, {"error_code": "00", "result": brief}
        if service == "LayThuTuc":
            found = self.procedures.get(body.get("maTTHC", ""))
            return 200, {"error_code": "00", "result": [found] if found else []}
        return 200, {"error_code": -1, "message": f"Dịch vụ không hỗ trợ: {service}"}

    def _handler(self):
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return self._answer(400, {"error_code": -1, "message": "JSON"})
                with portal.lock:
                    portal.calls.append(dict(body, path=self.path))
                    mode = portal.failures.pop(0) if portal.failures else None
                    if portal.down:
                        mode = "http503"
                if mode == "timeout":
                    time.sleep(portal.timeout_delay)
                    return self._answer(200, {"error_code": -1, "message": "late"})
                if mode in ("http500", "http503"):
                    return self._answer(int(mode[4:]), {"message": "Lỗi máy chủ"})
                if mode == "lost":  # processed, but the answer never reaches the caller
                    with portal.lock:
                        portal._service(body) if self.path == "/service" else None
                    return self._answer(502, {"message": "Bad gateway"})
                if mode == "error":
                    return self._answer(200, {"error_code": -1, "message": "Lỗi nghiệp vụ"})
                with portal.lock:
                    if mode == "expire":
                        portal.sessions.clear()
                    if self.path == "/login":
                        status, data = portal._login(body, self.headers)
                    elif self.path == "/service":
                        status, data = portal._service(body)
                    else:
                        status, data = 404, {"message": "not found"}
                self._answer(status, data)

            def _answer(self, status: int, data: dict) -> None:
                raw = json.dumps(data, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        return Handler
