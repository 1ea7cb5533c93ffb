"""The desk's Ký số action, the citizen's download (own dossier only), the public verification
page and its API: valid, tampered and bad uploads (never a 500)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.signatures.models import ElectronicResult
from tests.desk.conftest import login
from tests.signatures.conftest import P12_PASSPHRASE, approved_dossier, pkcs12_key


@pytest.fixture
def signed(world, sign_settings, ca):
    """An approved dossier of agency A signed by its leader through the desk."""
    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world)
    client = login(world.leader_a)
    page = client.get(reverse("desk:dossier", args=[d.code]))
    assert 'id="sign-form"' in page.content.decode()
    response = client.post(
        reverse("signatures:sign", args=[d.code]),
        {"secret": P12_PASSPHRASE, "with_seal": "on"},
    )
    assert response.status_code == 302
    result = ElectronicResult.objects.get(dossier=d)
    return d, result


def test_desk_sign_then_panel_shows_the_result(world, signed):
    d, result = signed
    page = login(world.leader_a).get(reverse("desk:dossier", args=[d.code])).content.decode()
    assert result.code in page and 'id="sign-form"' not in page
    download = login(world.desk_officer_a).get(reverse("signatures:desk_download", args=[d.code]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_wrong_passphrase_on_the_desk_shows_an_error_and_signs_nothing(world, sign_settings, ca):
    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    client = login(world.leader_a)
    response = client.post(
        reverse("signatures:sign", args=[d.code]), {"secret": "sai"}, follow=True
    )
    assert "Mật khẩu tệp khóa (PKCS#12) không đúng." in response.content.decode()
    assert not ElectronicResult.objects.exists()


def test_no_sign_form_for_a_specialist_and_their_post_is_refused(world, sign_settings, ca):
    d = approved_dossier(world)
    pkcs12_key(sign_settings, ca, world, seal=False)
    client = login(world.specialist_a)
    assert (
        'id="sign-form"' not in client.get(reverse("desk:dossier", args=[d.code])).content.decode()
    )
    client.post(reverse("signatures:sign", args=[d.code]), {"secret": P12_PASSPHRASE})
    assert not ElectronicResult.objects.exists()
    # another agency's officer: the dossier does not exist for them
    other = login(world.leader_b).post(reverse("signatures:sign", args=[d.code]), {})
    assert other.status_code == 404


def test_citizen_downloads_their_own_result_only(world, signed):
    d, result = signed
    owner = login(world.citizen1)
    portal = owner.get(reverse("portal:dossier", args=[d.code])).content.decode()
    assert 'id="electronic-result-link"' in portal and result.code in portal
    response = owner.get(reverse("signatures:citizen_download", args=[d.code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    stranger = login(world.citizen2)
    assert stranger.get(reverse("signatures:citizen_download", args=[d.code])).status_code == 404
    anonymous = Client().get(reverse("signatures:citizen_download", args=[d.code]))
    assert anonymous.status_code == 302


def _stored(result) -> bytes:
    with result.file.open("rb") as f:
        return f.read()


def _verify(client, **data):
    return client.post(reverse("signatures:verify"), data)


def test_verification_page_valid_upload_matches_the_record(signed):
    d, result = signed
    page = _verify(Client(), file=SimpleUploadedFile("kq.pdf", _stored(result)))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-verdict="valid"' in html
    assert "Nguyễn Văn Lãnh Đạo" in html and "motcua Test Root CA" in html
    assert "Chưa bị thu hồi" in html
    assert f"Khớp kết quả {result.code} của hồ sơ {d.code}" in html


def test_verification_by_code(signed):
    _, result = signed
    page = _verify(Client(), code=result.code.lower())
    assert 'data-verdict="valid"' in page.content.decode()
    missing = _verify(Client(), code="KQNOTHING")
    assert missing.status_code == 404
    assert "Không tìm thấy kết quả với mã này." in missing.content.decode()


def test_verification_page_reports_a_flipped_byte(signed):
    _, result = signed
    data = bytearray(_stored(result))
    data[data.index(b"stream") + 40] ^= 0x01
    page = _verify(Client(), file=SimpleUploadedFile("kq.pdf", bytes(data)))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-verdict="modified"' in html
    assert "Không khớp văn bản nào do hệ thống cấp." in html


@pytest.mark.parametrize(
    ("name", "content", "message", "status"),
    [
        ("empty.pdf", b"", "Tệp rỗng.", 400),
        ("x.pdf", b"GIF89a not a pdf", "Tệp không phải là tệp PDF.", 400),
        ("big.pdf", b"%PDF-1.7\n" + b"0" * 2048, "Tệp quá lớn: tối đa 0 MB.", 413),
    ],
)
def test_bad_uploads_get_a_clear_error(sign_settings, name, content, message, status, db):
    sign_settings.SIGN_VERIFY_MAX_BYTES = 1024
    page = _verify(Client(), file=SimpleUploadedFile(name, content))
    assert page.status_code == status
    assert message in page.content.decode()


def test_nothing_submitted(db):
    page = _verify(Client())
    assert page.status_code == 400
    assert "Hãy chọn tệp PDF hoặc nhập mã kết quả." in page.content.decode()


def test_verification_page_renders(db):
    page = Client().get(reverse("signatures:verify"))
    assert page.status_code == 200
    assert "Xác thực văn bản điện tử có chữ ký số" in page.content.decode()


def test_api_verifies_and_answers_problem_details(signed, sign_settings):
    _, result = signed
    client = Client()
    ok = client.post(
        "/api/v1/signatures/verify", {"file": SimpleUploadedFile("a.pdf", _stored(result))}
    )
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["ok"] and body["integrity"] == "intact"
    assert body["record"]["code"] == result.code and body["record"]["matches"]
    assert [s["revocation"] for s in body["signatures"]] == ["good", "good"]
    bad = client.post("/api/v1/signatures/verify", {"file": SimpleUploadedFile("a.pdf", b"nope")})
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    assert bad.json()["code"] == "invalid_upload"
    unknown = client.post("/api/v1/signatures/verify", {"code": "KQNONE"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_result"
