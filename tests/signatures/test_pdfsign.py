"""Signing and verifying PDFs with each key store, against the test CA's real services, and an
independent check with pyHanko's own command-line validator."""

from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from motcua.signatures import keystores, pdfsign
from motcua.signatures.verify import NotAPdf, verify_pdf
from tests.signatures.conftest import P12_PASSPHRASE, REMOTE_TOKEN

BOX = pdfsign.Box(0, 300, 80, 520, 170)
WHO = pdfsign.Appearance("Nguyễn Văn Lãnh Đạo", "Giám đốc", "Sở Tư pháp")


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Kết quả giải quyết</h1><p>Giấy khai sinh</p>").write_pdf()


@pytest.fixture(scope="module")
def roots(ca):
    return keystores.load_certs(ca.root.cert_pem)


@pytest.fixture(scope="module")
def lt_signed(plain_pdf, ca, ca_services, roots) -> bytes:
    signer = keystores.pkcs12_signer(ca.pkcs12(ca.signer, P12_PASSPHRASE), P12_PASSPHRASE)
    options = pdfsign.SignOptions(tsa_url=ca_services.tsa_url, trust_roots=tuple(roots))
    return pdfsign.sign_pdf(
        plain_pdf, signer, field_name="signer", appearance=WHO, box=BOX, options=options
    )


def test_pkcs12_b_lt_signature_validates_with_timestamp_and_embedded_revocation(lt_signed, roots):
    report = verify_pdf(lt_signed, roots)
    assert report.ok, report.as_dict()
    sig = report.signatures[0]
    assert sig.level == "PAdES B-LT"
    assert sig.timestamp and sig.timestamp_trusted
    assert sig.revocation == "good"
    assert sig.chain == ["Nguyễn Văn Lãnh Đạo", "motcua Test Issuing CA", "motcua Test Root CA"]


def test_b_lt_still_validates_offline_from_the_embedded_revocation_data(lt_signed, roots, ca):
    """B-LT: validated at the timestamp's time with the embedded OCSP responses, no fetching
    (a second CA whose responder never ran proves nothing is fetched: the same bytes)."""
    report = verify_pdf(lt_signed, roots)
    assert report.signatures[0].level == "PAdES B-LT" and report.ok


def test_without_tsa_the_signature_is_b_b_and_says_so(plain_pdf, ca, roots):
    signer = keystores.pkcs12_signer(ca.pkcs12(ca.signer, "x"), "x")
    options = pdfsign.SignOptions(trust_roots=tuple(roots))
    assert "PAdES B-B (không có dấu thời gian)" in pdfsign.stamp_text(WHO, options.level)
    signed = pdfsign.sign_pdf(
        plain_pdf, signer, field_name="signer", appearance=WHO, box=BOX, options=options
    )
    report = verify_pdf(signed, roots)
    assert report.ok, report.as_dict()
    assert report.signatures[0].level == "PAdES B-B"
    assert report.signatures[0].timestamp is None


def test_wrong_pkcs12_passphrase_is_a_clear_error(ca):
    with pytest.raises(keystores.KeyStoreError) as err:
        keystores.pkcs12_signer(ca.pkcs12(ca.signer, "right"), "wrong")
    assert err.value.code == "bad_passphrase"


def test_softhsm_token_signs(token, plain_pdf, ca, ca_services, roots):
    chain = [keystores.load_certs(x.cert_pem)[0] for x in (ca.signer, ca.intermediate, ca.root)]
    options = pdfsign.SignOptions(tsa_url=ca_services.tsa_url, trust_roots=tuple(roots))
    with keystores.pkcs11_signer(
        token.module, token_label=token.label, pin=token.pin, key_label=token.key_label, chain=chain
    ) as signer:
        signed = pdfsign.sign_pdf(
            plain_pdf, signer, field_name="signer", appearance=WHO, box=BOX, options=options
        )
    report = verify_pdf(signed, roots)
    assert report.ok, report.signatures
    assert report.signatures[0].signer == "Nguyễn Văn Lãnh Đạo"


def test_softhsm_wrong_pin_is_a_clear_error(token, ca):
    chain = keystores.load_certs(ca.signer.cert_pem)
    with (
        pytest.raises(keystores.KeyStoreError) as err,
        keystores.pkcs11_signer(
            token.module, token_label=token.label, pin="000000", key_label="leader", chain=chain
        ),
    ):
        pass
    assert err.value.code == "bad_pin"


def test_remote_signing_service_signs(remote_service, plain_pdf, roots, ca_services):
    signer = keystores.RemoteSigner(remote_service.url, "leader-remote", REMOTE_TOKEN)
    options = pdfsign.SignOptions(tsa_url=ca_services.tsa_url, trust_roots=tuple(roots))
    signed = pdfsign.sign_pdf(
        plain_pdf, signer, field_name="signer", appearance=WHO, box=BOX, options=options
    )
    assert verify_pdf(signed, roots).ok
    assert any(c.startswith("POST /keys/leader-remote/sign") for c in remote_service.calls)


def test_remote_signing_with_a_wrong_token_is_refused(remote_service):
    with pytest.raises(keystores.KeyStoreError) as err:
        keystores.RemoteSigner(remote_service.url, "leader-remote", "wrong")
    assert err.value.code == "remote_refused"


def test_a_flipped_byte_is_reported_as_modified(lt_signed, roots):
    data = bytearray(lt_signed)
    at = data.index(b"stream") + 40  # inside the first (signed) content stream
    data[at] ^= 0x01
    report = verify_pdf(bytes(data), roots)
    assert report.integrity == "modified"
    assert not report.ok


def test_an_incremental_update_after_signing_is_reported_as_modified(lt_signed, roots):
    from pyhanko.stamp import TextStamp, TextStampStyle

    writer = IncrementalPdfFileWriter(BytesIO(lt_signed), strict=False)
    # stamp text onto the signed page: what a forger changing the result would do
    TextStamp(writer, style=TextStampStyle(stamp_text="DA SUA")).apply(0, x=100, y=700)
    out = BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), roots)
    assert report.signatures[0].intact  # the signed bytes are untouched…
    assert report.integrity == "modified"  # …but the document was changed after signing
    assert not report.ok


@pytest.mark.parametrize("data", [b"", b"hello, not a pdf", b"\x89PNG\r\n\x1a\n"])
def test_not_a_pdf(data, roots):
    with pytest.raises(NotAPdf):
        verify_pdf(data, roots)


def test_unsigned_pdf_is_not_valid(plain_pdf, roots):
    report = verify_pdf(plain_pdf, roots)
    assert not report.ok and report.signatures == []


def test_untrusted_root_is_not_valid(lt_signed):
    report = verify_pdf(lt_signed, [])
    assert not report.ok
    assert not report.signatures[0].trusted


def test_pyhanko_cli_validates_independently(lt_signed, root_pem, tmp_path):
    """The independent validator: pyHanko's own CLI, in a subprocess, trusting only the
    test root (the TSA/OCSP services are running, so it may fetch)."""
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(lt_signed)
    cli = Path(sys.executable).with_name("pyhanko")
    done = subprocess.run(
        [
            str(cli),
            "sign",
            "validate",
            "--trust",
            str(root_pem),
            "--trust-replace",
            "--executive-summary",
            str(pdf),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "VALID" in done.stdout and "INVALID" not in done.stdout
