"""A fake VNPAY gateway: a real HTTP server (a thread, a free port) implementing, on its own
(not with motcua's code), the published protocol: the signed payment redirect (checked, then
answered by a signed redirect to vnp_ReturnUrl), and the ``querydr`` merchant API.
``decision`` chooses pay or cancel; ``answers[ref]`` keeps the signed result the gateway would
also send to the IPN URL (the test delivers it)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, quote_plus, urlencode, urlparse

from tests.helpers import LocalHTTPServer

TMN_CODE = "MOTCUA01"
SECRET = "BIMATVNPAYTHUNGHIEM0123456789ABCD"


def _hmac(data: str) -> str:
    return hmac.new(SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()


def signature(params: dict) -> str:
    data = "&".join(
        f"{k}={quote_plus(str(params[k]))}"
        for k in sorted(params)
        if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    return _hmac(data)


# the querydr checksums: fields joined with "|" in this order (request, answer)
REQ = (
    "vnp_RequestId|vnp_Version|vnp_Command|vnp_TmnCode|vnp_TxnRef|vnp_TransactionDate|"
    "vnp_CreateDate|vnp_IpAddr|vnp_OrderInfo"
)
ANS = (
    "vnp_ResponseId|vnp_Command|vnp_ResponseCode|vnp_Message|vnp_TmnCode|vnp_TxnRef|vnp_Amount|"
    "vnp_BankCode|vnp_PayDate|vnp_TransactionNo|vnp_TransactionType|vnp_TransactionStatus|"
    "vnp_OrderInfo|vnp_PromotionCode|vnp_PromotionAmount"
)


class FakeVnpay(LocalHTTPServer):
    def __init__(self):
        self.decision = "pay"
        self.transactions: dict[str, dict] = {}
        self.answers: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.queries: list[dict] = []
        self.counter = 14000000
        super().__init__(self._handler())

    def reset(self) -> None:
        self.decision = "pay"
        self.transactions.clear()
        self.answers.clear()
        self.requests.clear()
        self.queries.clear()

    def _pay(self, q: dict) -> tuple[int, dict | str]:
        self.requests.append(q)
        if q.get("vnp_SecureHash", "").lower() != signature(q) or q.get("vnp_TmnCode") != TMN_CODE:
            return 400, "Sai chữ ký"
        if q.get("vnp_Version") != "2.1.0" or q.get("vnp_Command") != "pay":
            return 400, "Sai phiên bản"
        self.counter += 1
        paid = self.decision == "pay"
        txn = {
            "vnp_TxnRef": q["vnp_TxnRef"],
            "vnp_Amount": q["vnp_Amount"],
            "vnp_OrderInfo": q.get("vnp_OrderInfo", ""),
            "vnp_TransactionNo": str(self.counter) if paid else "0",
            "vnp_TransactionStatus": "00" if paid else "02",
            "vnp_ResponseCode": "00" if paid else "24",
            "vnp_PayDate": time.strftime("%Y%m%d%H%M%S"),
            "vnp_BankCode": "NCB",
        }
        self.transactions[q["vnp_TxnRef"]] = txn
        answer = {**txn, "vnp_TmnCode": TMN_CODE, "vnp_CardType": "ATM"}
        answer["vnp_SecureHash"] = signature(answer)
        self.answers[q["vnp_TxnRef"]] = answer
        return 302, f"{q['vnp_ReturnUrl']}?{urlencode(answer)}"

    def _querydr(self, body: dict) -> dict:
        self.queries.append(body)
        expected = _hmac("|".join(str(body.get(k, "")) for k in REQ.split("|")))
        base = {
            "vnp_ResponseId": body.get("vnp_RequestId", ""),
            "vnp_Command": "querydr",
            "vnp_TmnCode": TMN_CODE,
            "vnp_TxnRef": body.get("vnp_TxnRef", ""),
        }
        txn = self.transactions.get(body.get("vnp_TxnRef", ""))
        if body.get("vnp_SecureHash", "").lower() != expected:
            answer = {**base, "vnp_ResponseCode": "97", "vnp_Message": "Invalid checksum"}
        elif txn is None:
            answer = {**base, "vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"}
        else:
            answer = {
                **base,
                "vnp_ResponseCode": "00",
                "vnp_Message": "QueryDR Success",
                "vnp_Amount": txn["vnp_Amount"],
                "vnp_BankCode": txn["vnp_BankCode"],
                "vnp_PayDate": txn["vnp_PayDate"],
                "vnp_TransactionNo": txn["vnp_TransactionNo"],
                "vnp_TransactionType": "01",
                "vnp_TransactionStatus": txn["vnp_TransactionStatus"],
                "vnp_OrderInfo": txn["vnp_OrderInfo"],
                "vnp_PromotionCode": "",
                "vnp_PromotionAmount": "",
            }
        answer["vnp_SecureHash"] = _hmac("|".join(str(answer.get(k, "")) for k in ANS.split("|")))
        return answer

    def _handler(self):
        gw = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: str, ctype: str, location: str = "") -> None:
                raw = body.encode()
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path != "/paymentv2/vpcpay.html":
                    return self._send(404, "not found", "text/plain")
                status, out = gw._pay(dict(parse_qsl(url.query, keep_blank_values=True)))
                if status == 302:
                    return self._send(302, "", "text/plain", location=out)
                self._send(status, out, "text/plain; charset=utf-8")

            def do_POST(self):
                if urlparse(self.path).path != "/merchant_webapi/api/transaction":
                    return self._send(404, "not found", "text/plain")
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                self._send(200, json.dumps(gw._querydr(body)), "application/json")

        return Handler
