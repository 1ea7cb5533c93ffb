"""The write re-checks, in its own transaction, the agencies, procedures and workflows the
validated rows refer to (on PostgreSQL it also locks them and may skip the per-row foreign-key
triggers of its own COPYs: the re-check is what keeps that sound)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from motcua.dossiers.models import Dossier, DossierDocument, Pause
from motcua.history import dossiers as importer
from motcua.history.models import HistoryImport
from motcua.history.services import HistoryImportError, import_file
from tests.history.conftest import HEADER, dossier_row, write_csv

GONE = 10**9  # an id no agency, procedure or workflow has


@pytest.mark.parametrize("field", ["receiving_agency", "deciding_agency", "procedure", "workflow"])
def test_a_reference_gone_between_validation_and_write_is_refused_whole(
    world, tmp_path, monkeypatch, field
):
    validate = importer.prepare

    def prepare_then_lose_the_reference(table, *, now):
        prepared = validate(table, now=now)
        # as if it had been deleted after the validation read it
        prepared.rows[-1].values[importer.DOSSIER_FIELDS.index(field)] = GONE
        return prepared

    monkeypatch.setattr(importer, "prepare", prepare_then_lose_the_reference)
    path = write_csv(tmp_path / "x.csv", [*HEADER, "Đã số hóa"],
                     [[*dossier_row("A-1"), "1"], [*dossier_row("A-2"), "1"]])  # fmt: skip
    with pytest.raises(HistoryImportError) as caught:
        import_file("dossiers", path)
    assert "vừa bị xóa" in str(caught.value.problems[0]) and str(GONE) in str(
        caught.value.problems[0]
    )
    assert not Dossier.objects.exists() and not Pause.objects.exists()
    assert not DossierDocument.objects.exists() and not HistoryImport.objects.exists()


@pytest.mark.postgres_only  # a PostgreSQL session setting
def test_foreign_key_triggers_fire_again_for_the_rest_of_the_transaction(world, tmp_path):
    path = write_csv(tmp_path / "x.csv", HEADER, [dossier_row("A-1")])
    with transaction.atomic():
        import_file("dossiers", path)
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
    assert Dossier.objects.filter(legacy_code="A-1").exists()
