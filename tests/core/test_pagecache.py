"""The public page cache (core/pagecache.py): same bytes as a fresh render, exact invalidation
on every catalogue change path, never for a session, never a cookie, languages apart, 304s."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from motcua.catalog import services as catalog_services
from motcua.catalog.importers import import_procedures_csv
from motcua.catalog.models import FeeLine, Field
from motcua.core import pagecache
from motcua.feedback.models import Category
from tests.portal.conftest import open_online

PROCEDURE_PAGE = "/thu-tuc/1.004884/"
API_DETAIL = "/api/v1/catalog/procedures/1.004884"
URLS = [
    "/",
    "/?q=khai+sinh",
    PROCEDURE_PAGE,
    "/api/v1/catalog/procedures",
    "/api/v1/catalog/procedures?q=khai",
    API_DETAIL,
    "/api/v1/catalog/agencies",
    "/open311/v2/services.json",
]


@pytest.fixture
def world(db, settings):
    from tests.dossiers.conftest import make_world

    settings.MOTCUA_PUBLIC_CACHE_SECONDS = 300
    settings.MOTCUA_API_PUBLIC_RATE = "10000/60"
    Category.objects.get_or_create(code="hanh-chinh", defaults={"name_vi": "Thủ tục hành chính"})
    return open_online(make_world())


def anonymous() -> Client:
    return Client()


@pytest.mark.parametrize("url", URLS)
def test_a_cached_answer_is_the_bytes_of_a_fresh_render(world, url, settings):
    first = anonymous().get(url)
    assert first.status_code == 200 and first[pagecache.HEADER] == "miss"
    second = anonymous().get(url)
    assert second[pagecache.HEADER] == "hit"
    assert second.content == first.content
    settings.MOTCUA_PUBLIC_CACHE_SECONDS = 0  # the cache off: rendered again, same bytes
    fresh = anonymous().get(url)
    assert pagecache.HEADER not in fresh
    assert fresh.content == first.content
    for response in (first, second):
        assert not response.cookies and "Set-Cookie" not in response
        assert response["Content-Type"] == fresh["Content-Type"]
        assert response["Content-Security-Policy"] == fresh["Content-Security-Policy"]


def test_anonymous_pages_carry_no_csrf_token(world):
    page = anonymous().get("/").content.decode()
    assert "csrfmiddlewaretoken" not in page and "X-CSRFToken" not in page
    assert 'action="/i18n/setlang/"' in page  # the language menu is still there


def _rename_field_in_admin(world, tmp_path) -> None:
    admin = Client()
    admin.force_login(world.root)
    field = world.procedure.field
    response = admin.post(
        f"/admin/catalog/field/{field.pk}/change/", {"name_vi": "Hộ tịch (đổi tên)", "name_en": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _import_csv(world, tmp_path) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text(
        "code,name_vi,name_en,field_vi,authority_level,processing_days,fee_vnd,online_mode,"
        "required_documents\n"
        "1.004884,Thủ tục đăng ký lại khai sinh (nhập từ tệp),,Hộ tịch,commune,5,0,none,\n",
        encoding="utf-8",
    )
    import_procedures_csv(path)


def _fee(world) -> None:
    fee = FeeLine.objects.get(procedure=world.procedure)
    fee.amount_vnd = 12345
    fee.save()


def _rename_agency(world) -> None:
    from motcua.agencies.services import rename_agency

    rename_agency(world.a, "Ủy ban nhân dân phường Mới Đổi", "", dt.date.today())


def _link_agency(world) -> None:
    world.procedure.implementing_agencies.add(world.b)


def _new_workflow(world) -> None:
    from motcua.catalog import rules

    steps = [
        rules.StepSpec("Bước mới được thêm", "receive", 8, "desk", None),
        rules.StepSpec("Trả kết quả", "return", 32, "desk", None),
    ]
    wf = catalog_services.new_workflow_version(world.procedure, steps)
    catalog_services.activate_workflow(wf)


def _open311_category(world) -> None:
    category = Category.objects.get(code="hanh-chinh")
    category.name_vi = "Thủ tục hành chính (đổi tên)"
    category.save()


# (what changes, the page that must show it, what the page shows afterwards)
CHANGES = {
    "procedure service": (
        lambda w, tmp: catalog_services.set_processing_time(w.procedure, 9),
        API_DETAIL,
        '"processing_amount": 9',
    ),
    "admin save": (_rename_field_in_admin, "/", "Hộ tịch (đổi tên)"),
    "import": (_import_csv, "/?q=khai+sinh", "(nhập từ tệp)"),
    "fee change": (lambda w, tmp: _fee(w), API_DETAIL, '"amount_vnd": 12345'),
    "agency rename": (
        lambda w, tmp: _rename_agency(w),
        "/api/v1/catalog/agencies",
        "phường Mới Đổi",
    ),
    "agency linked": (lambda w, tmp: _link_agency(w), PROCEDURE_PAGE, "phường An Hòa"),
    "workflow version": (lambda w, tmp: _new_workflow(w), PROCEDURE_PAGE, "Bước mới được thêm"),
    "open311 category": (
        lambda w, tmp: _open311_category(w),
        "/open311/v2/services.json",
        "(đổi tên)",
    ),
}


def _text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    return response.content.decode()


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_catalogue_change_shows_at_the_next_request(world, change, tmp_path):
    do, url, shown = CHANGES[change]
    before = anonymous().get(url)
    assert shown not in _text(before)
    assert anonymous().get(url)[pagecache.HEADER] == "hit"
    do(world, tmp_path)
    after = anonymous().get(url)
    assert after[pagecache.HEADER] == "miss"
    assert shown in _text(after)


def test_national_catalog_pull_apply_shows_at_the_next_request(world, settings):
    from motcua.natsync import catalog_pull
    from tests.natsync.fake_portal import FakePortal
    from tests.natsync.test_cli_reconcile import NATIONAL

    server = FakePortal().start()
    try:
        settings.NATSYNC_URL = server.url
        settings.NATSYNC_USERNAME, settings.NATSYNC_PASSWORD = server.username, server.password
        settings.NATSYNC_UNIT_CODE = "000.00.00.H13"
        settings.NATSYNC_PROFILE = "opencps"
        server.procedures.update(NATIONAL)
        url = "/?q=trich+luc"
        assert "2.000001" not in anonymous().get(url).content.decode()
        assert anonymous().get(url)[pagecache.HEADER] == "hit"
        pull = catalog_pull.pull()
        catalog_pull.apply(pull)
    finally:
        server.stop()
    assert "2.000001" in anonymous().get(url).content.decode()


def test_signed_in_users_and_sessions_bypass_the_cache(world):
    anonymous().get("/")
    assert anonymous().get("/")[pagecache.HEADER] == "hit"
    citizen = Client()
    citizen.force_login(world.citizen1)
    page = citizen.get("/")
    assert pagecache.HEADER not in page
    assert world.citizen1.display_name() in page.content.decode()
    stranger = Client()
    stranger.cookies["sessionid"] = "whatever"
    assert pagecache.HEADER not in stranger.get("/")
    other = Client()
    other.cookies["messages"] = "x"
    assert pagecache.HEADER not in other.get("/")
    # unknown query parameters are not cached (no flooding the cache with ?x=1, ?x=2…)
    assert pagecache.HEADER not in anonymous().get("/?x=1")
    # nor an API caller with a token
    assert pagecache.HEADER not in anonymous().get(
        "/api/v1/catalog/procedures", HTTP_AUTHORIZATION="Bearer x"
    )


def test_language_variants_never_mix(world):
    vi = anonymous().get("/")
    english = Client()
    english.cookies["django_language"] = "en"
    en = english.get("/")
    assert en[pagecache.HEADER] == "miss"  # not the Vietnamese page
    assert en["Content-Language"] == "en" and vi["Content-Language"] == "vi"
    assert english.get("/").content == en.content
    assert anonymous().get("/").content == vi.content
    assert vi.content != en.content
    assert 'lang="en"' in en.content.decode() and 'lang="vi"' in vi.content.decode()


def test_a_response_that_sets_a_cookie_is_never_stored(world, rf):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("x")
        response.set_cookie("csrftoken", "abc")
        return response

    middleware = pagecache.PublicCacheMiddleware(view)
    request = rf.get("/")
    assert middleware(request).cookies
    assert pagecache.HEADER not in middleware(rf.get("/"))  # not stored: rendered again


def test_etag_and_last_modified_let_clients_revalidate(world):
    first = anonymous().get(API_DETAIL)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "no-cache"
    assert anonymous().get(API_DETAIL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert anonymous().get(API_DETAIL, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    catalog_services.set_processing_time(world.procedure, 9)
    again = anonymous().get(API_DETAIL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    open311 = anonymous().get("/open311/v2/services.json")
    assert (
        anonymous().get("/open311/v2/services.json", HTTP_IF_NONE_MATCH=open311["ETag"]).status_code
        == 304
    )


def test_the_api_rate_limit_holds_for_cached_answers(world, settings):
    settings.MOTCUA_API_PUBLIC_RATE = "3/60"
    codes = [anonymous().get("/api/v1/catalog/procedures").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_the_version_is_shared_through_the_database_without_redis(world):
    before = pagecache.current()
    Field.objects.create(name_vi="Lĩnh vực mới")
    after = pagecache.current()
    assert after.token != before.token and after.changed >= before.changed


def test_the_search_filters_fragment_follows_the_catalogue(world, settings):
    from django.template.loader import render_to_string

    from motcua.portal.forms import SearchForm

    settings.MOTCUA_PUBLIC_CACHE_SECONDS = 0  # the filters' own cache only
    page = anonymous().get("/", {"q": "khai", "level": "commune"}).content.decode()
    form = SearchForm({"q": "khai", "level": "commune"})
    assert render_to_string("portal/_filters.html", {"form": form}) in page
    Field.objects.create(name_vi="Lĩnh vực vừa thêm")
    page = anonymous().get("/", {"q": "khai", "level": "commune"}).content.decode()
    assert "Lĩnh vực vừa thêm</option>" in page
