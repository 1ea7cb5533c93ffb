"""The writers of notifications: fan an event out to recipients and channels, deliver one
message, record how it went; channel preferences; templates seeded from the defaults."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from motcua.core.audit import record_change
from motcua.notifications import channels, recipients
from motcua.notifications import rules as R
from motcua.notifications.models import Notification, Preference, Template
from motcua.notifications.render import render

logger = logging.getLogger("motcua.notifications")


def _date(value: dt.datetime | None, language: str) -> str:
    if value is None:
        return ""
    with translation.override(language):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")


def _local(obj, language: str) -> str:
    """A catalog or agency name in the reader's language (Vietnamese when untranslated)."""
    return (getattr(obj, "name_en", "") if language == "en" else "") or obj.name_vi


def _missing_text(items: list[dict]) -> str:
    lines = []
    for item in items or []:
        line = f"- {item.get('name', '')}"
        if item.get("instruction"):
            line += f": {item['instruction']}"
        lines.append(line)
    return "\n".join(lines)


def _dossier_context(dossier, event: str, details: dict, r: recipients.Recipient) -> dict:
    site = settings.MOTCUA_SITE_URL
    own = r.user is not None and dossier.applicant_user_id == r.user.pk
    lang = r.language
    fees = details.get("fees") or []
    procedure = dossier.procedure
    agency = dossier.current_agency or dossier.receiving_agency
    return {
        "name": r.name,
        "code": dossier.code,
        "procedure": _local(procedure, lang),
        "agency": _local(agency, lang) if agency else "",
        "due_date": _date(dossier.effective_due_at or dossier.due_at, lang),
        "new_due_date": _date(dossier.extended_due_at, lang),
        "date": _date(dossier.returned_at or timezone.now(), lang),
        "tracking_url": f"{site}/ho-so/{dossier.code}/"
        if own
        else f"{site}/tra-cuu/?code={dossier.code}",
        "desk_url": f"{site}/desk/dossiers/{dossier.code}/",
        "missing": _missing_text(details.get("missing") or []),
        "reason": details.get("reason", "") or dossier.decision_note,
        "fees": "\n".join(f"- {name}: {amount:,} đồng".replace(",", ".") for name, amount in fees),
        "total": f"{sum(a for _, a in fees):,}".replace(",", "."),
        "status": dossier.get_state_display(),
    }


def _feedback_context(item, r: recipients.Recipient) -> dict:
    site = settings.MOTCUA_SITE_URL
    return {
        "name": r.name,
        "code": item.code,
        "title": item.title,
        "tracking_url": f"{site}/feedback/track/?code={item.code}",
        "status": item.get_state_display(),
    }


def announce(kind: str, subject_id: int, event: str, details: dict[str, Any]) -> int:
    """Create the notifications of one event (one per recipient and channel it reaches) and
    queue their delivery, in one transaction; repeated, it creates nothing twice."""
    from motcua.jobs import enqueue_on_commit
    from motcua.notifications.tasks import deliver

    if kind == "dossier":
        from motcua.dossiers.models import Dossier

        subject = (
            Dossier.objects.select_related(
                "procedure", "current_agency", "receiving_agency", "applicant_user"
            )
            .filter(pk=subject_id)
            .first()
        )
        if subject is None:
            return 0
        people = (
            recipients.for_officers(subject)
            if event in R.OFFICER_EVENTS
            else recipients.for_applicant(subject)
        )
    else:
        from motcua.feedback.models import FeedbackItem

        subject = FeedbackItem.objects.select_related("reporter_user").filter(pk=subject_id).first()
        if subject is None:
            return 0
        people = recipients.for_reporter(subject)
    event_key = f"{kind}:{subject_id}:{event}:{details.get('_key', '')}"
    created = 0
    with transaction.atomic():
        for r in people:
            context = (
                _dossier_context(subject, event, details, r)
                if kind == "dossier"
                else _feedback_context(subject, r)
            )
            for channel in r.channels:
                address = r.address(channel)
                if not address or not channels.enabled(channel):
                    continue
                rendered = render(event, channel, r.language, context)
                key = f"{event_key}:{channel}:{address}"[:255]
                try:
                    with transaction.atomic():
                        n = Notification.objects.create(
                            key=key,
                            event=event,
                            channel=channel,
                            dossier=subject if kind == "dossier" else None,
                            feedback=subject if kind == "feedback" else None,
                            recipient_user=r.user,
                            recipient_role=r.role,
                            address=address,
                            language=r.language,
                            template=rendered.template,
                            subject=rendered.subject,
                            body=rendered.body,
                            data=rendered.data,
                        )
                except IntegrityError:
                    continue  # this event already reached this address on this channel
                enqueue_on_commit(deliver, n.pk, idempotency_key=f"deliver:{n.pk}")
                created += 1
    return created


