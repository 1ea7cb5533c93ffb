"""The counter tablet (no login, device token) and the Form 07 log."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from motcua.dossiers.models import IssuedForm
from motcua.ratings.models import Rating
from motcua.ratings.services import register_kiosk

from .conftest import login, new_dossier


def test_bad_token_is_refused(world):
    for url in ("/desk/kiosk/not-a-token/", "/desk/kiosk/", "/desk/kiosk/setup/nope/"):
        response = Client().get(url)
        assert response.status_code == 403, url
        assert "Thiết bị chưa được đăng ký" in response.content.decode()
    assert Client().post("/desk/kiosk/nope/", {"level": "satisfied"}).status_code == 403
    assert not Rating.objects.exists()


def test_kiosk_rating_with_officer_and_dossier(world):
    device, token = register_kiosk(world.a, "Quầy 1")
    d = new_dossier(world)
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/desk/kiosk/{token}/")
    html = page.content.decode()
    assert "Rất hài lòng" in html and "Không hài lòng" in html
    assert "desk_officer_a" in html and "desk_officer_b" not in html
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        f"/desk/kiosk/{token}/",
        {
            "level": "very_satisfied",
            "officer": world.desk_officer_a.pk,
            "dossier_code": d.code,
            "csrfmiddlewaretoken": csrf,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?thanks=1")
    rating = Rating.objects.get()
    assert (rating.level, rating.officer, rating.dossier, rating.device) == (
        "very_satisfied",
        world.desk_officer_a,
        d,
        device,
    )
    thanks = client.get(response["Location"]).content.decode()
    assert "Xin cảm ơn" in thanks and f'url=/desk/kiosk/{token}/"' in thanks


def test_kiosk_bad_input(world):
    _, token = register_kiosk(world.a, "Quầy 2")
    client = Client()
    no_level = client.post(f"/desk/kiosk/{token}/", {"level": ""})
    assert (
        no_level.status_code == 400
        and "Vui lòng chọn mức độ hài lòng." in no_level.content.decode()
    )
    outsider = client.post(
        f"/desk/kiosk/{token}/", {"level": "satisfied", "officer": world.desk_officer_b.pk}
    )
    assert outsider.status_code == 400
    assert "Cán bộ không thuộc cơ quan của quầy này." in outsider.content.decode()
    unknown = client.post(f"/desk/kiosk/{token}/", {"level": "satisfied", "dossier_code": "X-1"})
    assert "Không tìm thấy hồ sơ tại quầy này." in unknown.content.decode()
    assert not Rating.objects.exists()


def test_kiosk_setup_keeps_the_token_in_a_cookie(world):
    _, token = register_kiosk(world.a, "Quầy 3")
    client = Client()
    setup = client.get(f"/desk/kiosk/setup/{token}/")
    assert setup.status_code == 302 and setup["Location"] == "/desk/kiosk/"
    assert setup.cookies["motcua_kiosk"]["httponly"]
    assert client.post("/desk/kiosk/", {"level": "satisfied"}).status_code == 302
    assert Rating.objects.get().channel == "kiosk"


def test_form_07_log_for_a_date_range(world):
    d = new_dossier(world)
    today = timezone.localdate()
    client = login(world.desk_officer_a)
    bad = client.post(
        "/desk/log/",
        {"agency": world.a.pk, "start": today, "end": today - dt.timedelta(days=1)},
    )
    assert bad.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu." in bad.content.decode()
    foreign = client.post("/desk/log/", {"agency": world.b.pk, "start": today, "end": today})
    assert foreign.status_code == 400
    response = client.post("/desk/log/", {"agency": world.a.pk, "start": today, "end": today})
    log = IssuedForm.objects.get(form="07")
    assert response["Location"] == f"/desk/log/{log.pk}/"
    assert d.code in client.get(response["Location"]).content.decode()
    assert client.get(f"/desk/log/{log.pk}/pdf/")["Content-Type"] == "application/pdf"
    assert login(world.desk_officer_b).get(f"/desk/log/{log.pk}/").status_code == 404
