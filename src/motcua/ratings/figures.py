"""The bulletin's satisfaction figure (``ratings.total``): the ratings given in the period,
read from the reporting layer (``stats.satisfaction.satisfaction_figures``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from motcua.core.figures import FLOW, Figure, FigureQuery

SOURCE = "stats.satisfaction.satisfaction_figures"


def provide(query: FigureQuery) -> Iterator[Figure]:
    from motcua.stats.figures import period_of, scope_of, stats_url
    from motcua.stats.satisfaction import satisfaction_figures

    scope = scope_of(query)
    if scope is None:
        return
    f = satisfaction_figures(scope, period_of(query))
    yield Figure(
        "ratings.total",
        _("Lượt đánh giá sự hài lòng"),
        f.total,
        "",
        FLOW,
        SOURCE,
        stats_url(query, scope),
    )
