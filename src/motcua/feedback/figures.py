"""The bulletin's 1022 figures (``feedback.*``), read from the reporting layer
(``stats.petitions.feedback_figures``): the items received in the period, those handled by
its end, those still in progress (received = handled + in progress)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core.figures import FLOW, Figure, FigureQuery

SOURCE = "stats.petitions.feedback_figures"


def provide(query: FigureQuery) -> Iterator[Figure]:
    from motcua.stats.figures import period_of, scope_of  # stats reads feedback's models
    from motcua.stats.petitions import feedback_figures

    scope = scope_of(query)
    if scope is None:
        return
    f = feedback_figures(scope, period_of(query))
    url = reverse("feedback:stats")
    handled = f.handled_on_time + f.handled_late
    yield Figure(
        "feedback.received", _("Phản ánh, kiến nghị tiếp nhận"), f.received, "", FLOW, SOURCE, url
    )
    yield Figure(
        "feedback.handled", _("Phản ánh, kiến nghị đã xử lý"), handled, "", FLOW, SOURCE, url
    )
    yield Figure(
        "feedback.in_progress",
        _("Phản ánh, kiến nghị đang xử lý"),
        f.in_progress,
        "",
        FLOW,
        SOURCE,
        url,
    )
