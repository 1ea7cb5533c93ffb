"""An import reaches the statistics in the same transaction: the next read counts the
imported dossiers (and the dossiers an imported rating is about), with no rebuild."""

from __future__ import annotations

import datetime as dt

from motcua.history.services import import_file
from motcua.stats import queries
from motcua.stats.types import Period, Scope
from tests.history.conftest import HEADER, dossier_row, write_csv

MARCH = Period(dt.date(2021, 3, 1), dt.date(2021, 3, 31))


def test_imported_dossiers_count_at_the_next_read(world, tmp_path):
    scope = Scope(world.province.code)
    assert queries.dossier_figures(scope, MARCH).received == 0
    rows = [dossier_row("CU-1"), dossier_row("CU-2", channel="city_portal")]
    import_file("dossiers", write_csv(tmp_path / "d.csv", HEADER, rows))
    figures = queries.dossier_figures(scope, MARCH)
    assert figures.received == 2
    assert figures.received_by_channel["city_portal"] == 1
    assert figures.online_received == 1
    assert figures.settled == 2  # both returned, decided on 09/03


def test_an_imported_dissatisfied_rating_counts_against_its_dossier(world, tmp_path):
    scope = Scope(world.province.code)
    import_file("dossiers", write_csv(tmp_path / "d.csv", HEADER, [dossier_row("CU-1")]))
    before = queries.index766(scope, MARCH)
    ratings = write_csv(
        tmp_path / "r.csv",
        ["dossier", "level", "rated_at"],
        [["CU-1", "not_satisfied", "2021-03-10 09:00"]],
    )
    import_file("ratings", ratings)
    after = queries.index766(scope, MARCH)

    def satisfaction(result):
        (group,) = [g for g in result.groups if g.key == "satisfaction"]
        return {i.code: i for i in group.indicators}["5.4"]

    assert (satisfaction(before).numerator, satisfaction(before).denominator) == (1, 1)
    assert (satisfaction(after).numerator, satisfaction(after).denominator) == (0, 1)
