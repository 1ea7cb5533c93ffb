"""HTTP client of the national portal's integration adapter (docs/national-sync.md).

Login: POST ``{url}{auth_path}`` ``{username, password}`` with a ``dstcode`` header →
``{session, error_code: 0}``. Every call: POST ``{url}{service_path}`` ``{session, madonvi,
service, …}``; success is ``error_code`` "00" or 0. An expired session (HTTP 401, or
``error_code`` 401) logs in again once. Every failure is a ``PortalError``; ``retryable``
says whether sending the same thing later may succeed (outage, time-out, 5xx) or not
(the portal refused the content).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

SUCCESS = {"0", "00"}
SESSION_EXPIRED = {"401", "-401"}


class PortalError(Exception):
    def __init__(self, message: str, *, retryable: bool = True, code: str = ""):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.code = code


@dataclass
class PortalConfig:
    url: str
    auth_path: str = "/login"
    service_path: str = "/service"
    username: str = ""
    password: str = ""
    unit_code: str = ""
    timeout: float = 10.0

    @classmethod
    def from_settings(cls) -> PortalConfig:
        unit = settings.NATSYNC_UNIT_CODE
        if not unit:
            from motcua.agencies.models import Agency

            root = Agency.objects.filter(parent__isnull=True).order_by("pk").first()
            unit = root.code if root else ""
        return cls(
            url=settings.NATSYNC_URL.rstrip("/"),
            auth_path=settings.NATSYNC_AUTH_PATH,
            service_path=settings.NATSYNC_SERVICE_PATH,
            username=settings.NATSYNC_USERNAME,
            password=settings.NATSYNC_PASSWORD,
            unit_code=unit,
            timeout=settings.NATSYNC_TIMEOUT,
        )


def enabled() -> bool:
    return bool(settings.NATSYNC_URL)


class PortalClient:
    def __init__(self, config: PortalConfig):
        self.config = config
        self.http = requests.Session()
        self.session: str | None = None

    def _post(self, path: str, body: dict, headers: dict | None = None) -> dict:
        try:
            r = self.http.post(
                self.config.url + path, json=body, headers=headers, timeout=self.config.timeout
            )
        except requests.Timeout:
            raise PortalError("Cổng DVCQG không trả lời (quá thời gian chờ).") from None
        except requests.RequestException as exc:
            raise PortalError(f"Không kết nối được Cổng DVCQG: {type(exc).__name__}") from None
        if r.status_code == 401:
            raise PortalError("Phiên làm việc hết hạn.", code="401")
        if r.status_code >= 500:
            raise PortalError(f"Cổng DVCQG lỗi HTTP {r.status_code}.")
        try:
            data = r.json()
        except ValueError:
            raise PortalError(
                f"Cổng DVCQG trả lời không phải JSON (HTTP {r.status_code})."
            ) from None
        if not isinstance(data, dict):
            raise PortalError("Cổng DVCQG trả lời sai định dạng.")
        if r.status_code >= 400:
            raise PortalError(
                f"Cổng DVCQG từ chối (HTTP {r.status_code}): {data.get('message', '')}",
                retryable=False,
            )
        return data

    def login(self) -> str:
        data = self._post(
            self.config.auth_path,
            {"username": self.config.username, "password": self.config.password},
            headers={"dstcode": self.config.unit_code},
        )
        if str(data.get("error_code")) not in SUCCESS or not data.get("session"):
            raise PortalError(
                f"Đăng nhập Cổng DVCQG không thành công: {data.get('message', '')}",
                retryable=False,
                code=str(data.get("error_code", "")),
            )
        self.session = str(data["session"])
        return self.session

    def call(self, service: str, **payload: Any) -> dict:
        for attempt in (1, 2):
            if self.session is None:
                self.login()
            body = {
                "session": self.session,
                "madonvi": self.config.unit_code,
                "service": service,
                **payload,
            }
            try:
                data = self._post(self.config.service_path, body)
            except PortalError as exc:
                if exc.code == "401" and attempt == 1:
                    self.session = None
                    continue
                raise
            code = str(data.get("error_code", ""))
            if code in SUCCESS:
                return data
            if code in SESSION_EXPIRED and attempt == 1:
                self.session = None
                continue
            raise PortalError(
                f"{service}: {data.get('message') or 'lỗi ' + code}", retryable=False, code=code
            )
        raise PortalError(f"{service}: phiên làm việc hết hạn.")

    # ---- the named services ----

    def sync_dossier(self, record: dict, *, updating: bool) -> dict:
        return self.call("DongBoHoSoMC", data=[record], isUpdating=str(updating))

    def update_progress(self, item: dict) -> dict:
        return self.call("CapNhatTienDoHoSoMC", data=[item])

    def lookup(self, code: str) -> dict | None:
        """The portal's record of a dossier, or None when it does not know it."""
        data = self.call("TraCuuHoSo", mahoso=code)
        result = data.get("result")
        if isinstance(result, list):
            result = result[0] if result else None
        return result or None

    def list_procedures(self) -> list[dict]:
        data = self.call("LayDanhSachTTHC")
        result = data.get("result") or []
        return result if isinstance(result, list) else []

    def procedure(self, code: str) -> dict | None:
        data = self.call("LayThuTuc", maTTHC=code)
        result = data.get("result")
        if isinstance(result, list):
            result = result[0] if result else None
        return result or None


def default_client() -> PortalClient:
    return PortalClient(PortalConfig.from_settings())
