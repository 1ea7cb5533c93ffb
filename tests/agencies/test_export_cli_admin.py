from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from motcua.agencies.importers import EXPORT_COLUMNS, export_agencies_csv, import_agencies_csv
from motcua.agencies.models import Agency
from motcua.agencies.services import merge_agencies

from .conftest import CANTHO_CSV, JUL_1, JUN_30, make


def export(**kw) -> str:
    buffer = io.StringIO()
    export_agencies_csv(buffer, **kw)
    return buffer.getvalue()


def wipe() -> None:
    Agency.objects.update(parent=None, successor=None)
    Agency.objects.all().delete()


@pytest.fixture
def cantho_merged(db):
    import_agencies_csv(CANTHO_CSV)
    ninh_kieu = Agency.objects.get(local_ref="916")
    new = make("000.12.21.H13", "Ủy ban nhân dân phường Tân An mới", "commune", ninh_kieu,
               valid_from=JUL_1)  # fmt: skip
    olds = list(Agency.objects.filter(local_ref__in=["31135", "31141"]))
    merge_agencies(olds, new, JUL_1)
    return new


def test_export_columns_and_tree_order(cantho_merged):
    rows = list(csv.DictReader(io.StringIO(export())))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert len(rows) == 114
    assert rows[0]["code"] == "000.00.00.H13" and rows[1]["code"] == "000.00.01.H13"
    assert rows[21]["code"] == "000.00.21.H13" and rows[22]["code"] == "000.01.21.H13"
    tan_an = next(r for r in rows if r["ref"] == "31135")
    assert (tan_an["valid_to"], tan_an["successor_code"], tan_an["is_demo_code"]) == (
        "2025-07-01", "000.12.21.H13", "true",
    )  # fmt: skip


def test_export_as_of(cantho_merged):
    before = list(csv.DictReader(io.StringIO(export(as_of=JUN_30))))
    after = list(csv.DictReader(io.StringIO(export(as_of=JUL_1))))
    assert len(before) == 113 and len(after) == 112
    assert "000.12.21.H13" in {r["code"] for r in after} - {r["code"] for r in before}


def test_export_reimport_round_trip(cantho_merged):
    text = export()
    again = import_agencies_csv(io.StringIO(text))
    assert (again.created, again.updated) == (0, 0)
    wipe()
    fresh = import_agencies_csv(io.StringIO(text))
    assert fresh.created == 114
    assert export() == text
    old = Agency.objects.get(local_ref="31141")
    assert old.successor.code == "000.12.21.H13" and old.is_demo_code


def test_reimport_of_export_restores_an_edited_successor(cantho_merged):
    text = export()
    Agency.objects.filter(local_ref="31135").update(successor=None, valid_to=None)
    result = import_agencies_csv(io.StringIO(text))
    assert (result.created, result.updated) == (0, 1)
    assert Agency.objects.get(local_ref="31135").successor_id == cantho_merged.pk


def test_cli_import_and_export(db, tmp_path):
    out = io.StringIO()
    call_command("agencies", "import", str(CANTHO_CSV), stdout=out)
    assert "113 đơn vị: 113 mới, 0 cập nhật, 0 không đổi" in out.getvalue()
    target = tmp_path / "out.csv"
    call_command("agencies", "export", str(target), "--as-of", "2021-06-01", stderr=io.StringIO())
    assert len(target.read_text(encoding="utf-8").splitlines()) == 114
    out = io.StringIO()
    call_command("agencies", "export", "-", stdout=out)
    assert out.getvalue() == target.read_text(encoding="utf-8")


def test_cli_import_error_is_vietnamese_and_names_the_line(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name_vi,name_en,level,parent_code,ref,parent_ref\n,Tỉnh,,tinh,,92,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Dòng 2: cấp 'tinh' không hợp lệ"):
        call_command("agencies", "import", str(bad))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("agencies", "import", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("agencies", "export", "-", "--as-of", "01/07/2025")


def test_admin_search_without_diacritics(admin_client):
    import_agencies_csv(CANTHO_CSV)
    response = admin_client.get("/admin/agencies/agency/", {"q": "cai khe"})
    assert response.status_code == 200
    assert "Ủy ban nhân dân phường Cái Khế" in response.content.decode()
    assert "Ủy ban nhân dân phường An Hòa" not in response.content.decode()
    response = admin_client.get("/admin/agencies/agency/", {"q": "000.00.21.H13"})
    assert "Ninh Kiều" in response.content.decode()


def test_admin_change_page_and_filters(admin_client):
    import_agencies_csv(CANTHO_CSV)
    agency = Agency.objects.get(local_ref="916")
    response = admin_client.get(f"/admin/agencies/agency/{agency.pk}/change/")
    assert response.status_code == 200
    assert agency.path in response.content.decode()
    response = admin_client.get(
        "/admin/agencies/agency/", {"level": "district", "is_demo_code__exact": "1",
                                    "validity": "current"})  # fmt: skip
    assert response.status_code == 200
    assert "Ninh Kiều" in response.content.decode()
    assert "Cái Khế" not in response.content.decode()
