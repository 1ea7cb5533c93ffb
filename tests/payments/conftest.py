"""The fake VNPAY gateway (one real HTTP server per module) and the settings selecting it."""

from __future__ import annotations

import pytest

from tests.dossiers.conftest import make_world
from tests.payments.fake_vnpay import SECRET, TMN_CODE, FakeVnpay
from tests.portal.conftest import open_online


@pytest.fixture(scope="module")
def gateway_server():
    server = FakeVnpay().start()
    yield server
    server.stop()


@pytest.fixture
def gateway(gateway_server, settings):
    gateway_server.reset()
    settings.MOTCUA_PAYMENT_PROVIDER = "vnpay"
    settings.VNPAY_TMN_CODE = TMN_CODE
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_PAY_URL = gateway_server.url + "/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = gateway_server.url + "/merchant_webapi/api/transaction"
    return gateway_server


@pytest.fixture
def world(db):
    return open_online(make_world())
