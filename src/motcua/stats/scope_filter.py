"""Turn a ``Scope`` (agency code, with or without its subtree) into ORM filters, for the
non-dossier inputs (feedback, ratings, catalogue). The dossier engine has its own."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.stats.types import Scope


class UnknownAgency(ValueError):
    """The scope names an agency code that does not exist."""

    code = "unknown_agency"

    def __init__(self, agency_code: str) -> None:
        self.message = _("Không có cơ quan, đơn vị mã “%(code)s”.") % {"code": agency_code[:40]}
        super().__init__(self.message)


def scope_agency(scope: Scope) -> Agency:
    agency = Agency.objects.filter(code=scope.agency_code).first()
    if agency is None:
        raise UnknownAgency(scope.agency_code)
    return agency


def agency_q(field: str, agency: Agency, *, subtree: bool) -> Q:
    """Rows whose ``field`` (a foreign key to Agency) is ``agency`` or, with ``subtree``, any
    unit under it (one indexed ``path LIKE 'prefix%'``)."""
    if subtree:
        return Q(**{f"{field}__path__startswith": agency.path})
    return Q(**{field: agency})


def is_root(agency: Agency) -> bool:
    return agency.parent_id is None
