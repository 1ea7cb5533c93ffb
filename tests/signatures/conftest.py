"""Signature fixtures: one test CA with its TSA/OCSP services, one SoftHSM token and one fake
remote-signing service for the whole process (``servers.shared_*``: creating keys and starting
servers is the slow part, and a PKCS#11 module reads its configuration once); each test gets its
own database world and settings."""

from __future__ import annotations

import pytest

from motcua.signatures import testca
from tests.signatures.servers import (
    shared_remote,
    shared_root_pem,
    shared_services,
    shared_token,
)

REMOTE_TOKEN = "remote-secret-token"
P12_PASSPHRASE = "mật-khẩu-p12"


@pytest.fixture(scope="session")
def ca_services():
    return shared_services()


@pytest.fixture(scope="session")
def ca(ca_services) -> testca.TestCA:
    return ca_services.ca


@pytest.fixture(scope="session")
def root_pem(ca_services):
    return shared_root_pem()


@pytest.fixture(scope="session")
def token(ca_services):
    return shared_token()


@pytest.fixture(scope="session")
def remote_service(ca_services):
    return shared_remote(REMOTE_TOKEN)


@pytest.fixture
def sign_settings(settings, ca_services, root_pem, tmp_path):
    """motcua configured against the test CA: its root trusted, its TSA used."""
    settings.SIGN_TRUST_ROOTS = [root_pem]
    settings.SIGN_TSA_URL = ca_services.tsa_url
    settings.SIGN_PKCS12_DIR = tmp_path / "keys"
    settings.SIGN_PKCS12_DIR.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


# --- database world: the engine's two agencies, an approved dossier, keys for its leader ---

from motcua.dossiers import services as S  # noqa: E402
from motcua.signatures.models import KeyKind, KeyPurpose, SigningKey  # noqa: E402
from tests.desk.conftest import complete_documents, world  # noqa: E402,F401
from tests.dossiers.conftest import APPLICANT  # noqa: E402


def approved_dossier(w, *, tag: str = "a"):
    agency = w.a if tag == "a" else w.b
    d = S.submit(
        by=w.citizen1,
        procedure=w.procedure,
        receiving_agency=agency,
        applicant=APPLICANT,
        documents=complete_documents(w.procedure),
    )
    S.receive(d.pk, by=w.users[f"desk_officer_{tag}"])
    S.hand_over(d.pk, by=w.users[f"desk_officer_{tag}"])
    S.hand_over(d.pk, by=w.users[f"specialist_{tag}"])
    return S.approve(
        d.pk, by=w.users[f"leader_{tag}"], result_documents=["Giấy khai sinh (bản chính)"]
    )


def pkcs12_key(settings, ca, w, *, tag: str = "a", seal: bool = True) -> SigningKey:
    """The leader's PKCS#12 key (passphrase typed at signing) and the agency's seal (its
    passphrase in SIGN_KEY_SECRETS_FILE)."""
    import json

    agency = w.a if tag == "a" else w.b
    (settings.SIGN_PKCS12_DIR / f"leader-{tag}.p12").write_bytes(
        ca.pkcs12(ca.signer, P12_PASSPHRASE)
    )
    key = SigningKey.objects.create(
        name=f"leader-{tag}",
        kind=KeyKind.PKCS12,
        purpose=KeyPurpose.PERSONAL,
        agency=agency,
        user=w.users[f"leader_{tag}"],
        position="Chủ tịch",
        location=f"leader-{tag}.p12",
    )
    if seal:
        (settings.SIGN_PKCS12_DIR / f"seal-{tag}.p12").write_bytes(ca.pkcs12(ca.seal, "dấu"))
        secrets_file = settings.SIGN_PKCS12_DIR / "secrets.json"
        secrets_file.write_text(json.dumps({f"seal-{tag}": "dấu"}))
        settings.SIGN_KEY_SECRETS_FILE = str(secrets_file)
        SigningKey.objects.create(
            name=f"seal-{tag}",
            kind=KeyKind.PKCS12,
            purpose=KeyPurpose.SEAL,
            agency=agency,
            location=f"seal-{tag}.p12",
        )
    return key
