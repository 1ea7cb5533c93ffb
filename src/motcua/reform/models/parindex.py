"""The PAR index (Chỉ số CCHC): a versioned scheme per year and tier (areas → criteria →
sub-criteria, bands), the council appraising it, and each unit's assessment with its scores.
Schemes are data imported from Excel (reform/index_excel.py); rules are in reform/index_rules.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.agencies.models import Agency
from motcua.reform.index_rules import Kind, Method, Rule, Status, Tier

POINTS = {"max_digits": 6, "decimal_places": 2}
__all__ = [
    "Assessment",
    "Band",
    "CouncilMember",
    "Criterion",
    "Scheme",
    "SchemeArea",
    "Score",
    "SubCriterion",
    "SurveyResult",
]


class Scheme(models.Model):
    year = models.PositiveSmallIntegerField("năm đánh giá")
    tier = models.CharField("đối tượng", max_length=20, choices=Tier.choices)
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    name = models.CharField("tên bộ chỉ số", max_length=300)
    basis = models.CharField("văn bản ban hành", max_length=300, blank=True)
    is_demo = models.BooleanField("bộ chỉ số minh họa", default=False)
    self_deadline = models.DateField("hạn tự đánh giá", null=True, blank=True)
    bonus_cap = models.DecimalField("trần điểm thưởng", default=0, **POINTS)
    penalty_cap = models.DecimalField("trần điểm trừ", default=0, **POINTS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bộ chỉ số CCHC"
        verbose_name_plural = "bộ chỉ số CCHC"
        ordering = ["-year", "tier", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "tier", "version"], name="parindex_scheme_version"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="parindex_scheme_year"
            ),
            models.CheckConstraint(
                condition=Q(bonus_cap__gte=0, penalty_cap__gte=0), name="parindex_caps"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"


class Band(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField("xếp loại", max_length=50)
    cutoff = models.DecimalField("từ (%)", max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["scheme", "-cutoff"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "label"], name="parindex_band_label"),
            models.CheckConstraint(
                condition=Q(cutoff__gte=0, cutoff__lte=100), name="parindex_band_cutoff"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.cutoff}%"


class SchemeArea(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField("số thứ tự")
    title = models.CharField("lĩnh vực", max_length=500)
    max_points = models.DecimalField("điểm tối đa", **POINTS)

    class Meta:
        ordering = ["scheme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="parindex_area_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:60]}"


class Criterion(models.Model):
    area = models.ForeignKey(SchemeArea, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField("mã", max_length=20)
    title = models.CharField("tiêu chí", max_length=1000)

    class Meta:
        ordering = ["area", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="parindex_criterion_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:60]}"


class SubCriterion(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="subs")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="subs")
    code = models.CharField("mã", max_length=20)
    title = models.CharField("tiêu chí thành phần", max_length=1000)
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    method = models.CharField("cách đánh giá", max_length=10, choices=Method.choices)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.SCORE)
    rule = models.CharField("quy tắc chấm", max_length=10, choices=Rule.choices)
    levels = models.CharField("mức (tỷ lệ của điểm tối đa)", max_length=50, blank=True)
    source = models.CharField("nguồn số liệu", max_length=50, blank=True)
    full_at = models.DecimalField(
        "đạt tối đa khi tỷ lệ ≥", max_digits=5, decimal_places=4, default=1
    )

    class Meta:
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="parindex_sub_code"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="parindex_sub_max"),
            models.CheckConstraint(
                condition=~Q(method=Method.AUTO) | ~Q(source=""), name="parindex_auto_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:60]}"


class CouncilMember(models.Model):
    """A member of the appraisal council of one scheme (the office appoints them)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="council")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.CharField("chức danh", max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "user"], name="parindex_council_member")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.position})"


class Assessment(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="assessments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.SELF_ASSESSING
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "kết quả chỉ số CCHC của đơn vị"
        ordering = ["scheme", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "agency"], name="parindex_one_per_unit"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="parindex_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} — {self.scheme_id} ({self.status})"


class Score(models.Model):
    """One sub-criterion of one assessment, at each stage: the unit's own points with its
    evidence (a file and the page that proves it), the council's first appraisal, the unit's
    explanation, the final points. Survey and automatic points go straight to ``final``."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    sub = models.ForeignKey(SubCriterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(null=True, blank=True, **POINTS)
    self_note = models.CharField(max_length=2000, blank=True)
    evidence = models.FileField(upload_to="reform/parindex/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)  # as detected on upload
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_page = models.PositiveIntegerField(null=True, blank=True)
    council_points = models.DecimalField(null=True, blank=True, **POINTS)
    council_note = models.CharField(max_length=2000, blank=True)
    explanation = models.CharField(max_length=2000, blank=True)
    final_points = models.DecimalField(null=True, blank=True, **POINTS)
    final_note = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["assessment", "sub_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "sub"], name="parindex_one_score"),
            models.CheckConstraint(
                condition=Q(self_points__gte=0) | Q(self_points__isnull=True),
                name="parindex_self_points_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.sub_id}"

    @property
    def points(self):
        """The points that count: final, else the council's, else none (the unit's own do not
        count until appraised)."""
        return self.final_points if self.final_points is not None else self.council_points


class SurveyResult(models.Model):
    """A survey figure (SIPAS-like satisfaction, 0..1) for one unit and survey sub-criterion,
    as imported; it feeds the sub-criterion's points through its ratio rule."""

    sub = models.ForeignKey(SubCriterion, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    ratio = models.DecimalField(max_digits=5, decimal_places=4)
    respondents = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sub", "agency"], name="parindex_one_survey_result"),
            models.CheckConstraint(
                condition=Q(ratio__gte=0, ratio__lte=1), name="parindex_survey_ratio"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.sub_id}: {self.ratio}"
