"""Demo data of the catalog: the 2021 procedures of Cần Thơ and the agencies that implement
them (communes and districts by level, province procedures by their department)."""

from __future__ import annotations

from importlib import resources

from motcua.agencies.demo import CITY
from motcua.agencies.models import Agency
from motcua.catalog.importers import import_procedures_csv
from motcua.catalog.models import Procedure
from motcua.catalog.services import link_agencies_by_level
from motcua.core.demo import DemoRun

# Province-level procedures are decided by these departments (local_ref of the 2021 CSV).
DEPARTMENT_BY_FIELD = {
    "Lý lịch tư pháp": "92.STP",
    "Thành lập và hoạt động doanh nghiệp": "92.SKHDT",
    "Hoạt động xây dựng": "92.SXD",
    "Đường bộ": "92.SGTVT",
    "Khám bệnh, chữa bệnh": "92.SYT",
}


def load(run: DemoRun) -> None:
    with resources.as_file(
        resources.files("motcua.catalog") / "data" / "procedures_cantho_2021.csv"
    ) as path:
        result = import_procedures_csv(path)
    run.log(f"Thủ tục: {result.created} mới, {result.unchanged} không đổi")
    _link_implementing_agencies()
    _load_form_fields(run)


def _load_form_fields(run: DemoRun) -> None:
    """The declaration fields (tờ khai) of the birth, marriage and death registrations."""
    from motcua.catalog.formfields import import_form_fields_csv

    with resources.as_file(
        resources.files("motcua.catalog") / "data" / "form_fields_cantho_2021.csv"
    ) as path:
        fields = import_form_fields_csv(path)
    run.log(f"Trường tờ khai: {fields.created} mới, {fields.unchanged} không đổi")


def _link_implementing_agencies() -> None:
    for level in ("commune", "district"):
        agencies = Agency.objects.filter(level=level)
        missing = Procedure.objects.filter(
            **{f"at_{level}": True}, implementing_agencies__isnull=True
        )
        if missing.exists():
            link_agencies_by_level(level, agencies)
    for procedure in Procedure.objects.filter(at_province=True, implementing_agencies__isnull=True):
        ref = DEPARTMENT_BY_FIELD.get(procedure.field.name_vi)
        agency = Agency.objects.filter(local_ref=ref).first() if ref else None
        procedure.implementing_agencies.add(agency or Agency.objects.get(code=CITY))
