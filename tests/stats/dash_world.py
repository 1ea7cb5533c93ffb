"""A small province for the dashboard, export, API and CLI tests, driven through the real
dossier services: March 2025 at two communes (a, b) of one district, plus a second district
without dossiers (so the province has two peers to rank).

- a: D1 received Mon 03/03 (portal), approved Wed 05/03 (early); D2 received Mon 10/03 at the
  desk, still open (overdue by now); D1's applicant rates it "very satisfied".
- b: D3 received Tue 04/03 by post, still open (overdue by now).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.agencies.models import Agency
from motcua.dossiers import services as S
from motcua.dossiers.models import Channel
from motcua.ratings import services as ratings
from motcua.ratings.models import Rating
from motcua.stats import services
from tests.dossiers.conftest import APPLICANT, World, make_world
from tests.helpers import at
from tests.stats.engine_world import approve, received, to_specialist

APPLICANT_NAME = "Nguyễn Thị Hồng Nhung"  # tests.dossiers.conftest.APPLICANT


@dataclass
class Dash:
    w: World
    other_district: Agency
    d1: int
    d2: int
    d3: int


def at_desk(w: World, agency: Agency, tag: str, when: dt.datetime, channel: str) -> int:
    """Brought to the counter (or by post) and received by the agency's desk officer."""
    officer = w.users[f"desk_officer_{tag}"]
    d = S.submit(
        by=officer,
        procedure=w.procedure,
        receiving_agency=agency,
        applicant=APPLICANT,
        channel=channel,
        documents=[S.DocumentInput(name="Tờ khai")],
        now=when - dt.timedelta(minutes=10),
    )
    S.receive(d.pk, by=officer, now=when)
    return d.pk


def make_dash() -> Dash:
    w = make_world()
    other = Agency.objects.create(
        code="000.00.22.H13", name_vi="Ủy ban nhân dân quận Bình Thủy", level="district",
        parent=w.province,
    )  # fmt: skip
    d1 = received(w, at(2025, 3, 3))
    to_specialist(w, d1, at(2025, 3, 3, 10))
    approve(w, d1, at(2025, 3, 5))
    d2 = at_desk(w, w.a, "a", at(2025, 3, 10), Channel.DESK)
    d3 = at_desk(w, w.b, "b", at(2025, 3, 4), Channel.POST)
    S.request_payment(d1, by=w.desk_officer_a, fees=[("Phí", 8000)], now=at(2025, 3, 5, 11))
    S.confirm_payment(d1, by=w.desk_officer_a, channel="online", now=at(2025, 3, 5, 12))
    S.return_result(d1, by=w.desk_officer_a, now=at(2025, 3, 6, 9))
    rating = ratings.rate_dossier(d1, by=w.citizen1, level="very_satisfied")
    # a rating's date is "now" until imported history can set it: put it in March 2025
    Rating.objects.filter(pk=rating.pk).update(created_at=at(2025, 3, 6))
    services.refresh()
    return Dash(w, other, d1, d2, d3)


MARCH = "2025-03"
__all__ = ["APPLICANT_NAME", "MARCH", "Dash", "dt", "make_dash"]
