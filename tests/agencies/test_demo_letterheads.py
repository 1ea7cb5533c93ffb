"""Demo letterhead data: Cần Thơ units get their place, phone and signers, once."""

from __future__ import annotations

import pytest

from motcua.agencies.demo_letterheads import load_demo_letterheads
from motcua.agencies.models import Agency, AgencySigner


@pytest.mark.django_db
def test_demo_units_get_place_phone_and_signers_idempotently():
    Agency.objects.create(
        code="000.01.21.H13", name_vi="Ủy ban nhân dân phường Cái Khế", level="commune"
    )
    assert load_demo_letterheads() == 2
    assert load_demo_letterheads() == 0
    agency = Agency.objects.get(code="000.01.21.H13")
    assert (agency.place_name, agency.phone) == ("Cái Khế", "0292 3820 115")
    assert list(AgencySigner.objects.values_list("role", flat=True)) == ["head", "deputy"]
