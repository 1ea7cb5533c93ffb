"""Home page search: accent-insensitive, typo-tolerant, with filters."""

from __future__ import annotations

import pytest

from motcua.catalog.models import Field, Procedure
from motcua.portal.search import Filters, find_procedures


@pytest.fixture
def catalog(world):
    construction = Field.objects.create(name_vi="Xây dựng")
    Procedure.objects.create(
        code="1.000001",
        name_vi="Cấp giấy phép xây dựng",
        field=construction,
        at_province=True,
        processing_amount=15,
    )
    Procedure.objects.create(
        code="1.000002",
        name_vi="Giấy khai sinh bản sao",
        field=world.procedure.field,
        at_commune=True,
        processing_amount=1,
    )
    return world


def names(response) -> str:
    return response.content.decode()


def test_accent_insensitive_search_finds_vietnamese_name(client, catalog):
    page = names(client.get("/", {"q": "giay khai sinh"}))
    assert "Giấy khai sinh bản sao" in page
    assert "Cấp giấy phép xây dựng" not in page


def test_small_typo_still_finds_the_procedure(client, catalog):
    qs, approximate = find_procedures(Filters(text="giay phep xay dungg"))
    assert approximate
    assert [p.code for p in qs] == ["1.000001"]


def test_nonsense_finds_nothing(client, catalog):
    qs, _ = find_procedures(Filters(text="qwxz"))
    assert list(qs) == []
    assert "Không tìm thấy thủ tục" in names(client.get("/", {"q": "qwxz"}))


def test_filters_by_field_level_online_mode_and_agency(client, catalog):
    construction = Field.objects.get(name_vi="Xây dựng")
    page = names(client.get("/", {"field": construction.pk}))
    assert "Cấp giấy phép xây dựng" in page and "Giấy khai sinh bản sao" not in page
    page = names(client.get("/", {"level": "commune"}))
    assert "Giấy khai sinh bản sao" in page and "Cấp giấy phép xây dựng" not in page
    page = names(client.get("/", {"online": "full"}))
    assert "Thủ tục đăng ký lại khai sinh" in page and "Giấy khai sinh bản sao" not in page
    page = names(client.get("/", {"agency": catalog.a.pk}))
    assert "Thủ tục đăng ký lại khai sinh" in page and "Cấp giấy phép xây dựng" not in page


def test_bad_filter_values_are_ignored_not_errors(client, catalog):
    response = client.get("/", {"level": "galaxy", "field": "abc"})
    assert response.status_code == 200


def test_htmx_search_returns_only_the_results_fragment(client, catalog):
    response = client.get("/", {"q": "xay dung"}, headers={"HX-Request": "true"})
    body = names(response)
    assert "Cấp giấy phép xây dựng" in body
    assert "<html" not in body


def test_procedure_page_shows_documents_fees_time_and_online_button(client, catalog):
    page = names(client.get("/thu-tuc/1.004884/"))
    for text in (
        "Tờ khai đăng ký lại khai sinh",
        "8.000 đ",
        "5 ngày làm việc",
        "Luật Hộ tịch 2014",
    ):
        assert text in page
    assert 'id="submit-online"' in page
    assert "Ủy ban nhân dân phường Cái Khế" in page
    offline = names(client.get("/thu-tuc/1.000001/"))
    assert 'id="submit-online"' not in offline


def test_unknown_procedure_is_404(client, catalog):
    assert client.get("/thu-tuc/9.999999/").status_code == 404
    assert client.get("/thu-tuc/n99999/").status_code == 404


def test_english_switch_shows_english_home(client, catalog):
    assert "Tìm kiếm" in names(client.get("/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = names(client.get("/"))
    assert "Search" in page
    assert "Online public services" in page
    assert 'lang="en"' in page


def test_citizens_words_on_the_real_catalog(db):
    """On the Cần Thơ catalog no name says "giấy khai sinh"; the birth registrations (which
    issue it) come first, and a typo still lands on the right procedure."""
    from importlib import resources

    from motcua.catalog.importers import import_procedures_csv

    with resources.as_file(
        resources.files("motcua.catalog") / "data" / "procedures_cantho_2021.csv"
    ) as path:
        import_procedures_csv(path)
    qs, approximate = find_procedures(Filters(text="giay khai sinh"))
    assert approximate and qs[0].name_vi == "Thủ tục đăng ký khai sinh"
    assert all("khai sinh" in p.name_vi for p in qs)
    qs, approximate = find_procedures(Filters(text="dang ky ket hon"))
    assert not approximate and {p.code for p in qs} >= {"1.000894", "2.000806"}
    qs, _ = find_procedures(Filters(text="chung thuc chu ky"))
    assert {p.code for p in qs} == {"2.000884", "2.000992"}
