"""An imported dossier is shown by the officer's pages like any other (no steps, no audit
events of its own): the queue, the dossier page; an action the engine cannot take on it is a
clear refusal, not a 500."""

from __future__ import annotations

from motcua.dossiers.models import Dossier
from motcua.history.services import import_file
from tests.history.conftest import HEADER, dossier_row, write_csv


def test_imported_dossiers_render_on_the_desk(world, tmp_path, client):
    rows = [
        dossier_row("DESK-1"),
        dossier_row("DESK-2", state="in_process", ended_at="", returned_at="", outcome=""),
    ]
    import_file("dossiers", write_csv(tmp_path / "d.csv", HEADER, rows))
    client.force_login(world.desk_officer_a)
    assert client.get("/desk/").status_code == 200
    for dossier in Dossier.objects.all():
        page = client.get(f"/desk/dossiers/{dossier.code}/")
        assert page.status_code == 200, dossier.legacy_code
    open_one = Dossier.objects.get(legacy_code="DESK-2")
    client.force_login(world.specialist_a)
    answer = client.post(f"/desk/dossiers/{open_one.code}/actions/hand_over/", {})
    assert answer.status_code < 500
