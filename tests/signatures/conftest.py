"""Signature fixtures: one test CA with its TSA/OCSP services, one SoftHSM token and one fake
remote-signing service for the whole session (creating keys and starting servers is the slow
part); each test gets its own database world and settings."""

from __future__ import annotations

import pytest

from motcua.signatures import testca
from tests.signatures.servers import RemoteSigningService, softhsm_token

REMOTE_TOKEN = "remote-secret-token"
P12_PASSPHRASE = "mật-khẩu-p12"


@pytest.fixture(scope="session")
def ca_services():
    services = testca.start()
    yield services
    services.stop()


@pytest.fixture(scope="session")
def ca(ca_services) -> testca.TestCA:
    return ca_services.ca


@pytest.fixture(scope="session")
def root_pem(ca, tmp_path_factory):
    return ca.write_root(tmp_path_factory.mktemp("roots") / "root.pem")


@pytest.fixture(scope="session")
def token(ca, tmp_path_factory):
    return softhsm_token(tmp_path_factory.mktemp("softhsm"), ca)


@pytest.fixture(scope="session")
def remote_service(ca):
    service = RemoteSigningService(
        {"leader-remote": (ca.signer, [ca.intermediate, ca.root])}, REMOTE_TOKEN
    )
    yield service
    service.stop()


@pytest.fixture
def sign_settings(settings, ca_services, root_pem, tmp_path):
    """motcua configured against the test CA: its root trusted, its TSA used."""
    settings.SIGN_TRUST_ROOTS = [root_pem]
    settings.SIGN_TSA_URL = ca_services.tsa_url
    settings.SIGN_PKCS12_DIR = tmp_path / "keys"
    settings.SIGN_PKCS12_DIR.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings
