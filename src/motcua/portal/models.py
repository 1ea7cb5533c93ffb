"""Portal data: online drafts (rate-limit counters are ``core.RateWindow``).

Drafts live here, not on ``Dossier``: a dossier exists only once it is submitted, so what a
citizen saves and resumes (answers and uploaded files) is kept apart until then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Draft(models.Model):
    """An online submission in progress; ``key`` is also the submission's idempotency key."""

    key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_drafts"
    )
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE)
    receiving_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"draft {self.key}"


class DraftFile(models.Model):
    """A file uploaded into a draft, already checked by content; attached on submission."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument", null=True, blank=True, on_delete=models.SET_NULL
    )
    file = models.FileField(upload_to="drafts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
