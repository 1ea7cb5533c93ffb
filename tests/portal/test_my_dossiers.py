"""My dossiers: only one's own (id guessing on every URL), forms, supplement, withdraw, rating."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from motcua.dossiers import services as S
from motcua.dossiers.attachments import attach
from motcua.dossiers.models import Dossier
from motcua.ratings.models import Rating
from tests.portal.conftest import PDF, dossier_for, exe_as_pdf, pdf_upload

pytestmark = pytest.mark.django_db


def received(world) -> Dossier:
    d = dossier_for(world)
    attach(d.pk, by=world.citizen1, upload=io.BytesIO(PDF), name="to-khai.pdf")
    return S.receive(d.pk, by=world.desk_officer_a)


def urls(d: Dossier) -> list[tuple[str, str]]:
    digest = d.attachments.first().sha256[:16]
    base = f"/ho-so/{d.code}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/bieu-mau/01/1/"),
        ("get", f"{base}/tep/{digest}/"),
        ("post", f"{base}/bo-sung/"),
        ("post", f"{base}/rut/"),
        ("post", f"{base}/danh-gia/"),
        ("post", f"/payments/start/{d.code}/"),
    ]


def test_my_dossiers_lists_own_dossiers_with_status_and_due_date(client, world):
    mine = received(world)
    theirs = dossier_for(world, user=world.citizen2)
    client.force_login(world.citizen1)
    page = client.get("/ho-so/").content.decode()
    assert mine.code in page and theirs.code not in page
    assert "Đã tiếp nhận" in page
    assert timezone.localtime(mine.effective_due_at).strftime("%d/%m/%Y") in page


def test_another_citizen_gets_404_on_every_dossier_url(client, world):
    d = received(world)
    client.force_login(world.citizen2)
    for method, url in urls(d):
        response = getattr(client, method)(url, {"confirm": "on", "level": "satisfied"})
        assert response.status_code == 404, url
    d.refresh_from_db()
    assert d.state == "received" and not d.payments.exists()


def test_anonymous_is_sent_to_login_on_every_dossier_url(client, world):
    d = received(world)
    for method, url in urls(d):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url


def test_officer_in_scope_is_not_an_applicant_on_the_portal(client, world):
    d = received(world)
    client.force_login(world.desk_officer_a)
    assert client.get(f"/ho-so/{d.code}/").status_code == 404


def test_receipt_form_01_downloads_as_pdf_and_timeline_shows(client, world):
    d = received(world)
    client.force_login(world.citizen1)
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert 'id="form-01-1"' in page
    assert "Tiếp nhận hồ sơ" in page and "Nộp hồ sơ trực tuyến" in page
    response = client.get(f"/ho-so/{d.code}/bieu-mau/01/1/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/ho-so/{d.code}/bieu-mau/01/2/").status_code == 404
    assert client.get(f"/ho-so/{d.code}/bieu-mau/06/1/").status_code == 404  # internal form
    download = client.get(f"/ho-so/{d.code}/tep/{d.attachments.first().sha256[:16]}/")
    assert b"".join(download.streaming_content) == PDF


def test_supplement_request_answered_by_upload_resumes_the_clock(client, world):
    d = received(world)
    S.hand_over(d.pk, by=world.desk_officer_a)
    S.request_supplement(
        d.pk, by=world.specialist_a, missing=[S.MissingItem("Bản sao Giấy khai sinh", "Bản sao y")]
    )
    client.force_login(world.citizen1)
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert 'id="supplement-form"' in page and "Bản sao Giấy khai sinh" in page
    # no file, then a renamed executable: refused, nothing changes
    assert client.post(f"/ho-so/{d.code}/bo-sung/", {}).status_code == 400
    response = client.post(f"/ho-so/{d.code}/bo-sung/", {"files": [exe_as_pdf()]})
    assert response.status_code == 400
    assert "Định dạng tệp không được chấp nhận" in response.content.decode()
    d.refresh_from_db()
    assert d.state == "supplement_requested" and d.attachments.count() == 1
    response = client.post(f"/ho-so/{d.code}/bo-sung/", {"files": [pdf_upload("ban-sao.pdf")]})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == "in_process"
    assert d.pauses.get().ended_at is not None
    assert d.attachments.filter(purpose="supplement", original_name="ban-sao.pdf").exists()


def test_withdraw_needs_confirmation(client, world):
    d = received(world)
    client.force_login(world.citizen1)
    response = client.post(f"/ho-so/{d.code}/rut/", {"reason": "Nộp nhầm"})
    assert response.status_code == 400 and "Vui lòng xác nhận" in response.content.decode()
    response = client.post(f"/ho-so/{d.code}/rut/", {"reason": "Nộp nhầm", "confirm": "on"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == "withdrawn"
    # withdrawing again is an illegal transition, shown as a message, not a crash
    response = client.post(f"/ho-so/{d.code}/rut/", {"confirm": "on"})
    assert response.status_code == 400 and "Không thể thực hiện" in response.content.decode()


def test_rating_once_after_the_result_is_returned(client, world):
    d = received(world)
    S.hand_over(d.pk, by=world.desk_officer_a)
    S.hand_over(d.pk, by=world.specialist_a)
    S.approve(d.pk, by=world.leader_a, result_documents=["Trích lục khai sinh"])
    client.force_login(world.citizen1)
    # not returned yet: no rating form, and a forged post is refused
    assert 'id="rating-form"' not in client.get(f"/ho-so/{d.code}/").content.decode()
    assert client.post(f"/ho-so/{d.code}/danh-gia/", {"level": "satisfied"}).status_code == 400
    d.fees.update(paid_vnd=8000, paid_at=d.submitted_at, payment_channel="cash")
    S.return_result(d.pk, by=world.desk_officer_a)
    assert 'id="rating-form"' in client.get(f"/ho-so/{d.code}/").content.decode()
    assert client.post(f"/ho-so/{d.code}/danh-gia/", {"level": "great"}).status_code == 400
    response = client.post(
        f"/ho-so/{d.code}/danh-gia/", {"level": "very_satisfied", "comment": "Nhanh, gọn"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get(dossier=d)
    assert (rating.level, rating.comment, rating.rated_by) == (
        "very_satisfied",
        "Nhanh, gọn",
        world.citizen1,
    )
    page = client.get(f"/ho-so/{d.code}/").content.decode()
    assert 'id="rating-done"' in page and 'id="rating-form"' not in page
    assert client.post(f"/ho-so/{d.code}/danh-gia/", {"level": "satisfied"}).status_code == 400
    assert Rating.objects.count() == 1
