"""The demo's ratings go through the history bulk path, keep their own dates, and a second
load adds nothing."""

from __future__ import annotations

from django.core.management import call_command

from motcua.dossiers.models import Dossier
from motcua.history.demo import load_ratings
from motcua.ratings.models import Rating


def test_demo_ratings_are_dated_after_the_result_and_loaded_once(db):
    call_command("demo", dossiers=40, feedback=5)
    ratings = list(Rating.objects.select_related("dossier"))
    returned = Dossier.objects.filter(state="returned").count()
    assert 0 < len(ratings) <= returned
    for rating in ratings:
        assert rating.dossier.state == "returned" and rating.imported
        assert rating.created_at > rating.dossier.returned_at  # its own date, not "now"
        assert rating.created_at.year == 2021
        assert rating.agency_id == rating.dossier.receiving_agency_id
    assert load_ratings() == 0
    call_command("demo", dossiers=40, feedback=5)
    assert Rating.objects.count() == len(ratings)
