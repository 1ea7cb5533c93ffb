"""Registering a counter tablet from the desk, per role (issue 9 §5: only the admin could,
and /desk/kiosk/ answered 403 to the officer setting one up)."""

from __future__ import annotations

import re

from django.test import Client

from motcua.core.models import ChangeEvent
from motcua.ratings.models import KioskDevice
from motcua.ratings.services import kiosk_for_token

from .conftest import login


def _register(client, agency, name="Quầy số 1"):
    return client.post("/desk/kiosks/", {"agency": agency.pk, "name": name})


def test_agency_admin_registers_a_kiosk_and_sees_the_token_once(world):
    client = login(world.admin_d)  # district administrator: the communes are in the subtree
    posted = _register(client, world.a)
    assert posted.status_code == 302 and posted["Location"] == "/desk/kiosks/"
    response = client.get("/desk/kiosks/")
    html = response.content.decode()
    token = re.search(r'id="kiosk-token">([^<]+)<', html).group(1)
    device = KioskDevice.objects.get()
    assert kiosk_for_token(token) == device and device.agency == world.a
    assert f"/desk/kiosk/setup/{token}/" in html
    assert "no-store" in response["Cache-Control"]
    event = ChangeEvent.objects.get(action="register_kiosk")
    assert event.actor == world.admin_d and token not in str(event.data)
    listing = client.get("/desk/kiosks/").content.decode()
    assert "Quầy số 1" in listing and token not in listing


def test_province_admin_and_superuser_may_register(world):
    assert _register(login(world.admin_p), world.b).status_code == 302
    assert _register(login(world.root), world.a, "Quầy 2").status_code == 302
    assert KioskDevice.objects.count() == 2


def test_desk_officer_sees_the_devices_but_cannot_register(world):
    client = login(world.desk_officer_a)
    page = client.get("/desk/kiosks/")
    assert page.status_code == 200 and "kiosk-form" not in page.content.decode()
    response = _register(client, world.a)
    assert response.status_code == 403
    assert not KioskDevice.objects.exists()


def test_agency_admin_cannot_register_outside_their_subtree(world):
    response = _register(login(world.admin_d), world.province)
    assert response.status_code == 403
    assert not KioskDevice.objects.exists()


def test_blank_name_is_a_field_error(world):
    response = _register(login(world.admin_d), world.a, "  ")
    assert response.status_code == 400
    assert "Vui lòng nhập tên thiết bị / quầy." in response.content.decode()


def test_citizen_and_anonymous_cannot_open_the_devices_page(world):
    assert login(world.citizen1).get("/desk/kiosks/").status_code == 403
    anonymous = Client().get("/desk/kiosks/")
    assert anonymous.status_code == 302 and "/desk/login/" in anonymous["Location"]


def test_kiosk_page_without_a_device_sends_an_officer_to_registration(world):
    response = login(world.admin_d).get("/desk/kiosk/")
    assert response.status_code == 302 and response["Location"] == "/desk/kiosks/"
    assert Client().get("/desk/kiosk/").status_code == 403  # an unregistered tablet


def test_devices_page_and_reception_override_in_english(world):
    client = login(world.admin_d)
    client.post("/i18n/setlang/", {"language": "en", "next": "/desk/"})
    html = client.get("/desk/kiosks/").content.decode()
    assert "Registered devices" in html and "Register a new device" in html
    reception = client.get(f"/desk/reception/?procedure={world.procedure.pk}").content.decode()
    assert "Reason for receiving despite missing mandatory documents" in reception
