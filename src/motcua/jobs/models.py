"""The bookkeeping of background jobs, whatever task engine runs them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.jobs import rules


class Job(models.Model):
    """One unit of background work, created in the transaction that asked for it.

    The task engine (django-tasks-db or RQ) only carries ``run_job(job.id)``: this row says
    what to run, how often it was tried, when to try again and why it failed, so retries,
    dead letters and the recovery of a job whose worker died do not depend on the engine.
    """

    STATE_CHOICES = [
        (rules.PENDING, _("Đang chờ")),
        (rules.RUNNING, _("Đang chạy")),
        (rules.FAILED, _("Lỗi, sẽ thử lại")),
        (rules.DONE, _("Đã xong")),
        (rules.DEAD, _("Hỏng (hết lượt thử)")),
    ]

    key = models.CharField(_("khoá chống trùng"), max_length=255, unique=True)
    task_path = models.CharField(_("tác vụ"), max_length=255)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=STATE_CHOICES, default=rules.PENDING
    )
    attempts = models.PositiveIntegerField(_("số lần chạy"), default=0)
    max_attempts = models.PositiveIntegerField(_("số lần chạy tối đa"))
    next_attempt_at = models.DateTimeField(_("chạy từ"), default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    result_id = models.CharField(max_length=64, blank=True)  # the engine's id of the last dispatch
    claimed_by = models.CharField(max_length=200, blank=True)  # host:pid of the running worker
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="jobs_state_due_idx")]

    def __str__(self) -> str:
        return f"{self.pk} {self.task_path} [{self.state}]"

    @property
    def task_name(self) -> str:
        return self.task_path.rsplit(".", 1)[-1]
