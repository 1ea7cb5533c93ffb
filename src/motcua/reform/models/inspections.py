"""Reform inspections (kiểm tra CCHC): periodic, surprise or thematic; the agencies inspected,
the team, findings, the remedies required (each with a deadline and follow-up) and closure."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from motcua.agencies.models import Agency
from motcua.reform.rules import InspectionKind, InspectionStatus, RemedyStatus

MAX_TEXT = 4000


class Inspection(models.Model):
    year = models.PositiveSmallIntegerField("năm")
    kind = models.CharField("loại", max_length=20, choices=InspectionKind.choices)
    topic = models.CharField("nội dung kiểm tra", max_length=500)
    decision_reference = models.CharField("quyết định kiểm tra", max_length=100, blank=True)
    organiser = models.ForeignKey(
        Agency, verbose_name="cơ quan kiểm tra", on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")
    status = models.CharField(
        max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    findings = models.TextField("kết quả kiểm tra", max_length=MAX_TEXT, blank=True)
    closed_on = models.DateField("ngày kết thúc", null=True, blank=True)
    closure_note = models.CharField("kết luận", max_length=MAX_TEXT, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "đợt kiểm tra CCHC"
        verbose_name_plural = "đợt kiểm tra CCHC"
        ordering = ["-start_date", "pk"]
        indexes = [models.Index(fields=["start_date", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InspectionKind.values), name="reform_inspection_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InspectionStatus.values), name="reform_inspection_status"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="reform_inspection_dates"
            ),
            models.CheckConstraint(
                condition=~Q(status=InspectionStatus.CLOSED) | Q(closed_on__isnull=False),
                name="reform_inspection_closed_date",
            ),
        ]

    def __str__(self) -> str:
        return self.topic


class InspectionTarget(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="targets")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "agency"], name="reform_target_once")
        ]

    def __str__(self) -> str:
        return str(self.agency)


class InspectionMember(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    name = models.CharField("họ và tên", max_length=255)
    position = models.CharField("nhiệm vụ trong đoàn", max_length=100)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class Remedy(models.Model):
    """A shortcoming the inspected agency must remedy by a deadline, and its follow-up."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="remedies")
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan khắc phục", on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField("yêu cầu khắc phục", max_length=MAX_TEXT)
    deadline = models.DateField("thời hạn")
    status = models.CharField(
        max_length=20, choices=RemedyStatus.choices, default=RemedyStatus.OPEN
    )
    follow_up = models.TextField("theo dõi khắc phục", blank=True)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RemedyStatus.values), name="reform_remedy_status"
            ),
            models.CheckConstraint(
                condition=Q(status=RemedyStatus.OPEN) | Q(resolved_on__isnull=False),
                name="reform_remedy_resolved_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]
