"""The shortcuts list pages take to render rows (core.links, core.widgets) give the same
markup as Django's own reverse() and Select."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from motcua.core.links import row_link
from motcua.core.widgets import PlainSelect

CODES = [
    "000.00.22.H13-240407-0001",
    "HS 2026 ngoài",  # a space, non-ASCII
    "a%b&c=d?e#f",
    "~:@!$'()*+,;",
]


@pytest.mark.parametrize("viewname", ["desk:dossier", "portal:dossier"])
@pytest.mark.parametrize("code", CODES)
def test_row_link_is_what_reverse_gives(viewname, code):
    assert row_link(viewname, "code")(code) == reverse(viewname, kwargs={"code": code})


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", [None, "", "b", 2, ["b"]])
def test_plain_select_renders_as_select(value):
    choices = [("", "Mọi thủ tục"), ("a", "A & <b>"), ("b", 'say "hi"'), (2, "hai")]
    attrs = {"id": "id_x", "data-autosubmit": True, "class": "wide"}
    ours = PlainSelect(choices=choices).render("x", value, attrs=attrs)
    django = forms.Select(choices=choices).render("x", value, attrs=attrs)
    assert _normal(ours) == _normal(django)
    assert ours.count(" selected>") == 1  # None and "" select the empty choice
