"""Every label of the notifications and jobs pages has its English translation."""

from __future__ import annotations

from django.utils import translation

from motcua.jobs.models import Job
from motcua.notifications import rules as R


def test_every_notification_and_job_label_has_an_english_translation():
    with translation.override("vi"):
        labels = [
            str(label)
            for label in (
                *R.EVENT_LABELS.values(),
                *R.CHANNEL_LABELS.values(),
                *dict(R.STATUS_CHOICES).values(),
                *dict(Job.STATE_CHOICES).values(),
            )
            if str(label) != "Zalo"  # a name
        ]
    with translation.override("en"):
        for label in labels:
            assert translation.gettext(label) != label, label
        for text in ("Kênh nhận thông báo", "Tác vụ nền", "Thông báo đã gửi", "Chạy lại"):
            assert translation.gettext(text) != text, text
