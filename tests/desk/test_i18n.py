"""Vietnamese by default, English when switched, engine labels included."""

from __future__ import annotations

from django.utils import translation

from motcua.dossiers.rules import ACTION_LABELS_VI, STATE_LABELS_VI
from motcua.ratings.models import Level

from .conftest import login, new_dossier


def test_every_engine_label_has_an_english_translation():
    with translation.override("en"):
        for label in [*STATE_LABELS_VI.values(), *ACTION_LABELS_VI.values(), *Level.labels]:
            assert translation.gettext(label) != label, label


def test_queue_in_english_when_switched(world):
    new_dossier(world)
    client = login(world.desk_officer_a)
    assert "Hàng đợi hồ sơ" in client.get("/desk/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/desk/"})
    html = client.get("/desk/").content.decode()
    assert "Work queue" in html and "On time" in html and ">Received<" in html.replace("</td>", "<")
