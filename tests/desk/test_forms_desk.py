"""The desk's views of the legal forms: fonts served as static files, the signer chosen among
the deciding agency's configured signers when a letter (Form 04/05) is issued."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders

from motcua.agencies.models import AgencySigner
from motcua.dossiers.models import Dossier, IssuedForm

from .conftest import login, new_dossier


def test_form_html_links_fonts_as_static_files_never_server_paths(world):
    d = new_dossier(world)
    form = IssuedForm.objects.get(dossier=d, form="01")
    html = login(world.desk_officer_a).get(f"/desk/dossiers/{d.code}/forms/{form.pk}/")
    html = html.content.decode()
    assert "file://" not in html
    urls = re.findall(r'url\("([^"]+)"\)', html)
    assert len(urls) == 4 and all(u.startswith("/static/motcua/fonts/") for u in urls)
    for url in urls:  # each one is a file the static finders serve
        assert finders.find(url.removeprefix("/static/"))


def test_stop_notice_is_signed_by_the_signer_chosen_on_the_desk(world):
    deputy = AgencySigner.objects.create(
        agency=world.a, name="Lê Thị Mỹ Duyên", role="deputy", position="Phó Chủ tịch"
    )
    other = AgencySigner.objects.create(
        agency=world.b, name="Người khác", role="head", position="Chủ tịch"
    )
    d = new_dossier(world, state="received")
    client = login(world.leader_a)
    page = client.get(f"/desk/dossiers/{d.code}/").content.decode()
    assert "Lê Thị Mỹ Duyên" in page and "Người khác" not in page  # only the agency's signers
    refused = client.post(
        f"/desk/dossiers/{d.code}/actions/stop/",
        {"expected_version": d.version, "reason": "Dừng", "signer": other.pk},
    )
    assert refused.status_code == 400
    client.post(
        f"/desk/dossiers/{d.code}/actions/stop/",
        {"expected_version": d.version, "reason": "Dừng", "signer": deputy.pk},
    )
    assert Dossier.objects.get(pk=d.pk).state == "stopped"
    snapshot = IssuedForm.objects.get(dossier=d, form="05").snapshot
    assert snapshot["signer"] == {
        "title": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "name": "Lê Thị Mỹ Duyên",
        "id": str(deputy.pk),
    }
