"""Legal forms in a real browser: the HTML view of a form loads its bundled fonts from the
server's static files (not file:/// server paths), and a stop notice is signed by the signer
chosen on the desk."""

from __future__ import annotations

import pytest

from motcua.agencies.models import AgencySigner
from motcua.dossiers.models import IssuedForm
from tests.desk.conftest import new_dossier
from tests.dossiers.conftest import make_world

from .test_desk_flows import sign_in


@pytest.fixture
def world(transactional_db):
    return make_world()


def test_form_html_view_loads_its_fonts_from_static_files(page, world):
    d = new_dossier(world)
    form = IssuedForm.objects.get(dossier=d, form="01")
    sign_in(page, "desk_officer_a")
    fonts: list[tuple[str, int]] = []
    page.on("response", lambda r: fonts.append((r.url, r.status)) if ".ttf" in r.url else None)
    page.goto(page.base + f"/desk/dossiers/{d.code}/forms/{form.pk}/")
    page.wait_for_load_state("networkidle")
    loaded = page.evaluate(
        "async () => { await document.fonts.ready;"
        " return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family); }"
    )
    assert any("Motcua Serif" in family for family in loaded)
    assert fonts and all(status == 200 for _, status in fonts)
    assert all("/static/motcua/fonts/" in url for url, _ in fonts)
    assert "file://" not in page.content()


def test_stop_notice_signed_by_the_signer_chosen_on_the_desk(page, world):
    AgencySigner.objects.create(
        agency=world.a, name="Võ Văn Thành", role="head", position="Chủ tịch"
    )
    AgencySigner.objects.create(
        agency=world.a, name="Lê Thị Mỹ Duyên", role="deputy", position="Phó Chủ tịch"
    )
    d = new_dossier(world, state="received")
    sign_in(page, "leader_a")
    page.goto(page.base + f"/desk/dossiers/{d.code}/")
    stop = page.locator("form[action$='/actions/stop/']")
    if not stop.is_visible():
        page.get_by_text("Dừng giải quyết").first.click()
    stop.get_by_label("Lý do").fill("Người yêu cầu đề nghị dừng")
    stop.get_by_label("Người ký").select_option(label="Phó Chủ tịch Lê Thị Mỹ Duyên")
    stop.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    notice = IssuedForm.objects.get(dossier=d, form="05").snapshot
    assert notice["signer"]["name"] == "Lê Thị Mỹ Duyên"
    assert notice["signer"]["title"].splitlines()[1:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
