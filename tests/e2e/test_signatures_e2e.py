"""Issue 14 acceptance in a browser: a leader signs the result on the desk with a key held in
a SoftHSM2 token, the citizen downloads the signed PDF from the portal, and the public
verification page reports it valid with its chain (and a tampered copy modified)."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.test import Client

from motcua.signatures.models import ElectronicResult, KeyKind, KeyPurpose, SigningKey
from tests.signatures.conftest import (  # noqa: F401 — session fixtures: CA, TSA/OCSP, token
    approved_dossier,
    ca,
    ca_services,
    root_pem,
    token,
)

from .test_desk_flows import sign_in
from .test_desk_flows import world as world  # the desk world fixture


def _citizen_session(page, user) -> None:
    """The citizen's signed-in session in the browser (portal login is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": page.base,
            }
        ]
    )


def test_leader_signs_with_a_token_citizen_downloads_and_the_page_verifies(
    page, world, settings, request, tmp_path
):
    test_ca, services = request.getfixturevalue("ca"), request.getfixturevalue("ca_services")
    root, hsm = request.getfixturevalue("root_pem"), request.getfixturevalue("token")
    settings.SIGN_TRUST_ROOTS = [root]
    settings.SIGN_TSA_URL = services.tsa_url
    settings.SIGN_PKCS11_MODULE = hsm.module
    d = approved_dossier(world)
    SigningKey.objects.create(
        name="leader-a-token",
        kind=KeyKind.PKCS11,
        purpose=KeyPurpose.PERSONAL,
        agency=world.a,
        user=world.leader_a,
        position="Chủ tịch",
        location=hsm.label,
        key_label=hsm.key_label,
        certificate_chain=b"".join(
            x.cert_pem for x in (test_ca.signer, test_ca.intermediate, test_ca.root)
        ).decode(),
    )

    # the leader signs on the desk, typing the token's PIN
    sign_in(page, "leader_a")
    page.goto(f"{page.base}/desk/dossiers/{d.code}/")
    page.get_by_label("Mã PIN hoặc mật khẩu khóa ký số").fill(hsm.pin)
    page.get_by_role("button", name="Ký số", exact=True).click()
    page.wait_for_selector("#signed-result")
    result = ElectronicResult.objects.get(dossier=d)
    assert result.code in page.locator("#signature-panel").inner_text()

    # the citizen downloads it from the portal
    page.context.clear_cookies()
    _citizen_session(page, world.citizen1)
    page.goto(f"{page.base}/ho-so/{d.code}/")
    with page.expect_download() as info:
        page.locator("#electronic-result-link").click()
    downloaded = tmp_path / "ket-qua.pdf"
    info.value.save_as(downloaded)
    assert downloaded.read_bytes().startswith(b"%PDF-")

    # the public page verifies the downloaded file
    page.goto(f"{page.base}/xac-thuc/")
    page.set_input_files("#id_file", str(downloaded))
    page.locator("#verify-submit").click()
    verdict = page.locator("#verdict")
    report = page.locator("#verify-report").inner_text()
    assert verdict.get_attribute("data-verdict") == "valid", report
    assert "Nguyễn Văn Lãnh Đạo" in report
    assert "motcua Test Issuing CA" in report and "motcua Test Root CA" in report
    assert "Chưa bị thu hồi" in report and result.code in report

    # a copy with one byte changed is reported as modified
    data = bytearray(downloaded.read_bytes())
    data[data.index(b"stream") + 40] ^= 0x01
    tampered = tmp_path / "sua.pdf"
    tampered.write_bytes(bytes(data))
    page.goto(f"{page.base}/xac-thuc/")
    page.set_input_files("#id_file", str(tampered))
    page.locator("#verify-submit").click()
    assert page.locator("#verdict").get_attribute("data-verdict") == "modified"
