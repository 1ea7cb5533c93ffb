"""Reads of the PAR index: a tier's results (totals, per-area sub-indexes, rank, band, last
year's index), a unit's assessment sheet. Pure arithmetic is in index_rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from motcua.agencies.models import Agency
from motcua.reform.index_rules import Kind, Status, Total, band_for, percent, rank, total
from motcua.reform.index_services import sub_rule
from motcua.reform.models import Assessment, Scheme, SchemeArea, Score


@dataclass(frozen=True)
class AreaResult:
    number: int
    title: str
    points: Decimal
    maximum: Decimal
    index: Decimal  # percent


@dataclass(frozen=True)
class UnitResult:
    assessment_id: int
    agency: Agency
    status: str
    total: Total
    areas: list[AreaResult]
    rank: int
    band: str
    last_index: Decimal | None  # last year's index of the same unit and tier, if published
    last_rank: int | None

    @property
    def change(self) -> Decimal | None:
        return None if self.last_index is None else self.total.index - self.last_index


def schemes() -> QuerySet[Scheme]:
    return Scheme.objects.all()


def current_scheme(year: int, tier: str) -> Scheme | None:
    """The latest version of a year's scheme for a tier."""
    return Scheme.objects.filter(year=year, tier=tier).order_by("-version").first()


def _compute(
    scheme: Scheme, *, published_only: bool
) -> list[tuple[Assessment, Total, list[AreaResult]]]:
    assessments = Assessment.objects.filter(scheme=scheme).select_related("agency")
    if published_only:
        assessments = assessments.filter(status=Status.PUBLISHED)
    areas = list(SchemeArea.objects.filter(scheme=scheme).order_by("number"))
    by_assessment: dict[int, list[Score]] = defaultdict(list)
    for score in Score.objects.filter(assessment__in=assessments).select_related("sub__criterion"):
        by_assessment[score.assessment_id].append(score)
    out = []
    for assessment in assessments:
        scores = by_assessment[assessment.pk]
        t = total(
            ((sub_rule(s.sub), s.points) for s in scores),
            bonus_cap=scheme.bonus_cap,
            penalty_cap=scheme.penalty_cap,
        )
        per_area: dict[int, Decimal] = defaultdict(Decimal)
        for s in scores:
            if s.sub.kind == Kind.SCORE:
                per_area[s.sub.criterion.area_id] += s.points or Decimal(0)
        area_results = [
            AreaResult(
                a.number,
                a.title,
                per_area[a.pk],
                a.max_points,
                percent(per_area[a.pk], a.max_points),
            )
            for a in areas
        ]
        out.append((assessment, t, area_results))
    return out


def results(scheme: Scheme, *, published_only: bool = True) -> list[UnitResult]:
    """The tier's results, best first. Ranks compare the units shown (all of the tier once
    published); last year's figures come from the latest published scheme of year − 1."""
    computed = _compute(scheme, published_only=published_only)
    ranks = rank([(a.pk, t.index) for a, t, _areas in computed])
    bands = [(b.label, b.cutoff) for b in scheme.bands.all()]
    last: dict[int, tuple[Decimal, int]] = {}
    previous = (
        Scheme.objects.filter(
            year=scheme.year - 1, tier=scheme.tier, assessments__status=Status.PUBLISHED
        )
        .order_by("-version")
        .first()
    )
    if previous is not None:
        prior = _compute(previous, published_only=True)
        prior_ranks = rank([(a.pk, t.index) for a, t, _areas in prior])
        last = {a.agency_id: (t.index, prior_ranks[a.pk]) for a, t, _areas in prior}
    rows = [
        UnitResult(
            assessment_id=a.pk,
            agency=a.agency,
            status=a.status,
            total=t,
            areas=areas,
            rank=ranks[a.pk],
            band=band_for(t.index, bands),
            last_index=last.get(a.agency_id, (None, None))[0],
            last_rank=last.get(a.agency_id, (None, None))[1],
        )
        for a, t, areas in computed
    ]
    return sorted(rows, key=lambda r: (r.rank, r.agency.name_vi))


def band_counts(scheme: Scheme, *, published_only: bool = True) -> list[tuple[str, int]]:
    """How many units fall in each band, in the scheme's band order (the bulletin's line)."""
    found = defaultdict(int)
    for row in results(scheme, published_only=published_only):
        found[row.band] += 1
    return [(b.label, found[b.label]) for b in scheme.bands.all()]


def sheet(assessment: Assessment) -> list[tuple[SchemeArea, list[Score]]]:
    """A unit's scores in the scheme's order, grouped by area."""
    scores = (
        Score.objects.filter(assessment=assessment)
        .select_related("sub__criterion__area")
        .order_by("sub_id")
    )
    grouped: dict[int, list[Score]] = defaultdict(list)
    for s in scores:
        grouped[s.sub.criterion.area_id].append(s)
    return [(a, grouped[a.pk]) for a in assessment.scheme.areas.order_by("number")]
