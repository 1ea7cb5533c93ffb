"""Found by the URL-conf fuzz test: admin pages with autocomplete fields answered 500 to an
invalid pre-filled or posted value (core.adminfixes)."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import User


@pytest.fixture
def admin_client_(db) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("root", password="x-Secret-123"))
    return client


@pytest.mark.parametrize("value", ["0001-01-01", "abc", "9223372036854775808", "-1", "1" * 40])
def test_add_page_prefilled_with_an_invalid_parent(admin_client_, value):
    response = admin_client_.get("/admin/agencies/agency/add/", {"parent": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["0001-01-01", "9223372036854775808"])
def test_add_form_posted_with_an_invalid_parent_shows_the_error(admin_client_, value):
    response = admin_client_.post(
        "/admin/agencies/agency/add/",
        {"code": "000.00.99.H13", "name_vi": "Thử", "level": "commune", "parent": value},
    )
    assert response.status_code == 200  # the form again, with its error
    assert "errorlist" in response.content.decode()


def test_routing_rule_add_with_invalid_areas(admin_client_):
    response = admin_client_.get("/admin/feedback/routingrule/add/", {"area": "x", "agency": "y"})
    assert response.status_code == 200
