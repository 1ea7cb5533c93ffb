"""Demo data of the agencies app: the Cần Thơ agency tree of 2021 (the bundled CSV)."""

from __future__ import annotations

from importlib import resources

from motcua.agencies.importers import import_agencies_csv
from motcua.core.demo import DemoRun

CITY = "000.00.00.H13"
DEMO_COMMUNE = "000.01.21.H13"  # phường Cái Khế, quận Ninh Kiều
DEMO_DISTRICT = "000.00.21.H13"  # quận Ninh Kiều


def load(run: DemoRun) -> None:
    """Import the bundled CSV (the importer finds rows already there and leaves them)."""
    with resources.as_file(
        resources.files("motcua.agencies") / "data" / "agencies_cantho_2021.csv"
    ) as path:
        result = import_agencies_csv(path)
    run.log(f"Cơ quan: {result.created} mới, {result.unchanged} không đổi")
    from motcua.agencies.demo_letterheads import load_demo_letterheads

    run.log(f"Người ký văn bản: {load_demo_letterheads()} mới")
