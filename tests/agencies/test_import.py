from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from motcua.agencies.importers import import_agencies_csv
from motcua.agencies.models import Agency

from .conftest import CANTHO_CSV

HEADER = "code,name_vi,name_en,level,parent_code,ref,parent_ref\n"


def csv_file(*rows: str) -> io.StringIO:
    return io.StringIO(HEADER + "".join(r + "\n" for r in rows))


@pytest.fixture
def cantho(db):
    return import_agencies_csv(CANTHO_CSV)


def test_real_csv_imports_113_units_by_level(cantho):
    assert (cantho.created, cantho.updated, cantho.unchanged) == (113, 0, 0)
    counts = Counter(Agency.objects.values_list("level", flat=True))
    assert counts == {"province": 1, "department": 20, "district": 9, "commune": 83}
    assert Agency.objects.filter(is_demo_code=False).count() == 0


def test_real_csv_demo_codes_follow_the_scheme(cantho):
    code = {a.local_ref: a.code for a in Agency.objects.all()}
    assert code["92"] == "000.00.00.H13"
    assert code["92.VP"] == "000.00.01.H13"  # first department-level row
    assert code["92.BQLKCXCN"] == "000.00.20.H13"  # twentieth and last
    assert code["916"] == "000.00.21.H13"  # Ninh Kiều, first district
    assert code["927"] == "000.00.29.H13"  # last district in CSV order
    assert code["31117"] == "000.01.21.H13"  # Cái Khế, first commune of Ninh Kiều
    assert code["31120"] == "000.02.21.H13"
    ninh_kieu = Agency.objects.get(local_ref="916")
    assert ninh_kieu.children.count() == 11
    assert ninh_kieu.children.order_by("code").last().code == "000.11.21.H13"


def test_gso_code_only_for_official_codes(cantho):
    assert Agency.objects.get(local_ref="92").gso_code == "92"
    assert Agency.objects.get(local_ref="916").gso_code == "916"
    assert Agency.objects.get(local_ref="31117").gso_code == "31117"
    assert Agency.objects.get(local_ref="92.SNV").gso_code == ""
    assert Agency.objects.exclude(level="department").filter(gso_code="").count() == 0


def test_tree_and_validity_of_the_2021_structure(cantho):
    cai_khe = Agency.objects.get(local_ref="31117")
    assert cai_khe.parent.local_ref == "916"
    assert cai_khe.parent.parent.local_ref == "92"
    province = Agency.objects.get(local_ref="92")
    assert cai_khe.path == f"{province.path}{cai_khe.parent.pk}/{cai_khe.pk}/"
    assert not Agency.objects.filter(valid_from__isnull=False).exists()
    assert not Agency.objects.filter(valid_to__isnull=False).exists()


def test_second_import_changes_nothing(cantho):
    before = list(Agency.objects.values().order_by("pk"))
    again = import_agencies_csv(CANTHO_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 113)
    assert list(Agency.objects.values().order_by("pk")) == before


def test_import_with_valid_from(db):
    from datetime import date

    import_agencies_csv(CANTHO_CSV, valid_from=date(2021, 1, 1))
    assert set(Agency.objects.values_list("valid_from", flat=True)) == {date(2021, 1, 1)}


def test_reimport_updates_a_changed_name(cantho):
    text = CANTHO_CSV.read_text(encoding="utf-8").replace("Sở Ngoại vụ,", "Sở Ngoại vụ mới,")
    result = import_agencies_csv(io.StringIO(text))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 112)
    assert Agency.objects.get(local_ref="92.SNGV").name_search == "so ngoai vu moi"


def test_given_code_replaces_the_demo_code(cantho):
    result = import_agencies_csv(
        csv_file("000.00.99.H13,Sở Nội vụ,Department of Home Affairs,department,,92.SNV,92")
    )
    assert (result.created, result.updated) == (0, 1)
    agency = Agency.objects.get(local_ref="92.SNV")
    assert (agency.code, agency.is_demo_code) == ("000.00.99.H13", False)


@pytest.mark.parametrize(
    ("rows", "line", "fragment"),
    [
        ((",Tỉnh,,province,,92,", ",Sở,,ministry,,92.S,92"), 3, "cấp 'ministry' không hợp lệ"),
        ((",Tỉnh,,province,,92,", ",Xã,,commune,,31117,999"), 3, "mã tham chiếu 999"),
        (("000.00.00.h13,Tỉnh,,province,,92,",), 2, "'000.00.00.h13' không hợp lệ"),
        ((",Tỉnh,,province,,92,", ",Sở,,department,,92,92"), 3, "trùng với dòng 2"),
        ((",Tỉnh,,province,,92,", ",,,department,,92.S,92"), 3, "thiếu tên"),
        ((",Tỉnh,,province,,92,", ",Sở,,department,000.00.00.H14,92.S,"), 3, "mã 000.00.00.H14"),
    ],
)
def test_bad_row_names_its_line_and_imports_nothing(db, rows, line, fragment):
    with pytest.raises(ValidationError) as exc:
        import_agencies_csv(csv_file(*rows))
    message = " ".join(exc.value.messages)
    assert f"Dòng {line}:" in message
    assert fragment in message
    assert Agency.objects.count() == 0


def test_bad_row_in_reimport_leaves_existing_data_untouched(cantho):
    text = CANTHO_CSV.read_text(encoding="utf-8").replace("Sở Y tế,", "Sở Y tế đổi,")
    text += ",Xã lạ,,commune,,39999,000\n"
    with pytest.raises(ValidationError, match="Dòng 115"):
        import_agencies_csv(io.StringIO(text))
    assert Agency.objects.count() == 113
    assert Agency.objects.get(local_ref="92.SYT").name_vi == "Sở Y tế"


def test_missing_column_is_reported(db):
    with pytest.raises(ValidationError, match="thiếu cột: parent_ref"):
        import_agencies_csv(io.StringIO("code,name_vi,name_en,level,parent_code,ref\n"))


def test_more_than_20_departments_have_no_demo_code(db):
    rows = [",Tỉnh,,province,,92,"] + [f",Sở {i},,department,,92.S{i},92" for i in range(21)]
    with pytest.raises(ValidationError, match="Dòng 23: Quy ước mã minh họa chỉ có 20"):
        import_agencies_csv(csv_file(*rows))


def test_demo_code_uses_the_configured_province(db, settings):
    settings.MOTCUA_PROVINCE_CODE = "H30"
    import_agencies_csv(csv_file(",Tỉnh,,province,,93,", ",Huyện,,district,,930,93"))
    assert set(Agency.objects.values_list("code", flat=True)) == {"000.00.00.H30", "000.00.21.H30"}


def test_binary_file_with_bom_is_accepted(db):
    data = ("\ufeff" + HEADER + ",Tỉnh,,province,,92,\n").encode()
    assert import_agencies_csv(io.BytesIO(data)).created == 1
