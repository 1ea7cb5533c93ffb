"""``pagecache.batched``: a service changing many catalogue rows bumps the catalogue version
once, at the end of the block (also when it raises), not once per saved row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import Field
from motcua.core import pagecache


def _version_writes(ctx) -> int:
    return sum("core_cacheversion" in q["sql"] for q in ctx.captured_queries)


def test_rows_saved_in_a_batch_bump_the_version_once_at_its_end(db):
    before = pagecache.current()
    with CaptureQueriesContext(connection) as ctx, pagecache.batched():
        for i in range(5):
            Field.objects.create(name_vi=f"Lĩnh vực {i}")
        with pagecache.batched():  # nested: the outer block bumps
            Field.objects.create(name_vi="Lĩnh vực lồng")
        assert pagecache.current() == before  # nothing announced yet
    assert _version_writes(ctx) == 2  # the read just above, and the one bump
    assert pagecache.current() != before
    with CaptureQueriesContext(connection) as ctx:  # outside a batch: one bump per save
        Field.objects.create(name_vi="Lĩnh vực 6")
        Field.objects.create(name_vi="Lĩnh vực 7")
    assert _version_writes(ctx) == 2


def test_a_batch_that_raises_still_bumps(db):
    before = pagecache.current()
    with pytest.raises(RuntimeError), pagecache.batched():
        Field.objects.create(name_vi="Lĩnh vực")
        raise RuntimeError("stop")
    assert pagecache.current() != before


def test_a_batch_without_changes_leaves_the_version(db):
    before = pagecache.current()
    with CaptureQueriesContext(connection) as ctx, pagecache.batched():
        list(Field.objects.all())
    assert _version_writes(ctx) == 0 and pagecache.current() == before
