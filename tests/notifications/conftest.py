"""Fixtures of the notification tests: the real local servers, and settings pointing at them."""

from __future__ import annotations

import pytest

from tests.notifications.fakes import SmsGateway, SmtpSink, Zalo


@pytest.fixture
def world(db):
    from tests.dossiers.conftest import make_world

    return make_world()


@pytest.fixture(scope="module")
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="module")
def sms_gateway():
    server = SmsGateway().start()
    yield server
    server.stop()


@pytest.fixture
def zalo():
    server = Zalo().start()
    yield server
    server.stop()


@pytest.fixture
def channels(settings, smtp, sms_gateway):
    """E-mail through the SMTP server, SMS through the gateway; both start empty."""
    smtp.messages.clear()
    sms_gateway.received.clear()
    sms_gateway.fail_next, sms_gateway.reject = 0, False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.EMAIL_USE_TLS = False
    settings.MOTCUA_SMS_GATEWAY_URL = f"{sms_gateway.url}/send"
    settings.MOTCUA_SMS_GATEWAY_TOKEN = SmsGateway.TOKEN
    settings.MOTCUA_TASKS_RETRY_BASE_SECONDS = 0
    settings.MOTCUA_TASKS_RETRY_MAX_SECONDS = 0
    return smtp, sms_gateway


def use_zalo(settings, server: Zalo) -> None:
    settings.MOTCUA_ZALO_APP_ID = Zalo.APP_ID
    settings.MOTCUA_ZALO_APP_SECRET = Zalo.SECRET
    settings.MOTCUA_ZALO_OA_REFRESH_TOKEN = "refresh-0"
    settings.MOTCUA_ZALO_OAUTH_URL = f"{server.url}/oauth/access_token"
    settings.MOTCUA_ZALO_ZNS_URL = f"{server.url}/message/template"


@pytest.fixture
def settle(django_capture_on_commit_callbacks):
    """Run every job until nothing new is queued: the test's transaction never commits, so the
    jobs' own after-commit hand-overs are captured and run here, round after round."""
    from motcua.jobs.worker import drain

    def run() -> None:
        for _ in range(20):
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                drain()
            if not callbacks:
                return
        raise AssertionError("jobs kept queueing jobs")

    return run
