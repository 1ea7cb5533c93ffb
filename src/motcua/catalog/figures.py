"""The bulletin's catalogue figures (``catalog.*``): the procedures in force (``is_active``) at
the period's end, by who laid them down, online level (2021's "mức độ 3/4") and integration on
the national public-service portal. Stock figures: the catalogue as it stands.

With an agency scope, the procedures that agency or one under it implements."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.models import HistoricalOnlineLevel, Origin, Procedure
from motcua.core.figures import STOCK, Figure, FigureQuery

SOURCE = "catalog.Procedure"


def procedures_in_force(agency_code: str | None) -> QuerySet[Procedure] | None:
    qs = Procedure.objects.filter(is_active=True)
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            return None
        ids = Procedure.objects.filter(implementing_agencies__path__startswith=agency.path).values(
            "pk"
        )
        qs = qs.filter(pk__in=ids)
    return qs


def _url(**filters: object) -> str:
    params = {"is_active__exact": 1, **filters}
    return reverse("admin:catalog_procedure_changelist") + "?" + urlencode(params)


def provide(query: FigureQuery) -> Iterator[Figure]:
    qs = procedures_in_force(query.agency_code)
    if qs is None:
        return
    level = "historical_online_level"
    c = qs.aggregate(
        total=Count("pk"),
        central=Count("pk", filter=Q(origin=Origin.CENTRAL)),
        local=Count("pk", filter=Q(origin=Origin.LOCAL)),
        interlinked=Count("pk", filter=Q(origin=Origin.INTERLINKED)),
        partial=Count("pk", filter=Q(**{level: HistoricalOnlineLevel.LEVEL_3})),
        full=Count("pk", filter=Q(**{level: HistoricalOnlineLevel.LEVEL_4})),
        portal=Count("pk", filter=Q(on_national_portal=True)),
    )

    def fig(key: str, label: str, value: int, url: str) -> Figure:
        return Figure(key, label, value, "", STOCK, SOURCE, url)

    yield fig("catalog.procedures.total", _("TTHC thuộc thẩm quyền"), c["total"], _url())
    yield fig(
        "catalog.procedures.central",
        _("TTHC do Trung ương quy định"),
        c["central"],
        _url(origin__exact=Origin.CENTRAL),
    )
    yield fig(
        "catalog.procedures.local",
        _("TTHC do địa phương quy định"),
        c["local"],
        _url(origin__exact=Origin.LOCAL),
    )
    yield fig(
        "catalog.procedures.interlinked",
        _("Nhóm TTHC liên thông"),
        c["interlinked"],
        _url(origin__exact=Origin.INTERLINKED),
    )
    yield fig(
        "catalog.online.total",
        _("TTHC trực tuyến mức độ 3, 4"),
        c["partial"] + c["full"],
        _url(historical_online_level__gte=3),
    )
    yield fig(
        "catalog.online.partial",
        _("TTHC trực tuyến mức độ 3"),
        c["partial"],
        _url(historical_online_level__exact=3),
    )
    yield fig(
        "catalog.online.full",
        _("TTHC trực tuyến mức độ 4"),
        c["full"],
        _url(historical_online_level__exact=4),
    )
    yield fig(
        "catalog.national_portal",
        _("TTHC tích hợp trên Cổng DVC quốc gia"),
        c["portal"],
        _url(on_national_portal__exact=1),
    )
