"""Writes through the services: status transitions in a transaction, each in the change log;
certificate files parsed with ``cryptography`` and refused when they contradict the register."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from motcua.certificates import services, x509
from motcua.certificates.models import Certificate
from motcua.certificates.rules import (
    CertificateError,
    Status,
    active_on,
    effective_status,
    normalize_serial,
)
from motcua.core.models import ChangeEvent
from tests.certificates.conftest import ISSUER, add, entry

UTC = dt.UTC


def make_cert(
    serial: int = 0x5403F2A1,
    issuer: str = ISSUER,
    start: dt.datetime = dt.datetime(2021, 2, 28, 17, 0, tzinfo=UTC),  # 01/03/2021 in Vietnam
    end: dt.datetime = dt.datetime(2026, 2, 28, 16, 59, tzinfo=UTC),
) -> cx509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = cx509.Name(
        [
            cx509.NameAttribute(cx509.NameOID.COMMON_NAME, "Nguyễn Văn An"),
            cx509.NameAttribute(cx509.NameOID.ORGANIZATION_NAME, "Sở Tư pháp"),
        ]
    )
    return (
        cx509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(cx509.Name([cx509.NameAttribute(cx509.NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )


def pem(cert: cx509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def der(cert: cx509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


# -- pure rules ---------------------------------------------------------------------------


def test_serials_are_compared_in_one_spelling():
    assert normalize_serial("54 03:F2-a1") == normalize_serial("0x005403f2A1") == "5403f2a1"
    for bad in ("", "xyz", "12 34 G5", "1" * 65, "٣٤"):
        with pytest.raises(CertificateError):
            normalize_serial(bad)


def test_expired_is_derived_from_the_validity():
    end = dt.date(2026, 2, 28)
    assert effective_status(Status.ACTIVE, end, dt.date(2026, 2, 28)) == Status.ACTIVE
    assert effective_status(Status.ACTIVE, end, dt.date(2026, 3, 1)) == Status.EXPIRED
    assert effective_status(Status.REVOKED, end, dt.date(2030, 1, 1)) == Status.REVOKED


def test_active_on_a_day():
    start, end = dt.date(2021, 3, 1), dt.date(2026, 2, 28)
    assert active_on(dt.date(2021, 9, 30), start, end, None, None)
    assert not active_on(dt.date(2021, 2, 28), start, end, None, None)
    assert not active_on(dt.date(2021, 9, 30), start, end, dt.date(2021, 9, 30), None)
    assert active_on(dt.date(2021, 9, 30), start, end, dt.date(2021, 10, 1), None)
    assert not active_on(dt.date(2021, 9, 30), start, end, None, dt.date(2021, 5, 1))


# -- certificate files --------------------------------------------------------------------


def test_a_pem_or_der_file_fills_serial_issuer_subject_and_validity():
    cert = make_cert()
    for data in (pem(cert), der(cert)):
        info = x509.read(data)
        assert info.serial == "5403f2a1"
        assert info.issuer == ISSUER
        assert "Nguyễn Văn An" in info.subject_dn and info.subject_cn == "Nguyễn Văn An"
        assert info.valid_from == dt.date(2021, 3, 1)  # local dates, not UTC
        assert info.valid_to == dt.date(2026, 2, 28)


def test_a_file_that_is_no_certificate_is_refused_clearly():
    for data in (b"", b"hello", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                 b"\x30" * 100_000):  # fmt: skip
        with pytest.raises(CertificateError) as refused:
            x509.read(data)
        assert refused.value.fields == ("file",)


def test_creating_with_a_matching_file_keeps_it(world):
    cert = services.create(world.office, entry(world.justice), file=pem(make_cert()))
    assert len(cert.fingerprint) == 64 and bytes(cert.der)
    assert cert.subject_dn.startswith("O=Sở Tư pháp") or "CN=Nguyễn Văn An" in cert.subject_dn


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"serial": 0xDEAD}, "số hiệu"),
        ({"issuer": "VNPT Certification Authority"}, "tổ chức cấp"),
        ({"end": dt.datetime(2027, 2, 28, 16, 59, tzinfo=UTC)}, "hiệu lực đến"),
    ],
)
def test_a_file_that_contradicts_the_register_is_refused(world, kwargs, field):
    with pytest.raises(CertificateError) as refused:
        services.create(world.office, entry(world.justice), file=pem(make_cert(**kwargs)))
    assert field in refused.value.message
    assert not Certificate.objects.exists()
    cert = add(world.justice)
    with pytest.raises(CertificateError):
        services.attach_file(world.office, cert.pk, der(make_cert(**kwargs)))
    cert.refresh_from_db()
    assert not cert.fingerprint
    services.attach_file(world.office, cert.pk, der(make_cert()))
    cert.refresh_from_db()
    assert cert.fingerprint
    assert ChangeEvent.objects.filter(action="certificate.file", object_id=str(cert.pk)).exists()


# -- status transitions -------------------------------------------------------------------


def test_revocation_is_recorded_audited_and_final(world):
    cert = add(world.justice)
    services.revoke(world.justice_leader, cert.pk, on=dt.date(2021, 9, 1), reason="Nghỉ hưu")
    cert.refresh_from_db()
    assert cert.status == Status.REVOKED and cert.revoked_on == dt.date(2021, 9, 1)
    event = ChangeEvent.objects.get(action="certificate.status", object_id=str(cert.pk))
    assert event.actor == world.justice_leader
    assert event.data == {
        "from": "active",
        "to": "revoked",
        "on": "2021-09-01",
        "reason": "Nghỉ hưu",
    }
    for step in (
        lambda: services.revoke(world.office, cert.pk, on=dt.date(2021, 9, 2), reason="x"),
        lambda: services.mark_returned(world.office, cert.pk, on=dt.date(2021, 9, 2)),
    ):
        with pytest.raises(CertificateError):
            step()
    assert ChangeEvent.objects.filter(action="certificate.status").count() == 1


def test_return_is_recorded_with_its_note(world):
    cert = add(world.notary)
    services.mark_returned(world.justice_leader, cert.pk, on=dt.date(2021, 8, 1), note="Kèm token")
    cert.refresh_from_db()
    assert cert.status == Status.RETURNED and cert.returned_on == dt.date(2021, 8, 1)
    assert "Kèm token" in cert.notes


def test_a_refused_transition_leaves_nothing(world):
    cert = add(world.justice)
    with pytest.raises(CertificateError):
        services.revoke(world.office, cert.pk, on=dt.date(2020, 1, 1), reason="trước ngày cấp")
    with pytest.raises(CertificateError):
        services.revoke(world.office, cert.pk, on=dt.date(2021, 9, 1), reason="  ")
    cert.refresh_from_db()
    assert cert.status == Status.ACTIVE and cert.revoked_on is None
    assert not ChangeEvent.objects.filter(action="certificate.status").exists()


def test_only_managers_of_the_agency_change_a_status(world):
    cert = add(world.justice)
    for user in (world.justice_officer, world.health_officer, world.citizen):
        with pytest.raises(CertificateError):
            services.revoke(user, cert.pk, on=dt.date(2021, 9, 1), reason="x")
    cert.refresh_from_db()
    assert cert.status == Status.ACTIVE


def test_the_same_serial_twice_from_one_issuer_is_refused(world):
    add(world.justice, "aa01")
    with pytest.raises(CertificateError):
        add(world.health, "00AA01")
    add(world.health, "aa01", issuer="VNPT-CA")
