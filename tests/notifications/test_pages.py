"""The pages: channel preferences (portal, desk), notifications on the dossier timeline for the
officer and the dossier's own citizen, the operator page of background jobs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.accounts.models import Membership, Role
from motcua.core.models import ChangeEvent
from motcua.dossiers.models import Dossier
from motcua.jobs import enqueue_on_commit, rules
from motcua.jobs.models import Job
from motcua.notifications.models import Preference
from motcua.notifications.services import deadline_reminders
from tests.jobs import sample_tasks
from tests.notifications.test_notifications import received

pytestmark = pytest.mark.django_db


def test_a_citizen_chooses_channels_in_the_profile(client, world):
    client.force_login(world.citizen1)
    page = client.get("/tai-khoan/thong-bao/")
    assert page.status_code == 200
    assert "Kênh nhận thông báo" in page.content.decode()
    saved = client.post(
        "/tai-khoan/thong-bao/", {"channels": ["email", "zalo"], "language": "en"}, follow=True
    )
    assert "Đã lưu kênh nhận thông báo." in saved.content.decode()
    pref = Preference.objects.get(user=world.citizen1)
    assert (pref.channels(), pref.language) == (["email", "zalo"], "en")
    assert ChangeEvent.objects.filter(action="notifications.preferences").count() == 1
    bad = client.post("/tai-khoan/thong-bao/", {"channels": ["fax"], "language": "vi"})
    assert bad.status_code == 400
    assert "Vui lòng kiểm tra lại các lựa chọn." in bad.content.decode()
    assert "/tai-khoan/thong-bao/" in client.get("/tai-khoan/").content.decode()


def test_an_officer_chooses_channels_on_the_desk_and_a_citizen_may_not(client, world):
    client.force_login(world.specialist_a)
    assert client.get("/desk/thong-bao/").status_code == 200
    client.post("/desk/thong-bao/", {"channels": [], "language": "vi"})
    assert Preference.objects.get(user=world.specialist_a).channels() == []
    client.force_login(world.citizen1)
    assert client.get("/desk/thong-bao/").status_code == 403


def test_the_timeline_shows_notifications_to_the_officer_and_the_own_citizen(
    client, world, channels, settle, django_capture_on_commit_callbacks
):
    world.leader_a.email = "leader_a@cantho.gov.vn"
    world.leader_a.save()
    d = received(world, django_capture_on_commit_callbacks)
    settle()
    Dossier.objects.filter(pk=d.pk).update(effective_due_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        deadline_reminders()
    settle()
    client.force_login(world.desk_officer_a)
    desk = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert 'id="notifications"' in desk
    assert desk.count('class="notification"') == 3  # e-mail + SMS to the citizen, the leader
    assert "n***@example.vn" in desk and "lea***@cantho.gov.vn" not in desk
    assert "l***@cantho.gov.vn" in desk
    assert "Hồ sơ quá hạn" in desk and "Đã gửi" in desk

    client.force_login(world.citizen1)
    portal = client.get(f"/ho-so/{d.code}/").content.decode()
    assert portal.count('class="notification"') == 2  # not the reminder to the leader
    assert "Hồ sơ đã được tiếp nhận" in portal and "Hồ sơ quá hạn" not in portal
    client.force_login(world.citizen2)
    assert client.get(f"/ho-so/{d.code}/").status_code == 404


def test_the_operator_page_lists_dead_jobs_and_retries_them(
    client, world, settings, django_capture_on_commit_callbacks
):
    from motcua.jobs.worker import drain

    settings.MOTCUA_TASKS_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(sample_tasks.always_fails, "page", idempotency_key="page:dead")
    drain()
    job = Job.objects.get(key="page:dead")
    assert job.state == rules.DEAD
    client.force_login(world.specialist_a)
    assert client.get("/desk/tac-vu/").status_code == 403  # officers are not operators
    assert Membership.objects.filter(user=world.admin_p, role=Role.PROVINCE_ADMIN).exists()
    client.force_login(world.admin_p)
    page = client.get("/desk/tac-vu/?state=dead").content.decode()
    assert "always_fails" in page and "ConnectionError: gateway down for page" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/desk/tac-vu/?state=dead", {"job": job.pk}, follow=True)
    assert f"Tác vụ {job.pk} sẽ được chạy lại." in done.content.decode()
    assert Job.objects.get(pk=job.pk).state == rules.PENDING
    assert ChangeEvent.objects.filter(action="job.retry", actor=world.admin_p).exists()
    for bad in ("abc", "9" * 40, "-1", "١٢"):
        again = client.post("/desk/tac-vu/", {"job": bad}, follow=True)
        assert again.status_code == 200 and "Sai mã tác vụ." in again.content.decode(), bad
