"""Read paths over the agency tree. Subtrees are one ``path LIKE 'prefix%'`` filter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from motcua.agencies.models import Agency
from motcua.core.text import normalize_search


def subtree(agency: Agency, *, include_self: bool = True) -> QuerySet[Agency]:
    """``agency`` and everything under it (at any date), in tree order."""
    qs = Agency.objects.filter(path__startswith=agency.path)
    return qs if include_self else qs.exclude(pk=agency.pk)


def subtree_filter(prefix_field: str, agencies: Iterable[Agency | str]) -> Q:
    """One ``Q`` matching rows whose agency lies in any of the subtrees rooted at ``agencies``.

    ``prefix_field`` is the lookup from the filtered model to ``Agency`` ("agency",
    "dossier__receiving_agency", or "" for ``Agency`` itself); roots are agencies or their
    paths. Roots nested under another root are dropped; no roots matches nothing.
    """
    lookup = f"{prefix_field}__path__startswith" if prefix_field else "path__startswith"
    paths = sorted({a if isinstance(a, str) else a.path for a in agencies})
    roots: list[str] = []
    for path in paths:  # sorted, so an enclosing root comes before the paths it covers
        if not path:
            raise ValueError("Agency without a path (not saved?)")
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(**{lookup: root})
    return q


def valid_on_filter(day: date, prefix_field: str = "") -> Q:
    """``Q`` for agencies in existence on ``day`` (``valid_from ≤ day < valid_to``)."""
    p = f"{prefix_field}__" if prefix_field else ""
    return (Q(**{f"{p}valid_from__isnull": True}) | Q(**{f"{p}valid_from__lte": day})) & (
        Q(**{f"{p}valid_to__isnull": True}) | Q(**{f"{p}valid_to__gt": day})
    )


def active_on(day: date) -> QuerySet[Agency]:
    """Agencies in existence on ``day``."""
    return Agency.objects.filter(valid_on_filter(day))


def tree_as_of(day: date) -> QuerySet[Agency]:
    """The structure on ``day``, parents before children (ordered by path)."""
    return active_on(day).select_related("parent").order_by("path")


def search_filter(text: str) -> Q | None:
    """Accent-insensitive: every word in the name ("cai khe" finds "Cái Khế"), or the code."""
    words = normalize_search(text).split()
    if not words:
        return None
    by_name = Q()
    for word in words:
        by_name &= Q(name_search__contains=word)
    return by_name | Q(code__icontains=text.strip())


def search(text: str) -> QuerySet[Agency]:
    q = search_filter(text)
    return Agency.objects.filter(q) if q is not None else Agency.objects.none()


def ancestors(agency: Agency) -> QuerySet[Agency]:
    """The agencies above ``agency``, root first (read from its path, one query)."""
    pks = [int(part) for part in agency.path.strip("/").split("/")[:-1] if part]
    return Agency.objects.filter(pk__in=pks).order_by("path")


def successor_chain(agency: Agency) -> Agency:
    """Follow successors (mergers, renames) to the agency that carries on today.

    Reads from the database, so a caller's stale instance still leads to the right agency.
    """
    seen = {agency.pk}
    current = Agency.objects.get(pk=agency.pk)
    while current.successor_id is not None:
        if current.successor_id in seen:
            raise ValidationError(f"Chuỗi đơn vị kế thừa bị vòng lặp tại {current.code}.")
        seen.add(current.successor_id)
        current = current.successor
    return current


def by_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()
