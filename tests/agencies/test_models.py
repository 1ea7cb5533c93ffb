from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.agencies.models import Agency
from motcua.agencies.rules import commune_demo_code, official_gso_code

from .conftest import JUL_1, make


@pytest.mark.parametrize("code", ["000.00.00.H13", "G01", "1" * 35, "000.01.21.H13.R20250701"])
def test_valid_codes(db, code):
    Agency(code=code, name_vi="Đơn vị", level="other").full_clean()


@pytest.mark.parametrize("code", ["000.00.00.h13", "1" * 36, "000-00-00-H13", "000 00", "Đ01"])
def test_invalid_codes(db, code):
    with pytest.raises(ValidationError) as exc:
        Agency(code=code, name_vi="Đơn vị", level="other").full_clean()
    assert "code" in exc.value.message_dict


def test_database_refuses_successor_without_closing(tiny_tree):
    c11 = tiny_tree["c11"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.filter(pk=c11.pk).update(successor=tiny_tree["c12"])


def test_database_refuses_self_parent(tiny_tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.filter(pk=tiny_tree["d1"].pk).update(parent=tiny_tree["d1"])


def test_database_refuses_duplicate_local_ref_but_allows_empty(db):
    make("000.00.01.H99", "Một", "other", local_ref="X")
    make("000.00.02.H99", "Hai", "other")
    make("000.00.03.H99", "Ba", "other")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(code="000.00.04.H99", name_vi="Bốn", level="other", local_ref="X")


def test_valid_range_constraint(tiny_tree):
    c11 = tiny_tree["c11"]
    c11.valid_from = c11.valid_to = JUL_1
    with pytest.raises(IntegrityError), transaction.atomic():
        c11.save()


def test_rules_gso_and_commune_code():
    assert official_gso_code("commune", "31117") == "31117"
    assert official_gso_code("district", "31117") == ""
    assert official_gso_code("department", "92") == ""
    assert commune_demo_code("000.00.23.H13", 7) == "000.07.23.H13"
    with pytest.raises(ValueError, match=r"000\.00\.dd\.Hnn"):
        commune_demo_code("G01", 1)
