"""The outbox on the desk: the dossier page's sync panel and the operator page."""

from __future__ import annotations

from motcua.dossiers.models import Dossier, SyncItem
from motcua.natsync import services
from tests.dossiers.conftest import submit
from tests.helpers import at


def test_dossier_page_shows_each_event_sync_state(client, world, portal):
    d = Dossier.objects.get(pk=submit(world))
    client.force_login(world.desk_officer_a)
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "Đồng bộ Cổng Dịch vụ công quốc gia" in page
    assert 'data-sync-state="pending"' in page
    assert "Chưa đồng bộ lên Cổng Dịch vụ công quốc gia." in page
    services.deliver_due(now=at(2025, 1, 24, 12))
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert 'data-sync-state="sent"' in page
    assert "Đã đồng bộ lần đầu lúc 24/01/2025 12:00." in page


def test_operator_page_counts_and_requeue(client, world, portal):
    d = Dossier.objects.get(pk=submit(world))
    portal.fail_next(None, None, "error")
    services.deliver_due(now=at(2025, 1, 24, 12))
    client.force_login(world.desk_officer_a)
    assert client.get("/desk/dong-bo/").status_code == 403
    assert client.post(f"/desk/dong-bo/{d.code}/gui-lai/").status_code == 403
    client.force_login(world.admin_p)
    page = client.get("/desk/dong-bo/").content.decode()
    assert '<td data-state="dead">1</td>' in page and d.code in page
    response = client.post(f"/desk/dong-bo/{d.code}/gui-lai/")
    assert response.status_code == 302
    assert SyncItem.objects.get(dossier=d).state == SyncItem.State.PENDING
    assert client.post("/desk/dong-bo/NOPE/gui-lai/").status_code == 404


def test_catalog_pull_page_shows_the_diff_before_applying(client, world, portal):
    from motcua.catalog.models import Procedure
    from tests.natsync.test_cli_reconcile import NATIONAL

    portal.procedures.update(NATIONAL)
    client.force_login(world.desk_officer_a)
    assert client.get("/desk/dong-bo/tthc/").status_code == 403
    client.force_login(world.admin_p)
    assert client.post("/desk/dong-bo/tthc/pull/").status_code == 302
    page = client.get("/desk/dong-bo/tthc/").content.decode()
    assert 'data-change="new"' in page and "2.000001" in page
    assert "<del>5</del> → <ins>3</ins>" in page  # the processing time, before and after
    assert not Procedure.objects.filter(code="2.000001").exists()
    pull = client.get("/desk/dong-bo/tthc/").context["pull"]
    client.post("/desk/dong-bo/tthc/apply/", {"pull": pull.pk})
    assert Procedure.objects.filter(code="2.000001").exists()
    page = client.get("/desk/dong-bo/tthc/").content.decode()
    assert 'id="catalog-apply"' not in page
    assert client.post("/desk/dong-bo/tthc/other/", {"pull": pull.pk}).status_code == 404
