"""Importing the issuer's Excel lists: good rows, every bad row reported as "Dòng N, cột …",
all or nothing, idempotent by (issuer, serial), and the export re-imports unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.certificates import excel
from motcua.certificates.models import Certificate
from motcua.certificates.rules import Device, Kind, Status
from motcua.core.models import ChangeEvent
from tests.certificates.conftest import ISSUER, row, xlsx


def test_a_good_list_is_imported_with_headers_below_a_title(world):
    data = xlsx(
        [
            row(1, "54 03 F2 A1", token="TK0001"),
            row(2, "0x00ABCDEF", kind="Tổ chức", holder="Sở Tư pháp", agency="000.00.11.H13"),
            row(3, "77aa", status="Đã thu hồi", revoked="15/06/2021", reason="Nghỉ hưu"),
        ]
    )
    result = excel.import_bytes(data, by=world.office)
    assert (result.rows, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    first = Certificate.objects.get(serial="5403f2a1")
    assert first.kind == Kind.PERSONAL and first.agency == world.justice
    assert first.token_serial == "TK0001" and first.device == Device.USB_TOKEN
    assert first.valid_from == dt.date(2021, 3, 1) and first.valid_to == dt.date(2026, 2, 28)
    org = Certificate.objects.get(serial="abcdef")  # separators, 0x and leading zeros dropped
    assert org.kind == Kind.ORGANISATION
    revoked = Certificate.objects.get(serial="77aa")
    assert revoked.status == Status.REVOKED and revoked.revoked_on == dt.date(2021, 6, 15)
    assert ChangeEvent.objects.filter(action="certificate.create").count() == 3
    assert ChangeEvent.objects.filter(action="certificate.import").count() == 1


def test_headers_match_ignoring_case_and_diacritics(world):
    headers = [
        "stt",
        "LOAI CHUNG THU",
        "ten thue bao",
        "Chuc vu",
        "CO QUAN",
        "so serial",
        "to chuc cap",
        "ngay hieu luc",
        "ngay het han",
        "usb token",
        "tinh trang",
        "ngay thu hoi",
        "ly do thu hoi",
    ]
    result = excel.import_bytes(xlsx([row(1, "aa01")], headers=headers), by=None)
    assert result.created == 1


def test_every_bad_row_is_reported_with_line_and_column_and_nothing_is_written(world):
    data = xlsx(
        [
            row(1, "aa01"),  # good: still not written
            row(2, "xyz!"),  # not hex
            row(3, "aa03", agency="Sở Không Có"),
            row(4, "aa04", start="31/02/2021"),
            row(5, "aa05", start="01/03/2026", end="01/03/2021"),
            row(6, "aa06", kind="Robot"),
            row(7, "aa01"),  # duplicate of line 3 (the title is line 1, headers line 2)
            row(8, "aa08", status="Đã thu hồi"),  # no revocation date
            row(9, "aa09", holder=""),
        ]
    )
    with pytest.raises(excel.ImportFailed) as failed:
        excel.import_bytes(data, by=world.office)
    text = [str(p) for p in failed.value.problems]
    assert any(t.startswith("Dòng 4, cột “Số hiệu chứng thư”") for t in text), text
    assert any(t.startswith("Dòng 5, cột “Cơ quan”") and "Sở Không Có" in t for t in text)
    assert any(t.startswith("Dòng 6, cột “Hiệu lực từ ngày”") for t in text)
    assert any(t.startswith("Dòng 7, cột “Hiệu lực đến ngày”") for t in text)
    assert any(t.startswith("Dòng 8, cột “Loại chứng thư”") for t in text)
    assert any(t.startswith("Dòng 9, cột “Số hiệu chứng thư”") and "dòng 3" in t for t in text)
    assert any(t.startswith("Dòng 10, cột “Ngày thu hồi”") for t in text)
    assert any(t.startswith("Dòng 11, cột “Tên thuê bao”") for t in text)
    assert not Certificate.objects.exists()
    assert not ChangeEvent.objects.exists()


def test_a_missing_column_and_a_file_that_is_not_excel_are_refused(world):
    headers = [h for h in excel_headers() if h != "Hiệu lực đến ngày"]
    with pytest.raises(excel.ImportFailed) as failed:
        excel.import_bytes(xlsx([], headers=headers), by=None)
    assert any("Hiệu lực đến ngày" in str(p) for p in failed.value.problems)
    with pytest.raises(excel.CertificateError):
        excel.import_bytes(b"STT;Loai\n1;2", by=None)
    with pytest.raises(excel.CertificateError):
        excel.import_bytes(b"PK\x03\x04broken", by=None)


def excel_headers() -> list[str]:
    from tests.certificates.conftest import HEADERS

    return list(HEADERS)


def test_re_import_changes_nothing_and_a_later_list_updates_status_and_validity(world):
    data = xlsx([row(1, "aa01"), row(2, "aa02")])
    excel.import_bytes(data, by=world.office)
    again = excel.import_bytes(data, by=world.office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Certificate.objects.count() == 2
    later = xlsx(
        [
            row(1, "AA01", status="Đã thu hồi", revoked="01/09/2021", reason="Chuyển công tác"),
            row(2, "aa02", end="28/02/2027"),
            row(3, "aa03"),
        ]
    )
    result = excel.import_bytes(later, by=world.office)
    assert (result.created, result.updated, result.unchanged) == (1, 2, 0)
    assert Certificate.objects.count() == 3
    assert Certificate.objects.get(serial="aa01").status == Status.REVOKED
    assert Certificate.objects.get(serial="aa02").valid_to == dt.date(2027, 2, 28)
    moved = ChangeEvent.objects.get(action="certificate.status")
    assert moved.data["from"] == "active" and moved.data["to"] == "revoked"


def test_a_list_cannot_bring_a_revoked_certificate_back(world):
    excel.import_bytes(
        xlsx([row(1, "aa01", status="Đã thu hồi", revoked="01/09/2021", reason="x")]), by=None
    )
    with pytest.raises(excel.ImportFailed) as failed:
        excel.import_bytes(xlsx([row(1, "aa01")]), by=None)
    assert str(failed.value.problems[0]).startswith("Dòng 3, cột “Trạng thái”")
    assert Certificate.objects.get().status == Status.REVOKED


def test_same_serial_from_two_issuers_is_two_certificates(world):
    excel.import_bytes(xlsx([row(1, "aa01"), row(2, "aa01", issuer="VNPT-CA")]), by=None)
    assert Certificate.objects.filter(serial="aa01").count() == 2


def test_issuer_given_for_a_list_without_the_column(world):
    headers = [h for h in excel_headers() if h != "Tổ chức cấp"]
    rows = [[c for i, c in enumerate(row(1, "aa01")) if i != 6]]
    with pytest.raises(excel.ImportFailed):
        excel.import_bytes(xlsx(rows, headers=headers), by=None)
    excel.import_bytes(xlsx(rows, headers=headers), by=None, issuer=ISSUER)
    assert Certificate.objects.get().issuer == ISSUER


def test_dry_run_writes_nothing(world):
    result = excel.import_bytes(xlsx([row(1, "aa01")]), by=world.office, dry_run=True)
    assert result.dry_run and result.created == 1
    assert not Certificate.objects.exists()


def test_only_the_register_office_imports(world):
    with pytest.raises(excel.CertificateError):
        excel.import_bytes(xlsx([row(1, "aa01")]), by=world.justice_leader)
    assert not Certificate.objects.exists()


def test_export_reimports_unchanged(world):
    excel.import_bytes(
        xlsx(
            [
                row(1, "aa01", token="TK1"),
                row(2, "aa02", status="Đã thu hồi", revoked="01/09/2021", reason="x"),
            ]
        ),
        by=None,
    )
    data = excel.export(Certificate.objects.all())
    result = excel.import_bytes(data, by=None)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
