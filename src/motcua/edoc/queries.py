"""Reads of the document registers, always through the user's agency scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.accounts.models import OFFICER_ROLES, Membership, User
from motcua.accounts.scope import agency_scope_q, scope_agency_ids
from motcua.agencies.models import Agency
from motcua.edoc.models import Document, PartnerOrgan
from motcua.edoc.rules import Direction


def visible_documents(user: User) -> QuerySet[Document]:
    """Documents of the agencies in the user's scope (others do not exist for them)."""
    return Document.objects.filter(agency_scope_q(user, "agency"))


def register(user: User, direction: str, filters: dict) -> QuerySet[Document]:
    docs = visible_documents(user).filter(direction=direction).select_related("agency", "assignee")
    if filters.get("agency"):
        docs = docs.filter(agency_id=filters["agency"])
    if filters.get("status"):
        docs = docs.filter(status=filters["status"])
    if filters.get("priority") is not None:
        docs = docs.filter(priority=filters["priority"])
    if filters.get("mine"):
        docs = docs.filter(assignee=user)
    if filters.get("start"):
        docs = docs.filter(promulgation_date__gte=filters["start"])
    if filters.get("end"):
        docs = docs.filter(promulgation_date__lte=filters["end"])
    q = (filters.get("q") or "").strip()
    if q:
        docs = docs.filter(
            Q(subject__icontains=q)
            | Q(code_notation__icontains=q)
            | Q(code_number=q)
            | Q(counterpart_name__icontains=q)
        )
    return docs.order_by("-register_year", "-register_number")


def own_agencies(user: User) -> QuerySet[Agency]:
    """Agencies whose registers the user may write to (with an organ id)."""
    if user.is_superuser:
        base = Agency.objects.all()
    else:
        base = Agency.objects.filter(pk__in=scope_agency_ids(user, set(OFFICER_ROLES)))
    return base.exclude(edxml_organ_id="").order_by("path")


def destinations(exclude: str = "") -> list[tuple[str, str]]:
    """(organ id, name) of everyone a document may be sent to: motcua's agencies, then the
    organisations of the axis directory."""
    local = list(
        Agency.objects.exclude(edxml_organ_id="")
        .exclude(edxml_organ_id=exclude)
        .order_by("path")
        .values_list("edxml_organ_id", "name_vi")
    )
    known = {organ for organ, _ in local}
    partners = [
        (p.organ_id, p.name)
        for p in PartnerOrgan.objects.exclude(organ_id__in=known).exclude(organ_id=exclude)
    ]
    return local + partners


def officers_of(agency: Agency) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__agency=agency, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


def is_member(user: User, agency: Agency) -> bool:
    return Membership.objects.filter(user=user, agency=agency).exists()


__all__ = ["Direction", "destinations", "officers_of", "own_agencies", "register"]