def deliver(notification_id: int) -> str:
    """Send one notification. A refusal for good is recorded and ends it; any other error is
    recorded and raised, so that the job retries it with backoff."""
    n = Notification.objects.select_related("template").filter(pk=notification_id).first()
    if n is None or n.status in (R.SENT, R.GAVE_UP):
        return "nothing to do"
    Notification.objects.filter(pk=n.pk).update(attempts=n.attempts + 1)
    try:
        reply = channels.adapter(n.channel).send(n)
    except channels.Permanent as exc:
        Notification.objects.filter(pk=n.pk).update(status=R.GAVE_UP, provider_reply=str(exc))
        logger.warning("notification %s refused: %s", n.pk, exc)
        return R.GAVE_UP
    except Exception as exc:
        last = _last_attempt(n.pk)
        Notification.objects.filter(pk=n.pk).update(
            status=R.GAVE_UP if last else R.FAILED, provider_reply=f"{type(exc).__name__}: {exc}"
        )
        raise
    Notification.objects.filter(pk=n.pk).update(
        status=R.SENT, provider_reply=reply, sent_at=timezone.now()
    )
    return R.SENT


def _last_attempt(notification_id: int) -> bool:
    from motcua.jobs.models import Job

    job = Job.objects.filter(key=f"deliver:{notification_id}").only("attempts", "max_attempts")
    job = job.first()
    return job is not None and job.attempts >= job.max_attempts


def deadline_reminders(now: dt.datetime | None = None) -> int:
    """Dossiers due within a working day, or overdue: their officers and leader hear it, once
    a day per dossier."""
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.queries import DeadlineStatus, with_deadline_status
    from motcua.jobs import enqueue_on_commit
    from motcua.notifications.tasks import announce

    now = now or timezone.now()
    events = {DeadlineStatus.DUE_SOON: R.DEADLINE_AT_RISK, DeadlineStatus.OVERDUE: R.OVERDUE}
    open_dossiers = Dossier.objects.filter(
        ended_at__isnull=True, received_at__isnull=False, imported=False
    )
    due = (
        with_deadline_status(open_dossiers, now=now)
        .filter(deadline_status__in=list(events))
        .values_list("pk", "deadline_status")
    )
    day = timezone.localdate(now).isoformat()
    count = 0
    with transaction.atomic():
        for pk, status in due.iterator():
            event = events[status]
            enqueue_on_commit(
                announce,
                "dossier",
                pk,
                event,
                {"_key": day},
                idempotency_key=f"notify:deadline:{pk}:{event}:{day}",
            )
            count += 1
    return count


def set_preferences(user, *, channels_on: list[str], language: str = "vi") -> Preference:
    unknown = set(channels_on) - {R.EMAIL, R.SMS, R.ZALO}
    if unknown:
        raise ValueError(f"unknown channels {sorted(unknown)}")
    with transaction.atomic():
        pref, _ = Preference.objects.select_for_update().get_or_create(user=user)
        before = pref.channels()
        pref.email, pref.sms, pref.zalo = (c in channels_on for c in (R.EMAIL, R.SMS, R.ZALO))
        pref.language = language if language in ("vi", "en") else "vi"
        pref.save()
        record_change(
            "notifications.preferences",
            pref,
            f"Kênh nhận thông báo: {', '.join(channels_on)}",
            actor=user,
            data={"before": before, "after": pref.channels()},
        )
    return pref


def seed_templates() -> int:
    """Add the default template of every (event, channel) that has none; never overwrites
    an administrator's wording."""
    from motcua.notifications import defaults

    created = 0
    for row in defaults.rows():
        _, made = Template.objects.get_or_create(
            event=row["event"], channel=row["channel"], defaults=row
        )
        created += made
    return created
