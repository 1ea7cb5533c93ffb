"""VNPAY (Cổng thanh toán VNPAY), API version 2.1.0, from its published integration guide
(sandbox.vnpayment.vn/apis/docs: "Hướng dẫn tích hợp", "Chuyển đổi thuật toán",
"querydr & refund"):

- Payment: the citizen is redirected (GET) to ``VNPAY_PAY_URL`` with the ``vnp_`` parameters
  (``vnp_Amount`` = amount × 100, ``vnp_CreateDate``/``vnp_ExpireDate`` as ``yyyyMMddHHmmss``
  in GMT+7) and ``vnp_SecureHash`` = HMAC-SHA512(hash secret, the parameters sorted by name,
  URL-encoded, joined with ``&``).
- Return URL (browser) and IPN (server to server, GET): the same signature over the ``vnp_``
  parameters received (``vnp_SecureHash``/``vnp_SecureHashType`` excluded). Success is
  ``vnp_ResponseCode`` "00" and ``vnp_TransactionStatus`` "00". The IPN answers
  ``{"RspCode", "Message"}`` (00 confirmed, 01 order not found, 02 already confirmed,
  04 invalid amount, 97 invalid signature, 99 other) — ``payments.views.ipn``; applying it
  is idempotent (``services.handle_callback``).
- Query (``querydr``, for reconciliation): POST JSON to ``VNPAY_API_URL``; the request's
  ``vnp_SecureHash`` is HMAC-SHA512 over ``vnp_RequestId|vnp_Version|vnp_Command|
  vnp_TmnCode|vnp_TxnRef|vnp_TransactionDate|vnp_CreateDate|vnp_IpAddr|vnp_OrderInfo``, the
  answer's over ``vnp_ResponseId|vnp_Command|vnp_ResponseCode|vnp_Message|vnp_TmnCode|
  vnp_TxnRef|vnp_Amount|vnp_BankCode|vnp_PayDate|vnp_TransactionNo|vnp_TransactionType|
  vnp_TransactionStatus|vnp_OrderInfo|vnp_PromotionCode|vnp_PromotionAmount``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests
from django.conf import settings

from motcua.payments.providers import (
    HASH_PARAM,
    SUCCESS,
    CallbackData,
    InvalidSignature,
    PaymentProvider,
    canonical,
)

GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
VERSION = "2.1.0"
EXPIRE_MINUTES = 15
QUERY_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERY_ANSWER_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)


class GatewayError(Exception):
    """The gateway could not be asked, or answered something unusable."""


def hmac512(secret: str, data: str) -> str:
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def vn_time(moment: dt.datetime) -> str:
    return moment.astimezone(GMT7).strftime("%Y%m%d%H%M%S")


@dataclass(frozen=True)
class QueryAnswer:
    ref: str
    found: bool
    paid: bool
    amount_vnd: int
    provider_txn: str
    status: str  # vnp_TransactionStatus
    message: str


class VnpayProvider(PaymentProvider):
    name = "vnpay"

    def __init__(
        self,
        *,
        tmn_code: str | None = None,
        secret: str | None = None,
        pay_url: str | None = None,
        api_url: str | None = None,
        timeout: float = 10.0,
    ):
        self.tmn_code = tmn_code if tmn_code is not None else settings.VNPAY_TMN_CODE
        self.secret = secret if secret is not None else settings.VNPAY_HASH_SECRET
        self.pay_url = pay_url or settings.VNPAY_PAY_URL
        self.api_url = api_url or settings.VNPAY_API_URL
        self.timeout = timeout
        if not self.tmn_code or not self.secret:
            from motcua.payments.providers import PaymentsDisabled

            raise PaymentsDisabled("VNPAY_TMN_CODE / VNPAY_HASH_SECRET not set")

    def sign(self, params: Mapping[str, str]) -> str:
        return hmac512(self.secret, canonical(params))

    def redirect_url(
        self,
        *,
        ref: str,
        amount_vnd: int,
        info: str,
        return_url: str,
        client_ip: str = "",
        now: dt.datetime | None = None,
    ) -> str:
        now = now or dt.datetime.now(tz=GMT7)
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(amount_vnd * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": ref,
            "vnp_OrderInfo": info,
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip or "127.0.0.1",
            "vnp_CreateDate": vn_time(now),
            "vnp_ExpireDate": vn_time(now + dt.timedelta(minutes=EXPIRE_MINUTES)),
        }
        params[HASH_PARAM] = self.sign(params)
        return f"{self.pay_url}?{urlencode(params)}"

    def verify(self, params: Mapping[str, str]) -> CallbackData:
        given = str(params.get(HASH_PARAM, "")).lower()
        signed = {k: v for k, v in params.items() if k != "vnp_SecureHashType"}
        if not given or not hmac.compare_digest(given, self.sign(signed)):
            raise InvalidSignature("chữ ký không hợp lệ")
        if params.get("vnp_TmnCode") != self.tmn_code:
            raise InvalidSignature("sai mã website")
        try:
            amount = int(params["vnp_Amount"]) // 100
            ref = params["vnp_TxnRef"]
        except (KeyError, ValueError):
            raise InvalidSignature("thiếu tham số") from None
        code = params.get("vnp_ResponseCode", "")
        status = params.get("vnp_TransactionStatus", code)
        return CallbackData(
            ref=ref,
            amount_vnd=amount,
            success=code == SUCCESS and status == SUCCESS,
            response_code=code,
            provider_txn=params.get("vnp_TransactionNo", ""),
        )

    def query(
        self, *, ref: str, created_at: dt.datetime, info: str = "", now: dt.datetime | None = None
    ) -> QueryAnswer:
        """The gateway's record of one transaction (``querydr``)."""
        now = now or dt.datetime.now(tz=GMT7)
        body = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": ref,
            "vnp_OrderInfo": info or f"Truy van giao dich {ref}",
            "vnp_TransactionDate": vn_time(created_at),
            "vnp_CreateDate": vn_time(now),
            "vnp_IpAddr": "127.0.0.1",
        }
        body[HASH_PARAM] = hmac512(self.secret, "|".join(body[k] for k in QUERY_REQUEST_FIELDS))
        try:
            r = requests.post(self.api_url, json=body, timeout=self.timeout)
            answer = r.json()
        except (requests.RequestException, ValueError) as exc:
            raise GatewayError(f"VNPAY querydr: {type(exc).__name__}") from None
        if not isinstance(answer, dict):
            raise GatewayError("VNPAY querydr: câu trả lời sai định dạng")
        data = "|".join(str(answer.get(k, "")) for k in QUERY_ANSWER_FIELDS)
        if not hmac.compare_digest(
            str(answer.get(HASH_PARAM, "")).lower(), hmac512(self.secret, data)
        ):
            raise GatewayError("VNPAY querydr: chữ ký câu trả lời không hợp lệ")
        code = str(answer.get("vnp_ResponseCode", ""))
        if code == "91":  # transaction not found
            return QueryAnswer(ref, False, False, 0, "", "", str(answer.get("vnp_Message", "")))
        if code != SUCCESS:
            raise GatewayError(f"VNPAY querydr: mã lỗi {code} {answer.get('vnp_Message', '')}")
        try:
            amount = int(answer.get("vnp_Amount") or 0) // 100
        except ValueError:
            raise GatewayError("VNPAY querydr: số tiền không hợp lệ") from None
        status = str(answer.get("vnp_TransactionStatus", ""))
        return QueryAnswer(
            ref=ref,
            found=True,
            paid=status == SUCCESS,
            amount_vnd=amount,
            provider_txn=str(answer.get("vnp_TransactionNo", "")),
            status=status,
            message=str(answer.get("vnp_Message", "")),
        )
