"""Reads of notifications: a dossier's timeline (officer, or its own citizen) and the CLI."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.notifications import rules as R
from motcua.notifications.models import Notification


def for_dossier(dossier, *, for_citizen: bool) -> QuerySet[Notification]:
    """Officers see every message about the dossier; the citizen sees those sent to the
    applicant (not the reminders to officers)."""
    qs = Notification.objects.filter(dossier=dossier).order_by("created_at", "pk")
    if for_citizen:
        qs = qs.filter(recipient_role="applicant").exclude(event__in=R.OFFICER_EVENTS)
    return qs


def listing(dossier_code: str | None = None, *, limit: int = 500) -> QuerySet[Notification]:
    qs = Notification.objects.select_related("dossier", "feedback").order_by("-created_at", "-pk")
    if dossier_code:
        qs = qs.filter(dossier__code=dossier_code)
    return qs[:limit]


def as_row(n: Notification) -> dict:
    return {
        "id": n.pk,
        "dossier": n.dossier.code if n.dossier_id else None,
        "feedback": n.feedback.code if n.feedback_id else None,
        "event": n.event,
        "channel": n.channel,
        "recipient": n.masked_address,
        "recipient_role": n.recipient_role,
        "template": n.template_id,
        "status": n.status,
        "attempts": n.attempts,
        "provider_reply": n.provider_reply,
        "created_at": n.created_at.isoformat(),
        "sent_at": n.sent_at.isoformat() if n.sent_at else None,
    }
