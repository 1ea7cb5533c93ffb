"""Yearly overrides of the working calendar (swap days announced by the government)."""

from __future__ import annotations

from django.db import models

from motcua.workcalendar.overrides import DAY_OFF, WORKING_DAY


class OverrideKind(models.TextChoices):
    DAY_OFF = DAY_OFF, "Ngày nghỉ"
    WORKING_DAY = WORKING_DAY, "Ngày làm việc"


class CalendarOverride(models.Model):
    """A date whose status differs from the ``holidays`` package: an extra day off, or a
    working day (a make-up Saturday, or a package holiday not in force)."""

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=20, choices=OverrideKind.choices)
    name = models.CharField("tên", max_length=200)
    reference = models.CharField(
        "căn cứ pháp lý",
        max_length=200,
        blank=True,
        help_text="Văn bản công bố, ví dụ: Thông báo 6150/TB-BLĐTBXH.",
    )
    created = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated = models.DateTimeField("cập nhật lúc", auto_now=True, db_index=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "điều chỉnh lịch làm việc"
        verbose_name_plural = "điều chỉnh lịch làm việc"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[DAY_OFF, WORKING_DAY]),
                name="workcalendar_override_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}: {self.name}"
