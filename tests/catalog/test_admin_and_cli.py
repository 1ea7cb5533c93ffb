"""The Django admin pages and the ``motcua catalog`` command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from motcua.catalog import services
from motcua.catalog.models import Procedure, Workflow

from .conftest import REFERENCE_CSV

pytestmark = pytest.mark.django_db


def test_procedure_changelist_marks_unconfirmed_and_searches_normalised(
    admin_client, reference_catalog
):
    url = reverse("admin:catalog_procedure_changelist")
    page = admin_client.get(url, {"q": "giay phep xay dung"}).content.decode()
    assert "1.013225" in page and "1.013236" in page and "1.001193" not in page
    assert "chưa xác nhận" in page
    filtered = admin_client.get(url, {"level": "province"}).context["cl"]
    assert filtered.result_count == 8
    Procedure.objects.update(online_mode_unconfirmed=False)
    confirmed = admin_client.get(url, {"unconfirmed": "no"}).context["cl"]
    assert "1.001193" in {p.code for p in confirmed.result_list}
    assert "3.000333" not in {p.code for p in confirmed.result_list}


def test_procedure_change_page_renders_inlines(admin_client, reference_catalog):
    birth = Procedure.objects.get(code="1.001193")
    page = admin_client.get(reverse("admin:catalog_procedure_change", args=[birth.pk]))
    assert page.status_code == 200
    assert "Giấy chứng sinh" in page.content.decode()


def test_activate_action_calls_the_service(admin_client, reference_catalog):
    birth = Procedure.objects.get(code="1.001193")
    v1 = Workflow.objects.get(procedure=birth)
    v2 = services.create_default_workflow(birth, activate=False)
    admin_client.post(
        reverse("admin:catalog_workflow_changelist"),
        {"action": "activate", "_selected_action": [v2.pk]},
    )
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == ("retired", "active")


def test_active_workflow_steps_are_read_only_in_admin(admin_client, reference_catalog):
    wf = Workflow.objects.get(procedure__code="1.001193")
    page = admin_client.get(reverse("admin:catalog_workflow_change", args=[wf.pk]))
    inline = page.context["inline_admin_formsets"][0]
    assert not inline.has_change_permission and not inline.has_add_permission


def test_cli_import_export_round_trip(tmp_path, capsys, db):
    call_command("catalog", "import", str(REFERENCE_CSV))
    assert "46 thêm mới" in capsys.readouterr().out
    call_command("catalog", "export", str(tmp_path / "c.xlsx"))
    call_command("catalog", "export", str(tmp_path / "dir"))
    call_command("catalog", "import", str(tmp_path / "dir"))
    assert "46 không đổi" in capsys.readouterr().out


def test_cli_reports_errors_in_vietnamese(tmp_path, db):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name_vi,name_en,field_vi,authority_level,processing_days,fee_vnd,online_mode,"
        "required_documents\n1.1,Tên,,Hộ tịch,commune,x,0,none,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Dòng 2: cột “processing_days”"):
        call_command("catalog", "import", str(bad))
    with pytest.raises(CommandError, match="cần một thư mục"):
        call_command("catalog", "export", str(tmp_path / "one.csv"))
    assert not Procedure.objects.exists()
