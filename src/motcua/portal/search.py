"""Procedure search for citizens: accent-insensitive words first; when nothing matches, the
words of the English name, then all words but one; then typo-tolerant trigram similarity on
PostgreSQL, word prefixes on SQLite."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When

from motcua.catalog.models import Procedure
from motcua.catalog.queries import search_procedures
from motcua.core.text import normalize_search

# word_similarity threshold: "khia sinh" still finds "khai sinh", "thue" does not find "the"
TRIGRAM_THRESHOLD = 0.45


@dataclass(frozen=True)
class Filters:
    text: str = ""
    field_id: int | None = None
    agency_id: int | None = None
    level: str | None = None
    online_mode: str | None = None


def find_procedures(filters: Filters) -> tuple[QuerySet[Procedure], bool]:
    """Matching active procedures and whether the match is approximate (typo-tolerant)."""
    base = search_procedures(
        filters.text,
        field=filters.field_id,
        level=filters.level,
        online_mode=filters.online_mode,
    )
    if filters.agency_id:
        base = base.filter(implementing_agencies=filters.agency_id).distinct()
    words = normalize_search(filters.text).split()
    if not words or base.exists():
        return base, False
    unfiltered = search_procedures(
        "", field=filters.field_id, level=filters.level, online_mode=filters.online_mode
    )
    if filters.agency_id:
        unfiltered = unfiltered.filter(implementing_agencies=filters.agency_id).distinct()
    english = _english(unfiltered, filters.text)
    if english.exists():
        return english, False
    if len(words) > 1:
        most = _most_words(unfiltered, words)
        if most.exists():
            return most, True
    if connection.vendor == "postgresql":
        return _trigram(unfiltered, words), True
    return _prefixes(unfiltered, words), True


def _english(qs: QuerySet[Procedure], text: str) -> QuerySet[Procedure]:
    """Every word in the English name: English readers search in English ("birth")."""
    words = text.split()
    if not words:
        return qs.none()
    return qs.exclude(name_en="").filter(*[Q(name_en__icontains=w) for w in words])


def _most_words(qs: QuerySet[Procedure], words: list[str]) -> QuerySet[Procedure]:
    """All words but one, best first: "giay khai sinh" finds the birth-registration procedures
    whose names say "khai sinh" but not "giấy" (the certificate is what they issue)."""
    hits = sum(
        (Case(When(name_search__contains=word, then=Value(1)), default=Value(0)) for word in words),
        start=Value(0),
    )
    return qs.annotate(hits=hits).filter(hits__gte=len(words) - 1).order_by("-hits", "name_search")


def _trigram(qs: QuerySet[Procedure], words: list[str]) -> QuerySet[Procedure]:
    from django.contrib.postgres.search import TrigramWordSimilarity

    for i, word in enumerate(words):
        qs = qs.annotate(**{f"sim{i}": TrigramWordSimilarity(word, "name_search")}).filter(
            **{f"sim{i}__gte": TRIGRAM_THRESHOLD}
        )
    return qs.order_by(*[f"-sim{i}" for i in range(len(words))], "name_search")


def _prefixes(qs: QuerySet[Procedure], words: list[str]) -> QuerySet[Procedure]:
    """Each word's first letters (all but the last two, at least three) must start a word of
    the name: "khia sinh" → "kh…", "sin…"; a typo late in a word is forgiven."""
    for word in words:
        stem = word[: max(3, len(word) - 2)]
        qs = qs.filter(Q(name_search__startswith=stem) | Q(name_search__contains=f" {stem}"))
    return qs
