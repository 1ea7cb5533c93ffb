"""The edoc figures: documents sent and received within the period, agencies exchanging,
scoped by agency code (the agency and those under it)."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage

from motcua.core import figures
from motcua.core.figures import FLOW, FigureQuery
from motcua.edoc import services
from tests.helpers import at

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def values(start, end, code=None) -> dict:
    found = figures.collect(FigureQuery(start, end, code), names=["edoc"])
    assert all(f.kind == FLOW for f in found.values())
    return {key: f.value for key, f in found.items()}


def test_sent_received_and_exchanging_by_period_and_scope(world):
    sent = services.compose_outgoing(
        by=world.leader_a,
        agency=world.a,
        data=services.OutgoingInput(
            recipients=[world.b.edxml_organ_id],
            code_notation="UBND-VP",
            subject="Về việc",
            signer_name="Nguyễn Văn An",
            promulgation_date=dt.date(2025, 3, 4),
        ),
        now=at(2025, 3, 4, 9),
    )
    with default_storage.open(sent.package.name, "rb") as fh:
        services.receive_package(world.b, fh.read(), message_id="t:1", now=at(2025, 3, 5, 9))
    assert values(*MARCH) == {
        "edoc.documents.sent": 1,
        "edoc.documents.received": 1,
        "edoc.agencies.exchanging_in_motcua": 2,
    }
    assert values(*MARCH, world.a.code) == {
        "edoc.documents.sent": 1,
        "edoc.documents.received": 0,
        "edoc.agencies.exchanging_in_motcua": 1,
    }
    assert values(*MARCH, world.district.code)["edoc.agencies.exchanging_in_motcua"] == 2
    # the period is inclusive of its last day, and nothing outside it counts
    assert values(dt.date(2025, 3, 5), dt.date(2025, 3, 5))["edoc.documents.received"] == 1
    assert set(values(dt.date(2025, 4, 1), dt.date(2025, 4, 30)).values()) == {0}
    assert set(values(*MARCH, "999.99.99.Z99").values()) == {0}
