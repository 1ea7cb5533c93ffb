"""A leader signs an approved result: stored once with its hash, the dossier's result is
electronic, the audit trail says so; only the deciding agency's leaders may sign."""

from __future__ import annotations

import hashlib

import pytest
from django.db import DatabaseError, transaction

from motcua.dossiers.errors import ConflictError, InvalidInput, NotAllowed
from motcua.dossiers.models import AuditEvent, Dossier
from motcua.signatures import services
from motcua.signatures.keystores import load_certs
from motcua.signatures.models import ElectronicResult, KeyKind, KeyPurpose, SigningKey
from motcua.signatures.verify import verify_pdf
from tests.signatures.conftest import (
    P12_PASSPHRASE,
    REMOTE_TOKEN,
    approved_dossier,
    pkcs12_key,
)


def _report(result, ca):
    with result.file.open("rb") as f:
        data = f.read()
    return data, verify_pdf(data, load_certs(ca.root.cert_pem))


def test_leader_signs_with_pkcs12_and_the_seal_is_added(world, sign_settings, ca):
    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world)
    result = services.sign_result(d.pk, by=world.leader_a, secret=P12_PASSPHRASE)
    data, report = _report(result, ca)
    assert report.ok, report.as_dict()
    assert [s.field for s in report.signatures] == ["signer", "seal"]
    assert [s.signer for s in report.signatures] == [
        "Nguyễn Văn Lãnh Đạo",
        "Sở Tư pháp thành phố Cần Thơ",
    ]
    assert all(s.level == "PAdES B-LT" for s in report.signatures)
    assert result.sha256 == hashlib.sha256(data).hexdigest() and result.sealed
    assert result.level == "PAdES B-LT"
    d.refresh_from_db()
    assert d.result_electronic
    event = AuditEvent.objects.get(dossier=d, action="sign_result")
    assert event.actor == world.leader_a and event.data["code"] == result.code


def test_the_signed_result_counts_as_electronic_for_indicator_4_1(world, sign_settings, ca):
    """The 766 index's indicator 4.1 reads the statistics fact's e_result, refreshed from
    Dossier.result_electronic: approved without an electronic result, then signed."""
    from motcua.stats.models import DossierFact
    from motcua.stats.services import refresh

    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    refresh()
    assert not DossierFact.objects.get(dossier_id=d.pk).e_result
    services.sign_result(d.pk, by=world.leader_a, secret=P12_PASSPHRASE)
    refresh()
    assert DossierFact.objects.get(dossier_id=d.pk).e_result


def test_the_electronic_result_is_append_only(world, sign_settings, ca):
    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    result = services.sign_result(d.pk, by=world.leader_a, secret=P12_PASSPHRASE)
    assert not result.sealed
    with pytest.raises(DatabaseError), transaction.atomic():
        ElectronicResult.objects.filter(pk=result.pk).update(sha256="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        ElectronicResult.objects.filter(pk=result.pk).delete()


def test_signing_twice_is_a_conflict(world, sign_settings, ca):
    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    services.sign_result(d.pk, by=world.leader_a, secret=P12_PASSPHRASE)
    with pytest.raises(ConflictError):
        services.sign_result(d.pk, by=world.leader_a, secret=P12_PASSPHRASE)


def test_without_tsa_the_result_is_b_b(world, sign_settings, ca):
    sign_settings.SIGN_TSA_URL = ""
    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    result = services.sign_result(d.pk, by=world.leader_a, secret=P12_PASSPHRASE)
    assert result.level == "PAdES B-B"
    assert _report(result, ca)[1].ok


def test_wrong_passphrase_is_a_field_error_and_nothing_is_stored(world, sign_settings, ca):
    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    with pytest.raises(InvalidInput) as err:
        services.sign_result(d.pk, by=world.leader_a, secret="sai")
    assert err.value.fields == {"secret": "bad_passphrase"}
    assert not ElectronicResult.objects.exists()
    assert not Dossier.objects.get(pk=d.pk).result_electronic


def test_only_leaders_of_the_deciding_agency_sign(world, sign_settings, ca):
    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    for user in (world.specialist_a, world.desk_officer_a, world.admin_d):
        with pytest.raises((NotAllowed, InvalidInput)):
            services.sign_result(d.pk, by=user, secret=P12_PASSPHRASE)
    # another agency's leader does not even see the dossier
    with pytest.raises(InvalidInput) as err:
        services.sign_result(d.pk, by=world.leader_b, secret=P12_PASSPHRASE)
    assert err.value.fields == {"dossier": "not_found"}


def test_a_leader_without_a_key_is_told_so(world, sign_settings):
    d = approved_dossier(world)
    with pytest.raises(InvalidInput) as err:
        services.sign_result(d.pk, by=world.leader_a)
    assert err.value.fields == {"secret": "no_key"}


def test_a_dossier_not_approved_cannot_be_signed(world, sign_settings, ca):
    from tests.desk.conftest import new_dossier

    d = new_dossier(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    with pytest.raises(InvalidInput) as err:
        services.sign_result(d.pk, by=world.leader_a, secret=P12_PASSPHRASE)
    assert err.value.fields == {"dossier": "not_approved"}


def test_leader_signs_with_a_softhsm_token(world, sign_settings, ca, token):
    sign_settings.SIGN_PKCS11_MODULE = token.module
    d = approved_dossier(world)
    chain = b"".join(x.cert_pem for x in (ca.signer, ca.intermediate, ca.root)).decode()
    SigningKey.objects.create(
        name="leader-a-token",
        kind=KeyKind.PKCS11,
        purpose=KeyPurpose.PERSONAL,
        agency=world.a,
        user=world.leader_a,
        position="Chủ tịch",
        location=token.label,
        key_label=token.key_label,
        certificate_chain=chain,
    )
    with pytest.raises(InvalidInput) as err:
        services.sign_result(d.pk, by=world.leader_a, secret="000000")
    assert err.value.fields == {"secret": "bad_pin"}
    result = services.sign_result(d.pk, by=world.leader_a, secret=token.pin)
    assert _report(result, ca)[1].ok


def test_leader_signs_through_the_remote_service(world, sign_settings, ca, remote_service):
    sign_settings.SIGN_REMOTE_URL = remote_service.url
    sign_settings.SIGN_REMOTE_TOKEN = REMOTE_TOKEN
    d = approved_dossier(world)
    SigningKey.objects.create(
        name="leader-a-remote",
        kind=KeyKind.REMOTE,
        purpose=KeyPurpose.PERSONAL,
        agency=world.a,
        user=world.leader_a,
        location="leader-remote",
    )
    result = services.sign_result(d.pk, by=world.leader_a)
    assert _report(result, ca)[1].ok
