"""Routing: which agency handles an item, from the editable ``RoutingRule`` rows.

A rule matches when its category is the item's category or one of its ancestors (or empty),
and its area is the item's area or an agency above it (or empty). The lowest priority number
wins; among equal priorities the most specific (closest area, then closest category).
"""

from __future__ import annotations

from django.db.models import Q

from motcua.agencies.models import Agency
from motcua.feedback.models import Category, RoutingRule


def _area_ids(area: Agency | None) -> list[int]:
    if area is None:
        return []
    return [int(p) for p in area.path.strip("/").split("/") if p]


def matching_rules(category: Category, area: Agency | None) -> list[RoutingRule]:
    categories = category.ancestor_ids()
    areas = _area_ids(area)
    depth_of_category = {pk: i for i, pk in enumerate(categories)}
    depth_of_area = {pk: len(areas) - i for i, pk in enumerate(areas)}
    rows = list(
        RoutingRule.objects.filter(active=True)
        .filter(Q(category__isnull=True) | Q(category_id__in=categories))
        .filter(Q(area__isnull=True) | Q(area_id__in=areas))
        .select_related("agency")
    )

    def key(rule: RoutingRule) -> tuple:
        # smaller is more specific: an exact area beats an area above it, and so on
        area_rank = depth_of_area.get(rule.area_id, 999) if rule.area_id else 1000
        cat_rank = depth_of_category.get(rule.category_id, 99) if rule.category_id else 100
        return (rule.priority, area_rank, cat_rank, rule.pk)

    return sorted(rows, key=key)


def route(category: Category, area: Agency | None) -> Agency | None:
    """The responsible agency for this category and area, or None when no rule matches."""
    rules = matching_rules(category, area)
    return rules[0].agency if rules else None
