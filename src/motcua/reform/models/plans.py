"""Annual reform plans (kế hoạch CCHC): plan → objectives (each in one reform area) → tasks,
with progress notes, evidence files and targets. Invariants are database constraints."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.agencies.models import Agency
from motcua.reform.rules import Area, Comparator, TaskStatus

MAX_TEXT = 2000  # a task's content or output: a paragraph, never a document


class ReformOffice(models.Model):
    """The agencies acting as the reform office (in a province: the Department of Home
    Affairs). Their officers manage every plan and inspection; see reform/permissions.py."""

    agency = models.OneToOneField(
        Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "cơ quan thường trực CCHC"
        verbose_name_plural = "cơ quan thường trực CCHC"

    def __str__(self) -> str:
        return self.agency.name_vi


class ReformPlan(models.Model):
    year = models.PositiveSmallIntegerField("năm")
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    decision_number = models.CharField("số, ký hiệu", max_length=50)
    decision_date = models.DateField("ngày ban hành")
    title = models.CharField("trích yếu", max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kế hoạch CCHC"
        verbose_name_plural = "kế hoạch CCHC"
        ordering = ["-year", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "agency"], name="reform_one_plan_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="reform_plan_year_range"
            ),
            models.CheckConstraint(
                condition=~Q(decision_number=""), name="reform_plan_decision_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.year})"


class Objective(models.Model):
    plan = models.ForeignKey(ReformPlan, on_delete=models.CASCADE, related_name="objectives")
    area = models.CharField("lĩnh vực", max_length=20, choices=Area.choices)
    number = models.PositiveSmallIntegerField("số thứ tự")
    title = models.CharField("mục tiêu", max_length=MAX_TEXT)

    class Meta:
        verbose_name = "mục tiêu"
        verbose_name_plural = "mục tiêu"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="reform_objective_number"),
            models.CheckConstraint(
                condition=Q(area__in=Area.values), name="reform_objective_area_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:80]}"


class Task(models.Model):
    plan = models.ForeignKey(ReformPlan, on_delete=models.CASCADE, related_name="tasks")
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="tasks")
    number = models.PositiveSmallIntegerField("số thứ tự trong mục tiêu")
    content = models.CharField("nội dung nhiệm vụ", max_length=MAX_TEXT)
    output = models.CharField("sản phẩm", max_length=MAX_TEXT, blank=True)
    lead_agency = models.ForeignKey(
        Agency, verbose_name="cơ quan chủ trì", on_delete=models.PROTECT, related_name="+"
    )
    partners = models.ManyToManyField(
        Agency, verbose_name="cơ quan phối hợp", blank=True, related_name="+"
    )
    # None: a continuing task ("thường xuyên"), never overdue
    deadline = models.DateField("thời hạn", null=True, blank=True)
    is_propaganda = models.BooleanField("nhiệm vụ tuyên truyền", default=False)
    status = models.CharField(
        "trạng thái", max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    cancel_reference = models.CharField("văn bản cho phép hủy", max_length=100, blank=True)
    cancel_reason = models.CharField("lý do hủy", max_length=MAX_TEXT, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["objective__number", "number"]
        indexes = [models.Index(fields=["lead_agency", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["objective", "number"], name="reform_task_number"),
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values), name="reform_task_status_valid"
            ),
            # cancelled only with the approving document and a reason (rules.check_cancellation)
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.CANCELLED)
                | (~Q(cancel_reference="") & ~Q(cancel_reason="")),
                name="reform_task_cancel_documented",
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | Q(completed_on__isnull=False),
                name="reform_task_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stt} {self.content[:80]}"

    @property
    def stt(self) -> str:
        return f"{self.objective.number}.{self.number}"


class ProgressNote(models.Model):
    """An agency's report on a task: the status it reports and what was done."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField("thời điểm")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    status_before = models.CharField(max_length=20, choices=TaskStatus.choices)
    status_after = models.CharField(max_length=20, choices=TaskStatus.choices)
    text = models.CharField("nội dung báo cáo", max_length=MAX_TEXT)

    class Meta:
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"
        ordering = ["task", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Evidence(models.Model):
    """A file proving a progress note (checked by content: dossiers/uploads.py; stored as a
    blob before its row: core/media.py)."""

    note = models.ForeignKey(ProgressNote, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="reform/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"

    def __str__(self) -> str:
        return self.original_name


class Target(models.Model):
    """A plan's target (e.g. PAR index ≥ 86 %) and, once known, the actual value."""

    plan = models.ForeignKey(ReformPlan, on_delete=models.CASCADE, related_name="targets")
    code = models.SlugField("mã", max_length=30)
    name = models.CharField("chỉ tiêu", max_length=255)
    comparator = models.CharField(
        max_length=2, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    value = models.DecimalField("giá trị mục tiêu", max_digits=9, decimal_places=2)
    unit = models.CharField("đơn vị", max_length=20, blank=True)
    actual = models.DecimalField(
        "giá trị đạt được", max_digits=9, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="reform_target_code"),
            models.CheckConstraint(
                condition=Q(comparator__in=Comparator.values), name="reform_target_comparator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.get_comparator_display()} {self.value}{self.unit}"
