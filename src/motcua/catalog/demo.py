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


# -- the bulletin-2021 data set (docs/bulletin.md) ---------------------------------------------

# The seed's catalogue at the end of September 2021: 1,915 procedures under the city's authority
# (1,904 laid down centrally, 5 locally, 6 interlinked groups), 1,360 online (472 at level 3,
# 888 at level 4), 706 integrated with the national portal.
BULLETIN_2021 = {
    "total": 1915,
    "local": 5,
    "interlinked": 6,
    "level3": 472,
    "level4": 888,
    "national_portal": 706,
}
GENERATED_PREFIX = "CT2021."  # codes of the generated procedures (the real ones keep theirs)
GENERATED_FIELDS = (
    "Hộ tịch", "Chứng thực", "Đất đai", "Hoạt động xây dựng", "Đường bộ", "Khám bệnh, chữa bệnh",
    "Giáo dục và Đào tạo", "Lao động, tiền lương", "Bảo trợ xã hội", "Người có công",
    "Thành lập và hoạt động doanh nghiệp", "Đầu tư tại Việt Nam", "Môi trường", "Tài nguyên nước",
    "Văn hóa", "Du lịch", "Thể dục thể thao", "Thương mại", "Công nghiệp", "Nông nghiệp",
    "Thủy sản", "Khoa học và Công nghệ", "Thông tin và Truyền thông", "Nội vụ", "Tư pháp",
)  # fmt: skip


def bulletin_records() -> list:
    """The generated procedures, planned from the real ones so that the whole catalogue has
    the seed's counts; deterministic, so a second run imports nothing new."""
    from motcua.agencies.demo import CITY
    from motcua.catalog.models import Origin
    from motcua.catalog.records import ProcedureRecord

    real = Procedure.objects.filter(is_active=True).exclude(code__startswith=GENERATED_PREFIX)
    n = BULLETIN_2021["total"] - real.count()
    need = {
        "local": BULLETIN_2021["local"] - real.filter(origin=Origin.LOCAL).count(),
        "interlinked": BULLETIN_2021["interlinked"]
        - real.filter(origin=Origin.INTERLINKED).count(),
        "level3": BULLETIN_2021["level3"] - real.filter(historical_online_level=3).count(),
        "level4": BULLETIN_2021["level4"] - real.filter(historical_online_level=4).count(),
        "portal": BULLETIN_2021["national_portal"] - real.filter(on_national_portal=True).count(),
    }
    if n < 0 or min(need.values()) < 0 or need["level3"] + need["level4"] > n:
        raise ValueError(f"the real catalogue exceeds the 2021 bulletin's counts: {need}")
    records = []
    for i in range(n):
        if i < need["local"]:
            origin = Origin.LOCAL
        elif i < need["local"] + need["interlinked"]:
            origin = Origin.INTERLINKED
        else:
            origin = Origin.CENTRAL
        # the first are online at level 4, then level 3; the national portal integrates some
        # of the online ones (706 of 1,360 in the seed)
        level = 4 if i < need["level4"] else 3 if i < need["level4"] + need["level3"] else None
        mode = {4: "full", 3: "partial", None: "none"}[level]
        records.append(
            ProcedureRecord(
                code=f"{GENERATED_PREFIX}{i + 1:04d}",
                name_vi=f"Thủ tục {GENERATED_FIELDS[i % len(GENERATED_FIELDS)].lower()} "
                f"số {i + 1:04d} (dữ liệu minh họa bản tin 2021)",
                field_vi=GENERATED_FIELDS[i % len(GENERATED_FIELDS)],
                levels=("province",),
                processing_amount=5 + i % 16,
                online_mode=mode,
                historical_online_level=level,
                origin=origin,
                on_national_portal=i < need["portal"],
                agency_codes=(CITY,),
                source=f"bản tin 2021, thủ tục {i + 1}",
            )
        )
    return records


def load_bulletin_2021(run: DemoRun) -> None:
    """Top the catalogue up to the seed's 1,915 procedures through the catalogue import."""
    from motcua.catalog.services import apply_catalog

    result = apply_catalog(bulletin_records())
    run.log(f"Bản tin 2021 — thủ tục: {result.created} mới, {result.unchanged} không đổi")
