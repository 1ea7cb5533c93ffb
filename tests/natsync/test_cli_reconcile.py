"""``motcua sync status / reconcile / catalog`` and the mapping profiles, against the fake
portal over real HTTP."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.models import Procedure
from motcua.dossiers import services as S
from motcua.dossiers.models import Dossier, SyncItem
from motcua.natsync import mapping, services
from motcua.natsync.models import CatalogPull, ProcedureCode
from tests.dossiers.conftest import submit
from tests.helpers import at

LATER = at(2025, 1, 24, 12)


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("sync", *args, stdout=out)
    return out.getvalue()


def test_status_json_and_table(world, portal):
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    code = Dossier.objects.get(pk=pk).code
    data = json.loads(_run("status", "--format", "json"))
    assert data["totals"] == {"pending": 2, "sending": 0, "failed": 0, "dead": 0, "sent": 0}
    portal.down = True
    services.deliver_due(now=LATER)
    data = json.loads(_run("status", "--dossier", code, "--format", "json"))
    assert data["dossier"] == code
    assert [(i["action"], i["state"], i["attempts"]) for i in data["items"]] == [
        ("submit", "failed", 1),
        ("receive", "pending", 0),
    ]
    assert "503" in data["items"][0]["last_error"]
    table = _run("status")
    assert "failed" in table and code in table
    assert "receive" in _run("status", "--dossier", code)


def test_status_unknown_dossier_is_a_clear_error(world):
    with pytest.raises(CommandError, match="Không tìm thấy hồ sơ"):
        call_command("sync", "status", "--dossier", "NOPE")


def test_reconcile_requeues_what_differs(world, portal):
    a = Dossier.objects.get(pk=submit(world))
    b = Dossier.objects.get(pk=submit(world, when=at(2025, 1, 24, 9, 30)))
    services.deliver_due(now=LATER)
    assert {a.code, b.code} <= set(portal.dossiers)
    portal.dossiers[a.code]["TrangThaiHoSo"] = "9"  # the portal's record drifted
    report = json.loads(
        _run("reconcile", "--from", "2025-01-24", "--to", "2025-01-24", "--format", "json")
    )
    assert report["checked"] == 2
    assert report["differing"] == [
        {"code": a.code, "differences": ["TrangThaiHoSo"], "requeued": 1}
    ]
    assert SyncItem.objects.get(dossier=a).state == SyncItem.State.PENDING
    services.deliver_due(now=LATER)
    assert portal.dossiers[a.code]["TrangThaiHoSo"] == "1"
    out = _run("reconcile", "--from", "2025-01-24", "--to", "2025-01-24")
    assert "0 hồ sơ khác biệt" in out


def test_reconcile_finds_a_dossier_the_portal_lost(world, portal):
    d = Dossier.objects.get(pk=submit(world))
    services.deliver_due(now=LATER)
    del portal.dossiers[d.code]
    report = json.loads(
        _run(
            "reconcile",
            "--from",
            "2025-01-01",
            "--to",
            "2025-01-31",
            "--dry-run",
            "--format",
            "json",
        )
    )
    assert report["differing"] == [{"code": d.code, "differences": ["MaHoSo"], "requeued": 0}]
    assert SyncItem.objects.get(dossier=d).state == SyncItem.State.SENT  # dry run


def test_reconcile_bad_dates_and_missing_portal(world, settings):
    settings.NATSYNC_URL = ""
    with pytest.raises(CommandError, match="NATSYNC_URL"):
        call_command("sync", "reconcile", "--from", "2025-01-01", "--to", "2025-01-31")
    settings.NATSYNC_URL = "http://127.0.0.1:9"
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("sync", "reconcile", "--from", "2025-13-01", "--to", "2025-01-31")


def test_newer_profile_renames_fields_and_formats_dates(world, portal, settings):
    settings.NATSYNC_PROFILE = "dvcqg-2023"
    ProcedureCode.objects.create(procedure=world.procedure, national_code="1.004884.000.00.00.H13")
    pk = submit(world)
    S.receive(pk, by=world.desk_officer_a, now=at(2025, 1, 24, 10))
    services.deliver_due(now=LATER)
    record = portal.dossiers[Dossier.objects.get(pk=pk).code]
    assert record["NgayTiepNhan"] == "24/01/2025 10:00:00"
    assert record["SoDinhDanh"] == "092190001234" and "MaDoiTuong" not in record
    assert "DanhSachPhiLePhi" in record and "Fax" not in record
    assert record["MaTTHC"] == "1.004884.000.00.00.H13"  # through the code table


def test_profile_file_overrides(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"date_format": "%Y-%m-%d", "fields": {"ChuHoSo": "TenChuHoSo"}}))
    profile = mapping.load_profile("opencps", str(path))
    out = mapping.apply({"ChuHoSo": "A", "NgayTra": at(2025, 1, 24, 23)}, profile)
    assert out == {"TenChuHoSo": "A", "NgayTra": "2025-01-24"}
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(mapping.ProfileError):
        mapping.load_profile("opencps", str(bad))


NATIONAL = {
    "1.004884": {
        "MaTTHC": "1.004884",
        "TenTTHC": "Thủ tục đăng ký lại khai sinh",
        "TenLinhVuc": "Hộ tịch",
        "CapThucHien": ["Cấp Xã"],
        "ThoiHanGiaiQuyet": "3",  # was 5 locally
    },
    "2.000001": {
        "MaTTHC": "2.000001",
        "TenTTHC": "Thủ tục cấp bản sao trích lục hộ tịch",
        "TenLinhVuc": "Hộ tịch",
        "CapThucHien": "Cấp Xã, Cấp Huyện",
        "ThoiHanGiaiQuyet": "1",
        "PhiLePhi": [{"TenPhiLePhi": "Phí cấp bản sao", "MucPhi": "8000"}],
        "ThanhPhanHoSo": [{"TenGiayTo": "Tờ khai", "SoBanChinh": "1"}],
    },
}


def test_catalog_pull_is_reviewed_before_it_applies(world, portal):
    portal.procedures.update(NATIONAL)
    out = _run("catalog", "pull")
    assert "1.004884" in out and "changed" in out and "processing_amount" in out
    assert "2.000001" in out and "new" in out
    assert not Procedure.objects.filter(code="2.000001").exists()  # nothing applied yet
    pull = CatalogPull.objects.get()
    assert pull.status == CatalogPull.Status.DRAFT
    out = _run("catalog", "apply", "--format", "json")
    assert json.loads(out)["status"] == "applied"
    new = Procedure.objects.get(code="2.000001")
    assert new.levels == ["commune", "district"] and new.processing_amount == 1
    assert new.fee_lines.get().amount_vnd == 8000
    assert Procedure.objects.get(code="1.004884").processing_amount == 3
    with pytest.raises(CommandError, match="đã được xử lý"):
        call_command("sync", "catalog", "apply")
    # pulled again: nothing differs any more
    assert "Không có khác biệt" in _run("catalog", "pull")


def test_system_check_reports_a_broken_profile_file(tmp_path, settings):
    from motcua.natsync.apps import check_profile

    bad = tmp_path / "bad.json"
    bad.write_text("{")
    settings.NATSYNC_PROFILE_FILE = str(bad)
    assert [e.id for e in check_profile()] == ["motcua.natsync.E001"]
    settings.NATSYNC_PROFILE_FILE = ""
    assert check_profile() == []
