"""An administrator registers a counter tablet in the admin; its token is shown once."""

from __future__ import annotations

import re

from motcua.ratings.models import KioskDevice
from motcua.ratings.services import kiosk_for_token
from tests.dossiers.conftest import make_world


def test_registering_a_kiosk_in_the_admin_shows_its_token_once(db, client):
    world = make_world()
    client.force_login(world.root)
    response = client.post(
        "/admin/ratings/kioskdevice/add/",
        {"name": "Quầy số 1", "agency": world.a.pk, "is_active": "on"},
        follow=True,  # the next page shows the message, once
    )
    device = KioskDevice.objects.get()
    text = " ".join(str(m) for m in response.context["messages"])
    token = re.search(r"/desk/kiosk/setup/([^/]+)/", text).group(1)
    assert kiosk_for_token(token) == device and device.token_hash != token
    assert (
        token not in client.get(f"/admin/ratings/kioskdevice/{device.pk}/change/").content.decode()
    )
