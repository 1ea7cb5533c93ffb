"""One due date everywhere, and the written exchange shown on both sides (issue 9 §5: after a
supplement the portal showed 01/12 while the desk showed 30/11 17:00 and 01/12 07:00; the
citizen's note never reached the desk and the officer's instructions were only in the PDF)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from motcua.core.formats import vn_datetime
from motcua.dossiers import services as S
from tests.dossiers.conftest import at
from tests.portal.conftest import dossier_for, pdf_upload

pytestmark = pytest.mark.django_db

RECEIVED = at(2025, 3, 3, 17, 0)  # Monday, at the close: the due date is at 17:00 too


def _received_then_supplemented_after_hours(world):
    d = dossier_for(world, now=at(2025, 3, 3, 16, 0))
    d = S.receive(d.pk, by=world.desk_officer_a, now=RECEIVED)
    d = S.hand_over(d.pk, by=world.desk_officer_a, now=at(2025, 3, 4, 8))
    S.request_supplement(
        d.pk,
        by=world.specialist_a,
        missing=[S.MissingItem("Bản sao giấy chứng sinh", "Bản sao có chứng thực")],
        note="Nộp thêm bản sao trước ngày 10/3",
        now=at(2025, 3, 4, 18, 0),  # after hours: no working time is paused
    )
    return d


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_supplement_with_no_paused_working_time_keeps_the_due_date(world):
    d = _received_then_supplemented_after_hours(world)
    due = d.due_at
    assert vn_datetime(due).endswith("17:00")
    d = S.supplement(d.pk, by=world.citizen1, now=at(2025, 3, 4, 19, 0))
    assert d.effective_due_at == due  # was the next morning, 07:00


def test_every_surface_shows_the_same_due_date_with_its_time(world):
    d = _received_then_supplemented_after_hours(world)
    d = S.supplement(d.pk, by=world.citizen1, now=at(2025, 3, 4, 19, 0))
    shown = vn_datetime(d.effective_due_at)  # "10/03/2025 17:00"
    portal = _login(world.citizen1)
    assert f'<dd id="dossier-due">{shown}</dd>' in portal.get(f"/ho-so/{d.code}/").content.decode()
    assert shown in portal.get("/ho-so/").content.decode()
    desk = _login(world.desk_officer_a).get(f"/desk/dossiers/{d.code}/").content.decode()
    assert f'<dd id="dossier-due">{shown}</dd>' in desk
    assert "/2025 07:00" not in desk  # no second, shifted date
    api = _login(world.desk_officer_a).get(f"/api/v1/dossiers/{d.code}")
    body = json.loads(api.content)
    assert body["effective_due_at"] == "2025-03-10T17:00:00+07:00"
    tracking = Client().get("/tra-cuu/", {"code": d.code, "digits": "4567"}).content.decode()
    assert f'<dd id="track-due">{shown}</dd>' in tracking


def test_officer_instructions_and_citizen_note_appear_on_both_sides(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    d = _received_then_supplemented_after_hours(world)
    portal = _login(world.citizen1)
    page = portal.get(f"/ho-so/{d.code}/").content.decode()
    assert "Nộp thêm bản sao trước ngày 10/3" in page  # the officer's note, not only in the PDF
    assert "Bản sao có chứng thực" in page
    response = portal.post(
        f"/ho-so/{d.code}/bo-sung/",
        {"files": [pdf_upload("chung-sinh.pdf")], "note": "Đã gửi bản sao có chứng thực"},
    )
    assert response.status_code == 302
    desk = _login(world.specialist_a).get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "Đã gửi bản sao có chứng thực" in desk  # the citizen's note reaches the desk
    assert "Nộp thêm bản sao trước ngày 10/3" in desk and "Bản sao có chứng thực" in desk
    after = portal.get(f"/ho-so/{d.code}/").content.decode()
    assert "Đã gửi bản sao có chứng thực" in after and "Nộp thêm bản sao trước ngày 10/3" in after
