"""Desk forms are carried out once: a double click or a browser re-post of the same rendered
form goes where the first went, instead of acting twice or reporting a conflict."""

from __future__ import annotations

import re

from motcua.dossiers.models import AuditEvent, Dossier

from .conftest import login, new_dossier


def _token(html: str, action: str) -> str:
    form = re.search(rf'data-action="{action}">(.*?)</form>', html, re.S).group(1)
    return re.search(r'name="_once" value="([^"]+)"', form).group(1)


def test_a_form_posted_twice_acts_once(world):
    d = new_dossier(world, state="registered")
    client = login(world.desk_officer_a)
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    data = {"expected_version": d.version, "_once": _token(page, "receive")}
    first = client.post(f"/desk/dossiers/{d.code}/actions/receive/", data)
    assert first.status_code == 302
    again = client.post(f"/desk/dossiers/{d.code}/actions/receive/", data)
    assert again.status_code == 302 and again["Location"] == first["Location"]
    shown = client.get(again["Location"]).content.decode()
    assert "Yêu cầu này đã được thực hiện" in shown
    assert "đã được thay đổi" not in shown
    assert AuditEvent.objects.filter(dossier=d, action="receive").count() == 1
    assert Dossier.objects.get(pk=d.pk).state == "received"


def test_each_rendering_has_its_own_token(world):
    d = new_dossier(world, state="registered")
    client = login(world.desk_officer_a)
    url = f"/desk/dossiers/{d.code}/"
    assert _token(client.get(url).content.decode(), "receive") != _token(
        client.get(url).content.decode(), "receive"
    )


def test_a_refused_form_can_be_corrected_and_sent_again(world):
    d = new_dossier(world, state="registered")
    client = login(world.desk_officer_a)
    token = _token(client.get(f"/desk/dossiers/{d.code}/").content.decode(), "refuse_reception")
    url = f"/desk/dossiers/{d.code}/actions/refuse_reception/"
    empty = client.post(url, {"expected_version": d.version, "_once": token, "reasons": ""})
    assert empty.status_code == 400
    fixed = client.post(
        url, {"expected_version": d.version, "_once": token, "reasons": "Không thuộc thẩm quyền"}
    )
    assert fixed.status_code == 302
    assert Dossier.objects.get(pk=d.pk).state == "not_received"


def test_another_officer_cannot_replay_a_token(world):
    d = new_dossier(world, state="registered")
    mine = login(world.desk_officer_a)
    token = _token(mine.get(f"/desk/dossiers/{d.code}/").content.decode(), "receive")
    assert (
        mine.post(
            f"/desk/dossiers/{d.code}/actions/receive/", {"expected_version": 1, "_once": token}
        ).status_code
        == 302
    )
    # the same token from another account is just another form: the engine decides
    other = login(world.specialist_a).post(
        f"/desk/dossiers/{d.code}/actions/receive/", {"expected_version": 1, "_once": token}
    )
    assert other.status_code in (403, 409)
    assert AuditEvent.objects.filter(dossier=d, action="receive").count() == 1
