"""Issue 14 §1, the legal forms in a browser: the receiving officer signs the receipt (Form 01)
on the desk with their PKCS#12 key, and the citizen's portal link to Form 01 then gives the
signed copy, which the public verification page matches to the form."""

from __future__ import annotations

from motcua.dossiers.models import IssuedForm
from motcua.signatures.models import KeyKind, KeyPurpose, SignedForm, SigningKey
from tests.signatures.conftest import (  # noqa: F401 — session fixtures: CA, TSA/OCSP
    P12_PASSPHRASE,
    approved_dossier,
    ca,
    ca_services,
    root_pem,
)

from .test_desk_flows import sign_in
from .test_desk_flows import world as world  # the desk world fixture
from .test_signatures_e2e import _citizen_session


def test_officer_signs_form_01_and_the_citizen_downloads_the_signed_copy(
    page, world, settings, request, tmp_path
):
    test_ca, services = request.getfixturevalue("ca"), request.getfixturevalue("ca_services")
    settings.SIGN_TRUST_ROOTS = [request.getfixturevalue("root_pem")]
    settings.SIGN_TSA_URL = services.tsa_url
    settings.SIGN_PKCS12_DIR = tmp_path / "keys"
    settings.SIGN_PKCS12_DIR.mkdir()
    (settings.SIGN_PKCS12_DIR / "officer-a.p12").write_bytes(
        test_ca.pkcs12(test_ca.signer, P12_PASSPHRASE)
    )
    d = approved_dossier(world)
    SigningKey.objects.create(
        name="officer-a",
        kind=KeyKind.PKCS12,
        purpose=KeyPurpose.PERSONAL,
        agency=world.a,
        user=world.desk_officer_a,
        location="officer-a.p12",
    )
    form = IssuedForm.objects.get(dossier=d, form="01")

    # the officer who received the dossier signs its receipt
    sign_in(page, "desk_officer_a")
    page.goto(f"{page.base}/desk/dossiers/{d.code}/")
    page.locator(f"#id_form_secret_{form.pk}").fill(P12_PASSPHRASE)
    page.locator(f"#sign-form-submit-{form.pk}").click()
    page.wait_for_selector(f"#signed-form-{form.pk}")
    signed = SignedForm.objects.get(form=form)
    with signed.file.open("rb") as f:
        stored = f.read()

    # the citizen's Form 01 link now gives the signed copy
    page.context.clear_cookies()
    _citizen_session(page, world.citizen1)
    page.goto(f"{page.base}/ho-so/{d.code}/")
    href = page.locator("#form-01-1").get_attribute("href")
    response = page.context.request.get(f"{page.base}{href}")
    assert response.status == 200 and response.body() == stored
    downloaded = tmp_path / "mau-01.pdf"
    downloaded.write_bytes(response.body())

    # the public page verifies it and names the form it matches
    page.goto(f"{page.base}/xac-thuc/")
    page.set_input_files("#id_file", str(downloaded))
    page.locator("#verify-submit").click()
    report = page.locator("#verify-report").inner_text()
    assert page.locator("#verdict").get_attribute("data-verdict") == "valid", report
    assert f"Mẫu 01 số {form.number} của hồ sơ {d.code}" in report
