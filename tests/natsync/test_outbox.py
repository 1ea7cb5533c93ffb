"""The national-portal outbox over real HTTP against the fake portal: happy path, outage and
recovery, time-out, duplicate delivery, order per dossier, dead items and re-queueing."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier, SyncItem
from motcua.natsync import services
from motcua.natsync.client import default_client
from tests.dossiers.conftest import submit
from tests.helpers import at

State = SyncItem.State
LATER = at(2025, 1, 24, 12)


def _received(world) -> Dossier:
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    return Dossier.objects.get(pk=pk)


def _states(dossier) -> list[str]:
    return list(
        SyncItem.objects.filter(dossier=dossier)
        .order_by("event_id")
        .values_list("state", flat=True)
    )


def test_happy_path_sends_vietnamese_fields_in_order(world, portal):
    d = _received(world)
    totals = services.deliver_due(now=LATER)
    assert totals["sent"] == 2
    record = portal.dossiers[d.code]
    assert record["MaTTHC"] == "1.004884"
    assert record["TenTTHC"] == "Thủ tục đăng ký lại khai sinh"
    assert record["ChuHoSo"] == "Nguyễn Thị Hồng Nhung"
    assert record["LoaiDoiTuong"] == "1"
    assert record["TrangThaiHoSo"] == "2"  # received
    assert record["KenhThucHien"] == "2"  # online
    assert record["NgayTiepNhan"] == "20250124100000"  # yyyyMMddHHmmss, Vietnam time
    assert record["DanhSachLePhi"] == [] or isinstance(record["DanhSachLePhi"], list)
    assert [p["TrangThai"] for p in portal.progress] == ["1", "2"]
    syncs = [c for c in portal.calls if c.get("service") == "DongBoHoSoMC"]
    assert [c["isUpdating"] for c in syncs] == ["False", "True"]
    assert portal.calls[0]["path"] == "/login"
    assert all(c.get("madonvi") == "000.00.00.H13" for c in portal.calls[1:])
    assert _states(d) == [State.SENT, State.SENT]
    d.refresh_from_db()
    assert d.national_synced_at == LATER
    # nothing left: a second sweep sends nothing
    assert services.deliver_due(now=LATER)["sent"] == 0


def test_outage_then_recovery(world, portal):
    d = _received(world)
    portal.down = True
    totals = services.deliver_due(now=LATER)
    assert totals == {"dossiers": 1, "sent": 0, "failed": 1, "blocked": 0}
    first = SyncItem.objects.filter(dossier=d).order_by("event_id").first()
    assert first.state == State.FAILED and first.attempts == 1
    assert "503" in first.last_error
    assert first.next_attempt_at == LATER + dt.timedelta(seconds=30)
    assert _states(d) == [State.FAILED, State.PENDING]  # the later one is not tried
    portal.down = False
    # not due yet: the sweep waits for the back-off
    assert services.deliver_due(now=LATER + dt.timedelta(seconds=10))["sent"] == 0
    totals = services.deliver_due(now=LATER + dt.timedelta(seconds=31))
    assert totals["sent"] == 2
    assert _states(d) == [State.SENT, State.SENT]
    assert portal.dossiers[d.code]["TrangThaiHoSo"] == "2"


def test_backoff_grows_and_caps():
    assert services.backoff(1) == dt.timedelta(seconds=30)
    assert services.backoff(3) == dt.timedelta(seconds=120)
    assert services.backoff(20) == dt.timedelta(hours=1)


def test_timeout_is_a_retryable_failure(world, portal):
    d = Dossier.objects.get(pk=submit(world))
    portal.fail_next("timeout")  # the login call hangs longer than NATSYNC_TIMEOUT
    services.deliver_due(now=LATER)
    item = SyncItem.objects.get(dossier=d)
    assert item.state == State.FAILED
    assert "quá thời gian" in item.last_error
    services.deliver_due(now=LATER + dt.timedelta(minutes=1))
    item.refresh_from_db()
    assert item.state == State.SENT and item.attempts == 2


def test_lost_answer_is_not_created_twice(world, portal):
    """The portal stored the create but its answer was lost: the retry looks the dossier up
    (TraCuuHoSo) and updates instead of creating it a second time."""
    d = Dossier.objects.get(pk=submit(world))
    portal.fail_next(None, None, "lost")  # login, TraCuuHoSo, then the DongBoHoSoMC answer
    services.deliver_due(now=LATER)
    assert SyncItem.objects.get(dossier=d).state == State.FAILED
    assert d.code in portal.dossiers
    services.deliver_due(now=LATER + dt.timedelta(minutes=1))
    assert SyncItem.objects.get(dossier=d).state == State.SENT
    syncs = [c["isUpdating"] for c in portal.calls if c.get("service") == "DongBoHoSoMC"]
    assert syncs == ["False", "True"]
    assert len(portal.dossiers) == 1


def test_duplicate_delivery_is_harmless(world, portal):
    d = _received(world)
    services.deliver_due(now=LATER)
    SyncItem.objects.filter(dossier=d).update(state=State.PENDING)  # delivered again
    services.deliver_due(now=LATER)
    assert len(portal.dossiers) == 1
    assert [p["TrangThai"] for p in portal.progress] == ["1", "2"]  # not twice


def test_a_later_item_never_overtakes_an_earlier_failed_one(world, portal):
    pk = submit(world)
    portal.down = True
    services.deliver_due(now=LATER)
    portal.down = False
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    d = Dossier.objects.get(pk=pk)
    # the task engine's retry ignores the schedule but never the order
    services.deliver_dossier(pk, client=default_client(), now=LATER)
    assert _states(d) == [State.SENT, State.SENT]
    assert [p["TrangThai"] for p in portal.progress] == ["1", "2"]


def test_refused_content_is_dead_blocks_the_dossier_and_is_requeued(world, portal, capsys):
    d = _received(world)
    portal.fail_next(None, None, "error")  # login, lookup, then DongBoHoSoMC refused
    services.deliver_due(now=LATER)
    assert _states(d) == [State.DEAD, State.PENDING]
    assert services.deliver_due(now=LATER + dt.timedelta(hours=2))["blocked"] == 1
    assert d.code not in portal.dossiers
    call_command("sync", "requeue", d.code)
    assert "1 mục" in capsys.readouterr().out
    services.deliver_due(now=LATER + dt.timedelta(hours=2))
    assert _states(d) == [State.SENT, State.SENT]


def test_expired_session_logs_in_again(world, portal):
    d = Dossier.objects.get(pk=submit(world))
    services.deliver_due(now=LATER)
    portal.fail_next("expire")
    S.receive(d.pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    services.deliver_due(now=LATER)
    assert _states(d) == [State.SENT, State.SENT]
    assert portal.services_called().count("login") == 2


def test_sync_off_without_url_keeps_events_pending(world, settings):
    settings.NATSYNC_URL = ""
    d = _received(world)
    from motcua.natsync import queries

    assert queries.counts(d.pk)["pending"] == 2
