"""Public tracking: status and dates only, same answer for unknown and wrong, rate-limited."""

from __future__ import annotations

import pytest

from tests.portal.conftest import dossier_for

pytestmark = pytest.mark.django_db


def track(client, code, digits, ip="10.0.0.1"):
    return client.get("/tra-cuu/", {"code": code, "digits": digits}, REMOTE_ADDR=ip)


def test_found_by_phone_or_id_digits_shows_status_never_the_name(client, world):
    d = dossier_for(world)  # phone 0901234567, ID 092190001234
    for digits in ("4567", "1234"):
        page = track(client, d.code, digits).content.decode()
        assert 'id="track-found"' in page and "Mới đăng ký" in page
        assert "Nguyễn Thị Hồng Nhung" not in page and "Nhung" not in page
        assert "0901234567" not in page and "092190001234" not in page


def test_unknown_code_and_wrong_digits_get_the_same_answer(client, world):
    d = dossier_for(world)
    wrong = track(client, d.code, "0000")
    unknown = track(client, "000.01.21.H13-200101-9999", "4567")
    assert wrong.status_code == unknown.status_code == 200
    strip = lambda r: r.content.decode().split('id="tracking-result"')[1]  # noqa: E731
    assert strip(wrong) == strip(unknown).replace("000.01.21.H13-200101-9999", d.code)
    assert 'id="track-not-found"' in strip(wrong)


def test_bad_digits_are_a_form_error(client, world):
    page = track(client, "X", "12a4").content.decode()
    assert "Vui lòng nhập đúng 4 chữ số." in page and 'id="track-found"' not in page


def test_rate_limit_per_ip(client, world, settings):
    settings.MOTCUA_TRACKING_PER_HOUR = 3
    d = dossier_for(world)
    for _ in range(3):
        assert track(client, d.code, "0000").status_code == 200
    limited = track(client, d.code, "4567")
    assert limited.status_code == 429
    assert 'id="track-limited"' in limited.content.decode()
    assert 'id="track-found"' not in limited.content.decode()
    # another address is counted apart
    assert 'id="track-found"' in track(client, d.code, "4567", ip="10.0.0.2").content.decode()
