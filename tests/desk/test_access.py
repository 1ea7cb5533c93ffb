"""Who gets into the desk, and scope: another agency's dossier does not exist (404)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from motcua.dossiers import services as S
from motcua.dossiers.attachments import attach

from .conftest import login, make_png, new_dossier


def test_anonymous_is_sent_to_the_desk_login(world):
    response = Client().get("/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/desk/login/?next=/desk/")


def test_login_page_signs_an_officer_in(world):
    client = Client()
    page = client.get("/desk/login/")
    assert "Đăng nhập Bộ phận Một cửa" in page.content.decode()
    response = client.post(
        "/desk/login/", {"username": "desk_officer_a", "password": "x-Secret-123"}
    )
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200


def test_wrong_password_is_refused_in_vietnamese(world):
    response = Client().post("/desk/login/", {"username": "desk_officer_a", "password": "nope"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_citizen_gets_a_clear_403_in_vietnamese(world):
    client = login(world.citizen1)
    for url in ("/desk/", "/desk/reception/", "/desk/search/?q=a", "/desk/log/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Không có quyền truy cập" in response.content.decode()


def test_citizen_cannot_open_even_their_own_dossier_at_the_desk(world):
    d = new_dossier(world)
    response = login(world.citizen1).get(f"/desk/dossiers/{d.code}/")
    assert response.status_code == 403


def test_officer_of_b_gets_404_on_every_url_of_an_a_dossier(world):
    d = new_dossier(world, state="in_process")
    att = attach(d.pk, by=world.desk_officer_a, upload=_png(), name="scan.png")
    form = d.forms.first()
    slip = S.issue_control_slip(d.pk, by=world.desk_officer_a)
    code = d.code
    client = login(world.desk_officer_b)
    gets = [
        f"/desk/dossiers/{code}/",
        f"/desk/dossiers/{code}/files/{att.pk}/",
        f"/desk/dossiers/{code}/forms/{form.pk}/",
        f"/desk/dossiers/{code}/forms/{form.pk}/pdf/",
        f"/desk/dossiers/{code}/forms/{slip.pk}/pdf/",
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Nguyễn Thị Hồng Nhung" not in response.content.decode(errors="ignore")
    posts = [f"/desk/dossiers/{code}/actions/{a}/" for a in ("hand_over", "approve", "withdraw")]
    posts += [f"/desk/dossiers/{code}/files/", f"/desk/dossiers/{code}/control-slip/"]
    for url in posts:
        assert client.post(url, {"expected_version": d.version}).status_code == 404, url
    # and the same officer of A, or the district administrator above both, sees it
    assert login(world.desk_officer_a).get(gets[0]).status_code == 200
    assert login(world.admin_d).get(gets[0]).status_code == 200
    d.refresh_from_db()
    assert d.state == "in_process"


def test_attachment_of_another_dossier_is_404_even_in_scope(world):
    d1 = new_dossier(world)
    d2 = new_dossier(world)
    att = attach(d1.pk, by=world.desk_officer_a, upload=_png(), name="scan.png")
    client = login(world.desk_officer_a)
    assert client.get(f"/desk/dossiers/{d2.code}/files/{att.pk}/").status_code == 404
    ok = client.get(f"/desk/dossiers/{d1.code}/files/{att.pk}/")
    assert ok.status_code == 200 and ok["Content-Type"] == "image/png"
    assert b"".join(ok.streaming_content).startswith(b"\x89PNG")


def test_queue_and_search_never_list_another_agencys_dossiers(world):
    a = new_dossier(world)
    b = new_dossier(world, agency=world.b)
    link_a, link_b = f"/desk/dossiers/{a.code}/", f"/desk/dossiers/{b.code}/"
    page_b = login(world.desk_officer_b).get("/desk/").content.decode()
    assert link_b in page_b and link_a not in page_b
    search_b = login(world.desk_officer_b).get("/desk/search/", {"q": a.code}).content.decode()
    assert link_a not in search_b and "Không có hồ sơ nào." in search_b
    by_name = login(world.desk_officer_b).get("/desk/search/", {"q": "nguyen thi hong"})
    assert link_b in by_name.content.decode() and link_a not in by_name.content.decode()


def test_id_number_lookup_only_uses_dossiers_in_scope(world):
    new_dossier(world)
    url = reverse("desk:reception_lookup")
    seen = login(world.desk_officer_a).get(url, {"id_number": "092190001234"})
    assert 'value="Nguyễn Thị Hồng Nhung"' in seen.content.decode()
    unseen = login(world.desk_officer_b).get(url, {"id_number": "092190001234"})
    assert "Nguyễn Thị Hồng Nhung" not in unseen.content.decode()
    assert "Không có hồ sơ trước đây" in unseen.content.decode()


def _png():
    import io

    return io.BytesIO(make_png())
