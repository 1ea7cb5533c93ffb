"""The work queue: scope, filters, deadline colours with text, counts, HTMX, pagination."""

from __future__ import annotations

from motcua.catalog.models import Procedure
from motcua.catalog.services import create_default_workflow

from .conftest import at, login, new_dossier


def _row_codes(html: str) -> list[str]:
    import re

    return re.findall(r'<a href="/desk/dossiers/([^/]+)/">', html)


def test_deadline_colours_come_with_text_and_sort_by_due(world):
    late = new_dossier(world, when=at(2025, 1, 24))
    fast = Procedure.objects.create(
        code="1.000001",
        name_vi="Chứng thực bản sao",
        field=world.procedure.field,
        processing_amount=1,
        at_commune=True,
        processing_unit="d",
    )
    create_default_workflow(fast)
    soon = new_dossier(world, procedure=fast)
    fine = new_dossier(world)
    html = login(world.desk_officer_a).get("/desk/").content.decode()
    assert _row_codes(html) == [late.code, soon.code, fine.code]
    assert 'class="row-overdue"' in html and "Quá hạn</span>" in html
    assert 'class="row-due_soon"' in html and "Sắp đến hạn (≤ 1 ngày làm việc)</span>" in html
    assert 'class="row-on_time"' in html and "Trong hạn</span>" in html


def test_filters_and_counts(world):
    registered = new_dossier(world, state="registered")
    received = new_dossier(world)
    overdue = new_dossier(world, when=at(2025, 1, 24))
    client = login(world.desk_officer_a)
    html = client.get("/desk/").content.decode()
    assert "<strong>3</strong> Tất cả" in html and "<strong>2</strong> Đã tiếp nhận" in html
    only_registered = client.get("/desk/", {"state": "registered"}).content.decode()
    assert _row_codes(only_registered) == [registered.code]
    late = client.get("/desk/", {"due": "overdue"}).content.decode()
    assert _row_codes(late) == [overdue.code]
    week = client.get("/desk/", {"due": "7"}).content.decode()
    assert set(_row_codes(week)) == {overdue.code, received.code}
    proc = client.get("/desk/", {"procedure": world.procedure.pk}).content.decode()
    assert len(_row_codes(proc)) == 3


def test_bad_filter_values_are_reported_not_crashing(world):
    new_dossier(world)
    response = login(world.desk_officer_a).get("/desk/", {"state": "bogus", "procedure": "x"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "field-error" in response.content.decode()
    assert len(_row_codes(response.content.decode())) == 1


def test_htmx_request_gets_only_the_table(world):
    d = new_dossier(world)
    response = login(world.desk_officer_a).get(
        "/desk/", {"state": "received"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="results"')
    assert _row_codes(html) == [d.code]


def test_pagination(world):
    for _ in range(27):
        new_dossier(world, state="registered")
    client = login(world.desk_officer_a)
    first = client.get("/desk/").content.decode()
    assert len(_row_codes(first)) == 25 and "Trang 1/2" in first
    second = client.get("/desk/", {"page": 2}).content.decode()
    assert len(_row_codes(second)) == 2
    assert not set(_row_codes(first)) & set(_row_codes(second))
    assert client.get("/desk/", {"page": "zzz"}).status_code == 200


def test_search_by_code_name_without_accents_and_id_number(world):
    d = new_dossier(world)
    client = login(world.desk_officer_a)
    for q in (d.code, "NGUYEN THI hong nhung", "Hồng Nhung", "092190001234"):
        assert _row_codes(client.get("/desk/search/", {"q": q}).content.decode()) == [d.code], q
    assert _row_codes(client.get("/desk/search/", {"q": "Lê Văn"}).content.decode()) == []
