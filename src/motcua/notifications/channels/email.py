"""E-mail through Django's mail backend (EMAIL_BACKEND: SMTP in production)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage


def enabled() -> bool:
    return bool(settings.EMAIL_BACKEND)


def send(notification) -> str:
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers={"X-Motcua-Notification": notification.key[:200]},
    )
    sent = message.send(fail_silently=False)
    return f"accepted by {settings.EMAIL_BACKEND.rsplit('.', 1)[-1]} ({sent} message)"
