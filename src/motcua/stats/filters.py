"""The filters of every statistics view (page, export, API): a period spec, an agency code and
whether the agency's subordinate units are pooled. Read once here, so a bad value gets the same
clear Vietnamese message (and stable code) everywhere and never reaches the query layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier
from motcua.stats import periods
from motcua.stats.types import Period, Scope

MAX_CODE_LENGTH = 60


class FilterError(ValueError):
    """A filter the reader sent is malformed, out of bounds or names an unknown agency."""

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


@dataclass(frozen=True)
class Filters:
    spec: str  # the period spec as read ("2021", "2021-Q3", "2021-01-01..2021-09-30")
    period: Period
    agency: Agency
    subtree: bool

    @property
    def scope(self) -> Scope:
        return Scope(self.agency.code, self.subtree)

    def query(self, **extra: object) -> str:
        """The filters as a query string, so a view can be shared and its exports linked."""
        params: dict[str, object] = {"period": self.spec, "agency": self.agency.code}
        if not self.subtree:
            params["subtree"] = "0"
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(params)


def root_agency() -> Agency | None:
    """The province (city): the agency without a superior, lowest code first."""
    return Agency.objects.filter(parent__isnull=True).order_by("code").first()


def default_spec(today: dt.date) -> str:
    """The latest year with a received dossier (the demo's 2021), else this year: a first
    visit shows figures rather than an empty current year."""
    latest = Dossier.objects.aggregate(m=Max("received_at"))["m"]
    year = timezone.localtime(latest).year if latest else today.year
    return str(min(year, today.year))


def parse(params, *, today: dt.date, default_agency: Agency | None = None) -> Filters:
    """Read ``period``, ``agency`` and ``subtree`` from a mapping of query parameters."""
    spec = (params.get("period") or "").strip() or default_spec(today)
    try:
        period = periods.parse_period(spec, today=today)
    except ValueError as exc:
        message = getattr(exc, "message", str(exc))
        raise FilterError(getattr(exc, "code", "invalid_period"), message, "period") from None
    code = (params.get("agency") or "").strip()
    if len(code) > MAX_CODE_LENGTH:
        raise FilterError("unknown_agency", _("Không tìm thấy cơ quan có mã này."), "agency")
    if code:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise FilterError("unknown_agency", _("Không tìm thấy cơ quan có mã này."), "agency")
    else:
        agency = default_agency or root_agency()
        if agency is None:
            raise FilterError("unknown_agency", _("Chưa có cơ quan nào."), "agency")
    raw_subtree = (params.get("subtree") or "1").strip().lower()
    if raw_subtree not in ("1", "0", "true", "false", "yes", "no"):
        raise FilterError("invalid_subtree", _("Tham số subtree chỉ nhận 1 hoặc 0."), "subtree")
    subtree = raw_subtree in ("1", "true", "yes")
    return Filters(spec=period.key or spec, period=period, agency=agency, subtree=subtree)
