"""The COPY text the history import writes on PostgreSQL: the generated per-table formatter
gives, for any value, the line the generic ``copy_line`` gives (escapes, NULL, enums, JSON)."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.models import Dossier, Pause
from motcua.dossiers.rules import State
from motcua.history import bulk
from motcua.history import dossiers as importer
from motcua.history.parsing import VN

AT = dt.datetime(2021, 3, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
OLD = dt.datetime(1970, 3, 1, 8, 0, tzinfo=VN)


def dossier(name, note="", field_values=None, received=AT):
    values = dict.fromkeys(importer.DOSSIER_FIELDS, "")
    values.update(
        id=1, version=1, state=State.RETURNED, procedure=3, workflow=4, receiving_agency=5,
        deciding_agency=5, current_agency=5, current_step=0, idempotency_key=None,
        applicant_user=None, applicant_name=name, applicant_birth_date=None,
        applicant_vneid=True, submitted_at=OLD, received_at=received, due_at=AT,
        extended_due_at=None, effective_due_at=AT, paused_total=dt.timedelta(days=1, seconds=5),
        paused_working_seconds=3600, supplement_count=1, ended_at=AT, returned_at=AT,
        decision_note=note, result_electronic=False, field_values=field_values or {},
        created_at=AT, updated_at=AT, imported=True, national_synced_at=None,
    )  # fmt: skip
    return list(values.values())


@pytest.mark.parametrize(
    "name", ["Nguyễn Văn An", "tab\there", "a\\b", "two\nlines\r", "", State.RETURNED]
)
def test_generated_dossier_line_equals_the_generic_line(name):
    row = dossier(name, note=name, field_values={"k": "v\t"}, received=None)
    line = bulk.row_formatter(Dossier, importer.DOSSIER_FIELDS)(row)
    assert line == bulk.copy_line(row)
    assert line.endswith("\n") and line.count("\t") == len(importer.DOSSIER_FIELDS) - 1


def test_text_is_escaped_and_null_is_marked():
    line = bulk.row_formatter(Pause, importer.PAUSE_FIELDS)((7, AT, None, "a\tb\\c\nd"))
    assert line == "7\t2021-03-01 08:00:00+07:00\t\\N\ta\\tb\\\\c\\nd\n"
