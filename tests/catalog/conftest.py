from __future__ import annotations

from pathlib import Path

import pytest

import motcua.catalog
from motcua.catalog.importers import import_procedures_csv

REFERENCE_CSV = Path(motcua.catalog.__file__).parent / "data" / "procedures_cantho_2021.csv"


@pytest.fixture
def reference_catalog(db):
    """The 46 real procedures of the 2021 Cần Thơ reference file, imported."""
    return import_procedures_csv(REFERENCE_CSV)
