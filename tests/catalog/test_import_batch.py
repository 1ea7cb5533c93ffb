"""The catalogue import at scale (the bulletin's 1,915 procedures go through it): what it
writes is what one procedure at a time wrote, its cost per procedure stays flat (it was nine
queries each), and the catalogue version is bumped once per import, not once per row."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.catalog.records import ProcedureRecord
from motcua.catalog.services import apply_catalog
from motcua.core import pagecache
from motcua.core.models import ChangeEvent

A, B = "000.01.21.H13", "000.02.21.H13"


def _agencies():
    for code, name in ((A, "Phường Cái Khế"), (B, "Phường An Hòa")):
        Agency.objects.create(code=code, name_vi=name, level="commune")


def _records(first: int, n: int, agencies=(A,)) -> list[ProcedureRecord]:
    return [
        ProcedureRecord(
            code=f"T.{i:04d}",
            name_vi=f"Thủ tục thử số {i}",
            field_vi=("Hộ tịch", "Chứng thực")[i % 2],
            levels=("commune",),
            processing_amount=5,
            agency_codes=agencies,
            source=f"dòng {i}",
        )
        for i in range(first, first + n)
    ]


def _queries(records) -> tuple[int, int]:
    """(queries, catalogue version writes) of one import."""
    with CaptureQueriesContext(connection) as ctx:
        apply_catalog(records)
    bumps = [q for q in ctx.captured_queries if re.search(r"core_cacheversion", q["sql"])]
    return len(ctx.captured_queries), len(bumps)


def test_an_imports_cost_per_procedure_is_flat_and_it_bumps_once(db):
    _agencies()
    small, small_bumps = _queries(_records(0, 10))
    large, large_bumps = _queries(_records(100, 40))
    # one insert per new procedure; links, lookups and the version once per import
    assert large - small <= 30
    assert small_bumps == large_bumps == 1
    assert Procedure.objects.count() == 50
    links = Procedure.implementing_agencies.through.objects
    assert links.count() == 50 and set(links.values_list("agency__code", flat=True)) == {A}


def test_the_same_procedure_twice_in_one_file_ends_as_the_second_says(db):
    _agencies()
    first, again = _records(0, 1, (A,))[0], _records(0, 1, (A, B))[0]
    result = apply_catalog([first, again])
    assert (result.created, result.updated) == (1, 1)
    procedure = Procedure.objects.get(code="T.0000")
    assert set(procedure.implementing_agencies.values_list("code", flat=True)) == {A, B}
    result = apply_catalog([again, first])  # an existing one: the last record wins
    assert result.updated == 1
    assert set(procedure.implementing_agencies.values_list("code", flat=True)) == {A}
    assert ChangeEvent.objects.filter(action="import").count() == 2


def test_a_re_import_changes_nothing_and_is_cheap(db):
    _agencies()
    records = _records(0, 30)
    apply_catalog(records)
    before = pagecache.current()
    queries, bumps = _queries(records)
    assert bumps == 0 and pagecache.current() == before
    assert queries <= 10  # agencies, the procedures and their links: read at once each
