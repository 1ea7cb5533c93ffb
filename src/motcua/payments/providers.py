"""Payment providers: the interface, and a built-in sandbox that follows the pattern of
Vietnamese gateways (VNPay-like): the citizen is redirected to the gateway with signed
parameters; the gateway answers with a signed callback (browser return and server IPN).

Signature: HMAC-SHA256 over the canonical query string — the ``vnp_`` parameters sorted by
name, ``vnp_SecureHash`` excluded, values URL-encoded, joined with ``&``. The sandbox signs the
two directions with two keys derived from its secret (domain separation): the merchant's
request to the gateway can never pass for the gateway's answer (replayed against the IPN).

Which provider runs is a deployment decision: ``PAYMENT_PROVIDER``. When it is empty the
sandbox is used only with DEBUG on; a production instance without a real provider refuses
online payment (``PaymentsDisabled``) instead of letting citizens "pay" a stand-in gateway.
The demo (``make run``) sets ``PAYMENT_PROVIDER=sandbox`` explicitly.
"""

from __future__ import annotations

import hashlib
import hmac
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

HASH_PARAM = "vnp_SecureHash"
SUCCESS = "00"
CANCELLED = "24"


class PaymentsDisabled(Exception):
    """No payment provider is configured on this instance: online payment is refused."""


class InvalidSignature(Exception):
    """The callback was not signed with the merchant secret (or was altered)."""


@dataclass(frozen=True)
class CallbackData:
    ref: str
    amount_vnd: int
    success: bool
    response_code: str
    provider_txn: str


class PaymentProvider(ABC):
    name: str

    @abstractmethod
    def redirect_url(
        self, *, ref: str, amount_vnd: int, info: str, return_url: str, client_ip: str = ""
    ) -> str:
        """Where to send the citizen to pay (``client_ip``: the citizen's address, which
        some gateways require)."""

    @abstractmethod
    def verify(self, params: Mapping[str, str]) -> CallbackData:
        """The callback's content; raises ``InvalidSignature`` if it is not authentic."""


def canonical(params: Mapping[str, str]) -> str:
    """Only the gateway's own ``vnp_`` parameters are signed (as VNPay does): a form's CSRF
    token or the sandbox's button value travel alongside without breaking the signature."""
    return "&".join(
        f"{key}={quote_plus(str(params[key]))}"
        for key in sorted(params)
        if key.startswith("vnp_") and key != HASH_PARAM
    )


def sign(params: Mapping[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha256).hexdigest()


def signed(params: Mapping[str, str], secret: str) -> dict[str, str]:
    return {**params, HASH_PARAM: sign(params, secret)}


def check(params: Mapping[str, str], secret: str) -> None:
    given = params.get(HASH_PARAM, "")
    if not given or not hmac.compare_digest(given.lower(), sign(params, secret)):
        raise InvalidSignature("chữ ký không hợp lệ")


class SandboxProvider(PaymentProvider):
    """A local stand-in gateway (``/payments/sandbox/``) so the whole flow runs offline."""

    name = "sandbox"
    merchant = "MOTCUA01"

    @property
    def secret(self) -> str:
        configured = getattr(settings, "PAYMENT_SANDBOX_SECRET", "")
        if configured:
            return configured
        # derived, never the Django key itself: a leaked sandbox secret must not expose it
        return hmac.new(settings.SECRET_KEY.encode(), b"payments-sandbox", "sha256").hexdigest()

    def _key(self, direction: bytes) -> str:
        return hmac.new(self.secret.encode(), b"motcua-sandbox/" + direction, "sha256").hexdigest()

    @property
    def request_key(self) -> str:
        """Signs what the merchant sends to the gateway (the redirect)."""
        return self._key(b"request")

    @property
    def answer_key(self) -> str:
        """Signs what the gateway sends back (browser return and IPN)."""
        return self._key(b"answer")

    def redirect_url(
        self, *, ref: str, amount_vnd: int, info: str, return_url: str, client_ip: str = ""
    ) -> str:
        params = {
            "vnp_Version": "2.1.0",
            "vnp_Command": "pay",
            "vnp_TmnCode": self.merchant,
            "vnp_TxnRef": ref,
            "vnp_Amount": str(amount_vnd * 100),  # VNPay convention: amount × 100
            "vnp_CurrCode": "VND",
            "vnp_OrderInfo": info,
            "vnp_ReturnUrl": return_url,
            "vnp_CreateDate": timezone.localtime().strftime("%Y%m%d%H%M%S"),
        }
        return f"{reverse('payments:sandbox')}?{urlencode(signed(params, self.request_key))}"

    def check_request(self, params: Mapping[str, str]) -> None:
        """The gateway side: the redirect really comes from the merchant."""
        check(params, self.request_key)

    def verify(self, params: Mapping[str, str]) -> CallbackData:
        check(params, self.answer_key)
        try:
            amount = int(params["vnp_Amount"]) // 100
            ref = params["vnp_TxnRef"]
        except (KeyError, ValueError):
            raise InvalidSignature("thiếu tham số") from None
        code = params.get("vnp_ResponseCode", "")
        return CallbackData(
            ref=ref,
            amount_vnd=amount,
            success=code == SUCCESS,
            response_code=code,
            provider_txn=params.get("vnp_TransactionNo", ""),
        )

    def gateway_answer(self, request_params: Mapping[str, str], *, pay: bool, txn: str) -> dict:
        """What the sandbox gateway sends back after the citizen paid or cancelled."""
        params = {
            "vnp_TmnCode": self.merchant,
            "vnp_TxnRef": request_params["vnp_TxnRef"],
            "vnp_Amount": request_params["vnp_Amount"],
            "vnp_OrderInfo": request_params.get("vnp_OrderInfo", ""),
            "vnp_ResponseCode": SUCCESS if pay else CANCELLED,
            "vnp_TransactionNo": txn if pay else "0",
            "vnp_PayDate": timezone.localtime().strftime("%Y%m%d%H%M%S"),
        }
        return signed(params, self.answer_key)


PROVIDERS: dict[str, type[PaymentProvider]] = {"sandbox": SandboxProvider}


def configured_name() -> str:
    """The provider this instance uses, or "" when online payment is off. An empty
    ``PAYMENT_PROVIDER`` means the sandbox only under DEBUG (a developer's machine)."""
    name = (getattr(settings, "MOTCUA_PAYMENT_PROVIDER", "") or "").strip().lower()
    if name in ("", "none", "off"):
        return "sandbox" if settings.DEBUG else ""
    return name if name in PROVIDERS else ""


def get_provider(name: str | None = None) -> PaymentProvider:
    """The configured provider; ``PaymentsDisabled`` when none is (never a silent sandbox)."""
    name = name or configured_name()
    if not name or name not in PROVIDERS:
        raise PaymentsDisabled(name)
    return PROVIDERS[name]()


def online_payment_enabled() -> bool:
    return bool(configured_name())
