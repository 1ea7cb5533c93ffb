"""Read paths of the certificate register: the scoped list and its filters, certificates
expiring soon, and the stock counts the bulletin prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.certificates import permissions
from motcua.certificates.models import Certificate
from motcua.certificates.rules import Kind, Status
from motcua.core.models import ChangeEvent

MAX_WITHIN_DAYS = 3660  # ten years: beyond any certificate's validity


def visible(user: User) -> QuerySet[Certificate]:
    return Certificate.objects.select_related("agency", "user").filter(permissions.visible(user))


def in_subtree(certificates: QuerySet[Certificate], agency: Agency) -> QuerySet[Certificate]:
    if not agency.path:  # not saved through Agency.save: only the agency itself
        return certificates.filter(agency=agency)
    return certificates.filter(agency__path__startswith=agency.path)


def expiring(
    within_days: int, *, today: dt.date, certificates: QuerySet[Certificate] | None = None
) -> QuerySet[Certificate]:
    """Certificates still usable today that expire within ``within_days`` days (today
    included): the ones whose holders must renew them."""
    within_days = max(0, min(int(within_days), MAX_WITHIN_DAYS))
    base = Certificate.objects.all() if certificates is None else certificates
    return base.filter(
        status=Status.ACTIVE,
        valid_from__lte=today,
        valid_to__gte=today,
        valid_to__lte=today + dt.timedelta(days=within_days),
    ).order_by("valid_to", "pk")


def effectively(status: str, today: dt.date) -> Q:
    """A filter on the status the register shows today (rules.effective_status in SQL)."""
    if status == Status.EXPIRED:
        return Q(status=Status.EXPIRED) | Q(status=Status.ACTIVE, valid_to__lt=today)
    if status == Status.ACTIVE:
        return Q(status=Status.ACTIVE, valid_to__gte=today)
    return Q(status=status)


def active_on(day: dt.date) -> Q:
    """rules.active_on in SQL: valid on ``day`` and neither revoked nor returned by then."""
    return (
        Q(valid_from__lte=day, valid_to__gte=day)
        & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
        & (Q(returned_on__isnull=True) | Q(returned_on__gt=day))
        & ~Q(status__in=[Status.REVOKED], revoked_on__isnull=True)
        & ~Q(status__in=[Status.RETURNED], returned_on__isnull=True)
    )


@dataclass(frozen=True)
class Stock:
    organisation_issued: int
    organisation_active: int
    personal_issued: int
    personal_active: int
    tokens: int


def stock(end: dt.date, agency: Agency | None = None) -> Stock:
    """The register at the end of ``end``: certificates issued (valid from) on or before it,
    those active that day, and personal certificates on a USB token — in one query."""
    rows = Certificate.objects.filter(valid_from__lte=end)
    if agency is not None:
        rows = in_subtree(rows, agency)
    org, per = Q(kind=Kind.ORGANISATION), Q(kind=Kind.PERSONAL)
    counts = rows.aggregate(
        oi=Count("pk", filter=org),
        oa=Count("pk", filter=org & active_on(end)),
        pi=Count("pk", filter=per),
        pa=Count("pk", filter=per & active_on(end)),
        tk=Count("pk", filter=per & ~Q(token_serial="")),
    )
    return Stock(counts["oi"], counts["oa"], counts["pi"], counts["pa"], counts["tk"])


def history(certificate: Certificate) -> QuerySet[ChangeEvent]:
    return ChangeEvent.objects.filter(
        object_type="certificates.certificate", object_id=str(certificate.pk)
    ).select_related("actor")
