"""Links for the rows of a list: one ``reverse()`` a page instead of one a row.

``reverse()`` costs about as much as rendering the rest of a table row (it walks the URL
patterns and quotes every argument), and a queue page links 25 dossiers that differ only in
their code.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

_MARK = "~arg~"
# what reverse() leaves unquoted in a path argument (django.urls.resolvers), "/" aside: the
# ``str`` converter this is meant for cannot match it
_SAFE = RFC3986_SUBDELIMS + "~:@"


def row_link(viewname: str, kwarg: str) -> Callable[[str], str]:
    """``value -> reverse(viewname, kwargs={kwarg: value})`` for a ``<str:…>`` argument."""
    pattern = reverse(viewname, kwargs={kwarg: _MARK})
    return lambda value: pattern.replace(_MARK, quote(value, safe=_SAFE))
