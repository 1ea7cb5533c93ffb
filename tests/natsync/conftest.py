"""The fake national portal (one real HTTP server per module) and the settings pointing the
synchroniser at it."""

from __future__ import annotations

import pytest

from tests.dossiers.conftest import make_world
from tests.natsync.fake_portal import FakePortal


@pytest.fixture(scope="module")
def portal_server():
    server = FakePortal(timeout_delay=0.6).start()
    yield server
    server.stop()


@pytest.fixture
def portal(portal_server, settings):
    portal_server.reset()
    settings.NATSYNC_URL = portal_server.url
    settings.NATSYNC_USERNAME = portal_server.username
    settings.NATSYNC_PASSWORD = portal_server.password
    settings.NATSYNC_UNIT_CODE = "000.00.00.H13"
    settings.NATSYNC_TIMEOUT = 0.3
    settings.NATSYNC_MAX_ATTEMPTS = 4
    settings.NATSYNC_PROFILE = "opencps"
    return portal_server


@pytest.fixture
def world(db):
    return make_world()
