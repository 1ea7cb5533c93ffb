"""The edoc figures of the bulletin: documents motcua's agencies sent and received through the
exchange within the period, and how many of motcua's agencies took part (flows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.core.figures import FLOW, Figure, FigureQuery
from motcua.edoc.models import Document
from motcua.edoc.rules import Direction

SOURCE = "Sổ văn bản đến/đi (motcua.edoc)"


def _bounds(query: FigureQuery) -> tuple[dt.datetime, dt.datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(query.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(query.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _documents(query: FigureQuery):
    start, end = _bounds(query)
    # exchanged documents only: those that went through a hub (a package was built/received)
    docs = Document.objects.filter(created_at__gte=start, created_at__lt=end).exclude(package="")
    if query.agency_code:
        root = Agency.objects.filter(code=query.agency_code).values_list("path", flat=True).first()
        if root is None:
            return docs.none()
        docs = docs.filter(agency__path__startswith=root)
    return docs


def provide(query: FigureQuery) -> Iterable[Figure]:
    docs = _documents(query)
    sent = docs.filter(direction=Direction.OUT).count()
    received = docs.filter(direction=Direction.IN).count()
    exchanging = (
        docs.filter(Q(direction=Direction.OUT) | Q(direction=Direction.IN))
        .values("agency_id")
        .distinct()
        .count()
    )
    yield Figure(
        key="edoc.documents.sent",
        label=_("Văn bản điện tử đã gửi liên thông"),
        value=sent,
        kind=FLOW,
        source=SOURCE,
        drill_url="/desk/van-ban/di/",
    )
    yield Figure(
        key="edoc.documents.received",
        label=_("Văn bản điện tử đã nhận liên thông"),
        value=received,
        kind=FLOW,
        source=SOURCE,
        drill_url="/desk/van-ban/den/",
    )
    yield Figure(
        key="edoc.agencies.exchanging_in_motcua",
        label=_("Cơ quan trên motcua có gửi, nhận văn bản điện tử"),
        value=exchanging,
        kind=FLOW,
        source=SOURCE,
    )
