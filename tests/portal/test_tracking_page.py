"""The tracking page writes its two fields out (speed, issue 11): the markup must stay what the
generic field template gives, errors and ARIA links included."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string

from motcua.portal.forms import TrackingForm


def _fields(html: str) -> str:
    found = re.findall(r'<div class="field[^"]*">.*?</div>', html, flags=re.S)
    return re.sub(r"\s+", " ", "".join(found)).replace("> <", "><").strip()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"code": "abc", "digits": "12"},
        {"code": 'A"B<script>', "digits": "1234"},
        {"code": "", "digits": "x"},
        {"code": "X" * 61, "digits": "1234"},
    ],
)
def test_the_written_out_fields_are_the_generic_templates_markup(client, db, query):
    page = client.get("/tra-cuu/", query).content.decode()
    form = TrackingForm(query or None)
    form.is_valid()
    generic = "".join(
        render_to_string("portal/_field.html", {"field": field, "form": form}) for field in form
    )
    assert _fields(page) == _fields(generic)
    assert _fields(page)  # the fields are there
