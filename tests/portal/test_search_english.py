"""English readers search in English: a procedure is found by the words of its English name."""

from __future__ import annotations

from motcua.portal.search import Filters, find_procedures


def test_the_english_name_finds_the_procedure(world):
    world.procedure.name_en = "Re-registration of a birth"
    world.procedure.save()
    found, approximate = find_procedures(Filters(text="birth re-registration"))
    assert list(found) == [world.procedure] and not approximate
    # Vietnamese still comes first, and English words never match a procedure without them
    found, _ = find_procedures(Filters(text="dang ky lai khai sinh"))
    assert list(found) == [world.procedure]
    world.procedure.name_en = ""
    world.procedure.save()
    found, approximate = find_procedures(Filters(text="birth re-registration"))
    assert world.procedure not in list(found) or approximate
