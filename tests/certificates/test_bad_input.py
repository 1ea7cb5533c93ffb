"""Bad import cells get a line-and-column message, never an exception: huge numbers, long
strings, extreme and impossible dates, formulas' error values, numbers as serials."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.certificates import excel, services
from motcua.certificates.models import Certificate
from motcua.certificates.rules import CertificateError
from tests.certificates.conftest import entry, row, xlsx


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"serial": "9" * 200}, "Số hiệu chứng thư"),
        ({"serial": "f" * 70}, "Số hiệu chứng thư"),
        ({"serial": 1e308}, "Số hiệu chứng thư"),
        ({"holder": "A" * 5000}, "Tên thuê bao"),
        ({"issuer": "x" * 300}, "Tổ chức cấp"),
        ({"start": "0001-01-01"}, "Hiệu lực từ ngày"),
        ({"end": "31/12/9999"}, "Hiệu lực đến ngày"),
        ({"end": dt.datetime(9999, 12, 31)}, "Hiệu lực đến ngày"),
        ({"start": "2021-02-30"}, "Hiệu lực từ ngày"),
        ({"start": "9223372036854775808"}, "Hiệu lực từ ngày"),
        ({"start": "#VALUE!"}, "Hiệu lực từ ngày"),
        ({"token": "T" * 100}, "Số serial USB token"),
        ({"status": "<script>"}, "Trạng thái"),
        ({"kind": 12345678901234567890}, "Loại chứng thư"),
        ({"revoked": "01/01/2000", "status": "Đã thu hồi", "reason": "x"}, "Ngày thu hồi"),
    ],
)
def test_a_bad_cell_is_reported_where_it_is(world, cells, column):
    data = xlsx([row(1, cells.pop("serial", "aa01"), **cells)])
    with pytest.raises(excel.ImportFailed) as failed:
        excel.import_bytes(data, by=None)
    text = [str(p) for p in failed.value.problems]
    assert any(t.startswith(f"Dòng 3, cột “{column}”") for t in text), text
    assert all(len(t) < 400 for t in text)
    assert not Certificate.objects.exists()


def test_a_numeric_serial_cell_is_read_as_its_digits(world):
    excel.import_bytes(xlsx([row(1, 540312)]), by=None)
    assert Certificate.objects.get().serial == "540312"


def test_an_empty_or_header_only_sheet(world):
    with pytest.raises(excel.ImportFailed, match="lỗi"):
        excel.import_bytes(xlsx([]), by=None)
    with pytest.raises(excel.ImportFailed):
        excel.import_bytes(xlsx([], headers=["a", "b"]), by=None)


@pytest.mark.parametrize(
    "kw",
    [
        {"valid_to": dt.date(9999, 12, 31)},
        {"valid_from": dt.date(1, 1, 1)},
        {"holder_name": "x" * 300},
        {"holder_name": "   "},
        {"kind": "robot"},
        {"device": "floppy"},
        {"status": "lost"},
        {"notes": "n" * 3000},
        {"status": "returned"},
    ],
)
def test_the_service_refuses_bad_entries_with_a_message(world, kw):
    with pytest.raises(CertificateError) as refused:
        services.create(world.office, entry(world.justice, **kw))
    assert refused.value.message
    assert not Certificate.objects.exists()
