"""The certificate figures of the bulletin (stock figures: the register at the query's end).

Keys: certificates.organisation.issued / .active, certificates.personal.issued / .active,
certificates.tokens. "Issued" counts certificates valid from a day on or before the end;
"active" those valid that day and not revoked or returned by then (rules.active_on);
"tokens" the personal certificates issued by then with a USB token serial.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.certificates import queries
from motcua.core.figures import STOCK, Figure, FigureQuery

SOURCE = "Sổ chứng thư số (motcua.certificates)"


def provide(query: FigureQuery) -> Iterable[Figure]:
    agency = None
    if query.agency_code:
        agency = Agency.objects.filter(code=query.agency_code).first()
        if agency is None:  # an unknown agency has no certificates: no record covers it
            return [
                Figure(key, label, None, kind=STOCK, source=SOURCE) for key, label, *_r in _keys()
            ]
    counts = queries.stock(query.end, agency)
    end = query.end.isoformat()
    values = {
        "certificates.organisation.issued": counts.organisation_issued,
        "certificates.organisation.active": counts.organisation_active,
        "certificates.personal.issued": counts.personal_issued,
        "certificates.personal.active": counts.personal_active,
        "certificates.tokens": counts.tokens,
    }
    out = []
    for key, label, params in _keys():
        filters = {k: (end if v == "END" else v) for k, v in params.items()}
        if query.agency_code:
            filters["agency"] = query.agency_code
        url = reverse("certificates:list") + "?" + urlencode(filters)
        out.append(Figure(key, label, values[key], kind=STOCK, source=SOURCE, drill_url=url))
    return out


def _keys() -> list[tuple[str, str, dict]]:
    return [
        (
            "certificates.organisation.issued",
            _("Chứng thư số đã cấp cho tổ chức"),
            {"kind": "organisation", "issued_by": "END"},
        ),
        (
            "certificates.organisation.active",
            _("Chứng thư số của tổ chức đang hoạt động"),
            {"kind": "organisation", "active_at": "END"},
        ),
        (
            "certificates.personal.issued",
            _("Chứng thư số đã cấp cho cá nhân"),
            {"kind": "personal", "issued_by": "END"},
        ),
        (
            "certificates.personal.active",
            _("Chứng thư số của cá nhân đang hoạt động"),
            {"kind": "personal", "active_at": "END"},
        ),
        (
            "certificates.tokens",
            _("Cá nhân được cấp chứng thư số USB token"),
            {"kind": "personal", "token": "1", "issued_by": "END"},
        ),
    ]
