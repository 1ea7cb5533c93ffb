"""The VNPAY adapter against a fake VNPAY gateway over real HTTP: signed redirect
(HMAC-SHA512), return URL, IPN with signature check and idempotent handling, querydr
reconciliation of a lost IPN."""

from __future__ import annotations

import json
from io import StringIO
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from django.core.management import CommandError, call_command

from motcua.dossiers.models import FeeCharge
from motcua.payments.models import Payment
from tests.payments.fake_vnpay import TMN_CODE, signature
from tests.portal.conftest import dossier_for


def start(client, world):
    d = dossier_for(world)
    client.force_login(world.citizen1)
    response = client.post(f"/payments/start/{d.code}/", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    return d, response["Location"]


def at_gateway(url: str) -> dict:
    """The citizen's browser at VNPAY: the gateway redirects back with its signed answer."""
    r = requests.get(url, allow_redirects=False, timeout=5)
    assert r.status_code == 302, r.text
    back = urlsplit(r.headers["Location"])
    assert back.path == "/payments/return/"
    return dict(parse_qsl(back.query))


def test_redirect_is_signed_with_hmac_sha512(client, world, gateway):
    _d, url = start(client, world)
    assert url.startswith(gateway.url + "/paymentv2/vpcpay.html?")
    params = dict(parse_qsl(urlsplit(url).query))
    assert params["vnp_Version"] == "2.1.0" and params["vnp_Command"] == "pay"
    assert params["vnp_TmnCode"] == TMN_CODE and params["vnp_Amount"] == "800000"
    assert params["vnp_CurrCode"] == "VND" and params["vnp_Locale"] == "vn"
    assert params["vnp_IpAddr"] == "203.0.113.7"
    assert (
        len(params["vnp_CreateDate"]) == 14 and params["vnp_ExpireDate"] > params["vnp_CreateDate"]
    )
    assert len(params["vnp_SecureHash"]) == 128  # SHA-512 hex
    assert params["vnp_SecureHash"] == signature(params)  # the gateway's own computation
    tampered = url.replace("vnp_Amount=800000", "vnp_Amount=100")
    assert requests.get(tampered, allow_redirects=False, timeout=5).status_code == 400


def test_payment_ipn_and_return(client, world, gateway):
    d, url = start(client, world)
    answer = at_gateway(url)
    ipn = client.get("/payments/ipn/?" + urlencode(answer))
    assert ipn.json() == {"RspCode": "00", "Message": "Confirm Success"}
    fee = FeeCharge.objects.get(dossier=d)
    assert fee.paid_vnd == 8000 and fee.gateway == "vnpay" and fee.payment_channel == "online"
    payment = Payment.objects.get()
    assert payment.status == "paid" and payment.provider_txn == answer["vnp_TransactionNo"]
    # VNPAY repeats IPNs until answered: a repeat changes nothing
    again = client.get("/payments/ipn/?" + urlencode(answer))
    assert again.json()["RspCode"] == "02"
    page = client.get("/payments/return/?" + urlencode(answer))
    assert page.status_code == 200 and 'id="payment-ok"' in page.content.decode()
    assert FeeCharge.objects.get(dossier=d).paid_vnd == 8000


def test_tampered_or_foreign_ipn_is_refused(client, world, gateway):
    _d, url = start(client, world)
    answer = at_gateway(url)
    forged = {**answer, "vnp_Amount": "100"}
    assert client.get("/payments/ipn/?" + urlencode(forged)).json()["RspCode"] == "97"
    other = {**answer, "vnp_TmnCode": "KHAC0001"}
    other["vnp_SecureHash"] = signature(other)
    assert client.get("/payments/ipn/?" + urlencode(other)).json()["RspCode"] == "97"
    unknown = {**answer, "vnp_TxnRef": "NOPE"}
    unknown["vnp_SecureHash"] = signature(unknown)
    assert client.get("/payments/ipn/?" + urlencode(unknown)).json()["RspCode"] == "01"
    assert Payment.objects.get().status == "pending"


def test_cancelled_payment_is_recorded_as_failed(client, world, gateway):
    gateway.decision = "cancel"
    d, url = start(client, world)
    answer = at_gateway(url)
    assert answer["vnp_ResponseCode"] == "24"
    assert client.get("/payments/ipn/?" + urlencode(answer)).json()["RspCode"] == "00"
    assert Payment.objects.get().status == "failed"
    assert FeeCharge.objects.get(dossier=d).paid_at is None


def _reconcile(*args) -> list[dict]:
    out = StringIO()
    call_command(
        "payments",
        "reconcile",
        "--from",
        "2000-01-01",
        "--to",
        "2100-01-01",
        *args,
        "--format",
        "json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_reconcile_applies_a_lost_ipn_and_reports_unknown_payments(client, world, gateway):
    d, url = start(client, world)
    at_gateway(url)  # paid at VNPAY; the IPN never arrived
    assert Payment.objects.get().status == "pending"
    rows = _reconcile("--dry-run")
    assert [r["result"] for r in rows] == ["missed_ipn"]
    assert Payment.objects.get().status == "pending"
    rows = _reconcile()
    assert [r["result"] for r in rows] == ["missed_ipn_applied"]
    assert FeeCharge.objects.get(dossier=d).paid_vnd == 8000
    assert [r["result"] for r in _reconcile()] == ["ok"]
    # the gateway forgot it (or it was never there): reported, never changed
    gateway.transactions.clear()
    rows = _reconcile()
    assert [r["result"] for r in rows] == ["not_at_gateway"]
    assert Payment.objects.get().status == "paid"
    assert all(q["vnp_Command"] == "querydr" for q in gateway.queries)


def test_reconcile_needs_vnpay(settings, db):
    settings.MOTCUA_PAYMENT_PROVIDER = "sandbox"
    with pytest.raises(CommandError, match="VNPAY"):
        call_command("payments", "reconcile", "--from", "2025-01-01", "--to", "2025-01-31")


def test_system_check_refuses_vnpay_without_credentials(settings):
    from motcua.payments.apps import check_provider

    settings.MOTCUA_PAYMENT_PROVIDER = "vnpay"
    settings.VNPAY_TMN_CODE = ""
    assert [e.id for e in check_provider()] == ["motcua.payments.E002"]
    settings.VNPAY_TMN_CODE = TMN_CODE
    settings.VNPAY_HASH_SECRET = "s"
    assert check_provider() == []
