from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import motcua.agencies
from motcua.agencies.models import Agency

CANTHO_CSV = Path(motcua.agencies.__file__).parent / "data" / "agencies_cantho_2021.csv"


def make(code: str, name: str, level: str, parent: Agency | None = None, **kw) -> Agency:
    agency = Agency(code=code, name_vi=name, level=level, parent=parent, **kw)
    agency.full_clean()
    agency.save()
    return agency


@pytest.fixture
def tiny_tree(db) -> dict[str, Agency]:
    """Province → two districts, each with two communes."""
    p = make("000.00.00.H99", "Ủy ban nhân dân tỉnh Thử", "province")
    d1 = make("000.00.21.H99", "Ủy ban nhân dân huyện Một", "district", p)
    d2 = make("000.00.22.H99", "Ủy ban nhân dân huyện Hai", "district", p)
    return {
        "p": p,
        "d1": d1,
        "d2": d2,
        "c11": make("000.01.21.H99", "Ủy ban nhân dân xã Cái Khế", "commune", d1),
        "c12": make("000.02.21.H99", "Ủy ban nhân dân xã Đông Hòa", "commune", d1),
        "c21": make("000.01.22.H99", "Ủy ban nhân dân xã Bình Minh", "commune", d2),
        "c22": make("000.02.22.H99", "Ủy ban nhân dân xã Tân Lộc", "commune", d2),
    }


JUL_1 = date(2025, 7, 1)
JUN_30 = date(2025, 6, 30)
