"""The signing keys' admin page (docs/signatures.md "Key stores" points administrators to it)."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.signatures.models import SigningKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    root = User.objects.create_superuser("quantri", password="x-Very-long-1")
    client.force_login(root)
    return client


def test_an_administrator_registers_a_key_and_the_change_is_in_the_history(admin_client):
    agency = Agency.objects.create(code="000.00.31.H13", name_vi="Sở Tư pháp", level="department")
    leader = User.objects.create_user("giamdoc", password="x-Very-long-1", full_name="Lê Văn An")
    assert admin_client.get(reverse("admin:signatures_signingkey_changelist")).status_code == 200
    resp = admin_client.post(
        reverse("admin:signatures_signingkey_add"),
        {
            "name": "giam-doc-stp",
            "kind": "pkcs12",
            "purpose": "personal",
            "agency": agency.pk,
            "user": leader.pk,
            "position": "Giám đốc",
            "location": "giam-doc-stp.p12",
            "active": "on",
        },
    )
    assert resp.status_code == 302, resp.content[:2000]
    key = SigningKey.objects.get(name="giam-doc-stp")
    assert (key.agency, key.user, key.position) == (agency, leader, "Giám đốc")
    assert LogEntry.objects.filter(object_id=str(key.pk), action_flag=1).exists()


def test_a_personal_key_without_its_signer_is_refused_beside_the_field(admin_client):
    agency = Agency.objects.create(code="000.00.31.H13", name_vi="Sở Tư pháp", level="department")
    resp = admin_client.post(
        reverse("admin:signatures_signingkey_add"),
        {"name": "k", "kind": "pkcs12", "purpose": "personal", "agency": agency.pk,
         "location": "k.p12"},
    )  # fmt: skip
    assert resp.status_code == 200 and b"errornote" in resp.content
    assert not SigningKey.objects.exists()


def test_keys_are_never_deleted_from_the_admin(admin_client):
    agency = Agency.objects.create(code="000.00.31.H13", name_vi="Sở Tư pháp", level="department")
    key = SigningKey.objects.create(
        name="dau-stp", kind="pkcs12", purpose="seal", agency=agency, location="seal.p12"
    )
    resp = admin_client.post(
        reverse("admin:signatures_signingkey_delete", args=[key.pk]), {"post": "yes"}
    )
    assert resp.status_code == 403
    assert SigningKey.objects.filter(pk=key.pk).exists()
