"""The bulletin's one-stop figures (``stats.dossiers.*``), read from the reporting layer
(``stats.queries.dossier_figures``): the bulletin never counts dossiers itself.

Also the scope helpers the other providers share: a ``FigureQuery`` without an agency is the
whole province (the agency without a superior)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.core.figures import FLOW, STOCK, Figure, FigureQuery
from motcua.stats import periods, queries
from motcua.stats.exports.reports import on_time_rate, online_share
from motcua.stats.exports.tables import percent
from motcua.stats.types import Period, Scope

SOURCE = "stats.queries.dossier_figures"


def province_code() -> str | None:
    """The province (city): the agency without a superior, lowest code first."""
    return (
        Agency.objects.filter(parent__isnull=True).order_by("code").values_list("code", flat=True)
    ).first()


def scope_of(query: FigureQuery) -> Scope | None:
    """The query's scope (the province when it names no agency); None when there is none."""
    code = query.agency_code or province_code()
    return Scope(code, subtree=True) if code else None


def period_of(query: FigureQuery) -> Period:
    return periods.range_period(query.start, query.end)


def stats_url(query: FigureQuery, scope: Scope) -> str:
    spec = f"{query.start.isoformat()}..{query.end.isoformat()}"
    return (
        reverse("deskstats:dashboard")
        + "?"
        + urlencode({"period": spec, "agency": scope.agency_code})
    )


def provide(query: FigureQuery) -> Iterator[Figure]:
    scope = scope_of(query)
    if scope is None:
        return
    f = queries.dossier_figures(scope, period_of(query))
    url = stats_url(query, scope)

    def fig(key: str, label: str, value: int | Decimal | None, unit: str = "", kind=FLOW):
        return Figure(f"stats.dossiers.{key}", label, value, unit, kind, SOURCE, url)

    yield fig("received", _("Hồ sơ tiếp nhận trong kỳ"), f.received)
    yield fig("online", _("Hồ sơ tiếp nhận trực tuyến"), f.online_received)
    yield fig("carried_over", _("Hồ sơ kỳ trước chuyển qua"), f.carried_over, kind=STOCK)
    yield fig("settled", _("Hồ sơ đã giải quyết"), f.settled)
    yield fig(
        "settled_on_time",
        _("Hồ sơ giải quyết đúng và trước hạn"),
        f.settled_early + f.settled_on_time,
    )
    yield fig("settled_late", _("Hồ sơ giải quyết quá hạn"), f.settled_late)
    yield fig(
        "in_progress",
        _("Hồ sơ đang giải quyết"),
        f.in_progress_within + f.in_progress_overdue,
        kind=STOCK,
    )
    yield fig(
        "in_progress_overdue", _("Hồ sơ đang giải quyết quá hạn"), f.in_progress_overdue, kind=STOCK
    )
    yield fig("on_time_pct", _("Tỷ lệ giải quyết đúng hạn"), percent(on_time_rate(f)), "%")
    yield fig("online_pct", _("Tỷ lệ hồ sơ trực tuyến"), percent(online_share(f)), "%")
    yield fig("paid_online", _("Hồ sơ thanh toán trực tuyến"), f.paid_online)
