"""Signing the issued legal forms (issue 14 §1): the officer the form names signs it, the
signed copy is stored once with its hash, the citizen downloads it, the verification page and
the CLI match it to the form; the certificate register's status stops a revoked key."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from motcua.certificates.models import Certificate
from motcua.dossiers.errors import ConflictError, InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, IssuedForm
from motcua.signatures import formsigning
from motcua.signatures.keystores import load_certs
from motcua.signatures.models import KeyKind, KeyPurpose, SignedForm, SigningKey
from motcua.signatures.verify import verify_pdf
from tests.desk.conftest import login
from tests.signatures.conftest import P12_PASSPHRASE, approved_dossier


def officer_key(settings, ca, w, *, tag: str = "a") -> SigningKey:
    """The desk officer's own PKCS#12 key (the test CA's personal certificate)."""
    agency = w.a if tag == "a" else w.b
    (settings.SIGN_PKCS12_DIR / f"officer-{tag}.p12").write_bytes(
        ca.pkcs12(ca.signer, P12_PASSPHRASE)
    )
    return SigningKey.objects.create(
        name=f"officer-{tag}",
        kind=KeyKind.PKCS12,
        purpose=KeyPurpose.PERSONAL,
        agency=agency,
        user=w.users[f"desk_officer_{tag}"],
        position="Công chức tiếp nhận",
        location=f"officer-{tag}.p12",
    )


def receipt(d) -> IssuedForm:
    return IssuedForm.objects.get(dossier=d, form="01")


def _data(signed: SignedForm) -> bytes:
    with signed.file.open("rb") as f:
        return f.read()


def test_the_receiving_officer_signs_form_01_with_pkcs12(world, sign_settings, ca):
    d = approved_dossier(world)
    officer_key(sign_settings, ca, world)
    form = receipt(d)
    signed = formsigning.sign_form(form.pk, by=world.desk_officer_a, secret=P12_PASSPHRASE)
    data = _data(signed)
    report = verify_pdf(data, load_certs(ca.root.cert_pem))
    assert report.ok, report.as_dict()
    assert [s.field for s in report.signatures] == ["officer"]
    assert report.signatures[0].level == "PAdES B-LT"
    assert signed.sha256 == hashlib.sha256(data).hexdigest() and signed.size == len(data)
    assert signed.dossier == d and signed.form == form
    event = AuditEvent.objects.get(dossier=d, action="sign_form")
    assert event.form == form and event.actor == world.desk_officer_a
    assert event.data["sha256"] == signed.sha256


def test_form_signing_with_a_softhsm_token(world, sign_settings, ca, token):
    sign_settings.SIGN_PKCS11_MODULE = token.module
    d = approved_dossier(world)
    chain = b"".join(x.cert_pem for x in (ca.signer, ca.intermediate, ca.root)).decode()
    SigningKey.objects.create(
        name="officer-a-token",
        kind=KeyKind.PKCS11,
        purpose=KeyPurpose.PERSONAL,
        agency=world.a,
        user=world.desk_officer_a,
        location=token.label,
        key_label=token.key_label,
        certificate_chain=chain,
    )
    signed = formsigning.sign_form(receipt(d).pk, by=world.desk_officer_a, secret=token.pin)
    assert verify_pdf(_data(signed), load_certs(ca.root.cert_pem)).ok


def test_signed_forms_are_append_only_and_signing_twice_is_a_conflict(world, sign_settings, ca):
    d = approved_dossier(world)
    officer_key(sign_settings, ca, world)
    signed = formsigning.sign_form(receipt(d).pk, by=world.desk_officer_a, secret=P12_PASSPHRASE)
    with pytest.raises(DatabaseError), transaction.atomic():
        SignedForm.objects.filter(pk=signed.pk).update(sha256="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        SignedForm.objects.filter(pk=signed.pk).delete()
    with pytest.raises(ConflictError):
        formsigning.sign_form(receipt(d).pk, by=world.desk_officer_a, secret=P12_PASSPHRASE)


def test_only_the_officer_the_form_names_signs_it(world, sign_settings, ca):
    d = approved_dossier(world)
    officer_key(sign_settings, ca, world)
    form = receipt(d)
    with pytest.raises(NotAllowed):
        formsigning.sign_form(form.pk, by=world.specialist_a, secret=P12_PASSPHRASE)
    with pytest.raises(InvalidInput) as err:
        formsigning.sign_form(form.pk, by=world.leader_b, secret=P12_PASSPHRASE)
    assert err.value.fields == {"form": "not_found"}
    assert not SignedForm.objects.exists()


def test_desk_sign_form_scope_403_404_and_409(world, sign_settings, ca):
    d = approved_dossier(world)
    officer_key(sign_settings, ca, world)
    form = receipt(d)
    url = reverse("signatures:sign_form", args=[d.code, form.pk])
    officer = login(world.desk_officer_a)
    page = officer.get(reverse("desk:dossier", args=[d.code])).content.decode()
    assert f'id="sign-form-{form.pk}"' in page
    specialist = login(world.specialist_a)
    assert (
        f'id="sign-form-{form.pk}"'
        not in specialist.get(reverse("desk:dossier", args=[d.code])).content.decode()
    )
    refused = specialist.post(url, {"secret": P12_PASSPHRASE})
    assert refused.status_code == 403
    assert "Chỉ người ký ghi trên biểu mẫu" in refused.content.decode()
    assert login(world.desk_officer_b).post(url, {"secret": P12_PASSPHRASE}).status_code == 404
    wrong = officer.post(url, {"secret": "sai"}, follow=True)
    assert "Mật khẩu tệp khóa (PKCS#12) không đúng." in wrong.content.decode()
    assert officer.post(url, {"secret": P12_PASSPHRASE}).status_code == 302
    page = officer.get(reverse("desk:dossier", args=[d.code])).content.decode()
    assert f'id="signed-form-{form.pk}"' in page and f'id="sign-form-{form.pk}"' not in page
    again = officer.post(url, {"secret": P12_PASSPHRASE})
    assert again.status_code == 409 and "đã được ký số" in again.content.decode()
    download = officer.get(reverse("signatures:desk_signed_form", args=[d.code, form.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == _data(SignedForm.objects.get(form=form))


def test_citizen_downloads_the_signed_form_of_their_own_dossier_only(world, sign_settings, ca):
    d = approved_dossier(world)
    officer_key(sign_settings, ca, world)
    url = reverse("portal:form_pdf", args=[d.code, "01", 1])
    owner = login(world.citizen1)
    unsigned = owner.get(url)
    assert unsigned.status_code == 200 and b"/ByteRange" not in unsigned.content
    signed = formsigning.sign_form(receipt(d).pk, by=world.desk_officer_a, secret=P12_PASSPHRASE)
    response = owner.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _data(signed)
    assert login(world.citizen2).get(url).status_code == 404


def test_verification_matches_the_signed_form_to_its_record(world, sign_settings, ca):
    d = approved_dossier(world)
    officer_key(sign_settings, ca, world)
    form = receipt(d)
    signed = formsigning.sign_form(form.pk, by=world.desk_officer_a, secret=P12_PASSPHRASE)
    data = _data(signed)
    page = Client().post(
        reverse("signatures:verify"), {"file": SimpleUploadedFile("mau01.pdf", data)}
    )
    html = page.content.decode()
    assert 'data-verdict="valid"' in html
    assert (
        f"Khớp với văn bản motcua đã phát hành: Mẫu 01 số {form.number} của hồ sơ {d.code}" in html
    )
    path = sign_settings.MEDIA_ROOT / "upload.pdf"
    path.write_bytes(data)
    from io import StringIO

    out = StringIO()
    call_command("sign", "verify", str(path), "--format", "json", stdout=out)
    record = json.loads(out.getvalue())["record"]
    assert record["kind"] == "form" and record["form"] == "01"
    assert record["dossier"] == d.code and record["number"] == form.number


def _register(ca, agency, **kw) -> Certificate:
    cert = ca.signer.cert
    issuer_cn = ca.intermediate.cert.subject.rfc4514_string().split("CN=")[1].split(",")[0]
    fields = {"valid_from": dt.date(2020, 1, 1), "valid_to": dt.date(2099, 12, 31), **kw}
    return Certificate.objects.create(
        kind="personal",
        holder_name="Nguyễn Văn Lãnh Đạo",
        agency=agency,
        serial=format(cert.serial_number, "x"),
        issuer=issuer_cn,
        **fields,
    )


def test_a_key_is_linked_to_its_register_entry_and_shown_when_verifying(world, sign_settings, ca):
    d = approved_dossier(world)
    key = officer_key(sign_settings, ca, world)
    entry = _register(ca, world.a)
    signed = formsigning.sign_form(receipt(d).pk, by=world.desk_officer_a, secret=P12_PASSPHRASE)
    key.refresh_from_db()
    assert key.certificate == entry
    html = (
        Client()
        .post(reverse("signatures:verify"), {"file": SimpleUploadedFile("f.pdf", _data(signed))})
        .content.decode()
    )
    assert 'class="register" data-status="active"' in html


@pytest.mark.parametrize(
    ("kw", "message", "code"),
    [
        (
            {"status": "revoked", "revoked_on": dt.date(2024, 1, 1)},
            "Chứng thư số của khóa này đã bị thu hồi",
            "certificate_revoked",
        ),
        ({"valid_to": dt.date(2021, 1, 1)}, "đã hết hạn", "certificate_expired"),
    ],
)
def test_a_revoked_or_expired_register_entry_refuses_to_sign(
    world, sign_settings, ca, kw, message, code
):
    d = approved_dossier(world)
    officer_key(sign_settings, ca, world)
    _register(ca, world.a, **kw)
    with pytest.raises(InvalidInput) as err:
        formsigning.sign_form(receipt(d).pk, by=world.desk_officer_a, secret=P12_PASSPHRASE)
    assert message in err.value.message and err.value.fields == {"secret": code}
    assert not SignedForm.objects.exists()


def _apology_letter(world, signer: int | None = None) -> IssuedForm:
    """Form 04 of a dossier received and handed over in agency a, issued by its leader."""
    from motcua.dossiers import services as S
    from tests.desk.conftest import complete_documents
    from tests.dossiers.conftest import APPLICANT
    from tests.helpers import at

    d = S.submit(
        by=world.citizen1,
        procedure=world.procedure,
        receiving_agency=world.a,
        applicant=APPLICANT,
        documents=complete_documents(world.procedure),
        now=at(2025, 10, 24, 8),
    )
    S.receive(d.pk, by=world.desk_officer_a, now=at(2025, 10, 24, 9))
    S.hand_over(d.pk, by=world.desk_officer_a, now=at(2025, 10, 24, 10))
    S.apologise(
        d.pk,
        by=world.leader_a,
        reason="Chờ xác minh",
        new_due_at=at(2025, 11, 10, 9),
        signer=signer,
        now=at(2025, 10, 27, 9),
    )
    return IssuedForm.objects.get(dossier=d, form="04")


def test_a_leader_of_the_agency_signs_the_apology_letter_form_04(world, sign_settings, ca):
    """Forms 04–05 are the agency's letters: its leader signs in the leader's block; the desk
    officer who handled the dossier may not."""
    from tests.signatures.conftest import pkcs12_key

    letter = _apology_letter(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    officer_key(sign_settings, ca, world)
    for user in (world.desk_officer_a, world.specialist_a):
        with pytest.raises(NotAllowed):
            formsigning.sign_form(letter.pk, by=user, secret=P12_PASSPHRASE)
    signed = formsigning.sign_form(letter.pk, by=world.leader_a, secret=P12_PASSPHRASE)
    report = verify_pdf(_data(signed), load_certs(ca.root.cert_pem))
    assert report.ok and [s.field for s in report.signatures] == ["signer"]


def test_a_letter_naming_a_configured_signer_is_signed_by_that_persons_account_only(
    world, sign_settings, ca
):
    """Form 04 prints the signer chosen at issue; another leader of the same agency may not
    sign it in that person's name (before: any leader of the agency could)."""
    from motcua.accounts.models import Membership, Role, User
    from motcua.agencies.models import AgencySigner
    from tests.signatures.conftest import pkcs12_key

    deputy = User.objects.create_user("pho_chu_tich", password="x-Very-long-1")
    Membership.objects.create(user=deputy, agency=world.a, role=Role.LEADER)
    chair = AgencySigner.objects.create(
        agency=world.a, name="Lê Văn An", role="head", position="Chủ tịch", user=world.leader_a
    )
    letter = _apology_letter(world, signer=chair.pk)
    assert formsigning.named_signer(letter) == chair
    assert not formsigning.can_sign_form(deputy, letter)
    with pytest.raises(NotAllowed):
        formsigning.sign_form(letter.pk, by=deputy, secret=P12_PASSPHRASE)
    assert not SignedForm.objects.exists()
    # unlinked, the named signer cannot be signed for by anyone
    AgencySigner.objects.filter(pk=chair.pk).update(user=None)
    assert not formsigning.can_sign_form(world.leader_a, letter)
    AgencySigner.objects.filter(pk=chair.pk).update(user=world.leader_a)
    pkcs12_key(sign_settings, ca, world, seal=False)
    signed = formsigning.sign_form(letter.pk, by=world.leader_a, secret=P12_PASSPHRASE)
    assert signed.signed_by == world.leader_a
