"""Fill an event's template for one recipient and channel."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import Context, Engine

from motcua.notifications import defaults
from motcua.notifications import rules as R
from motcua.notifications.models import Template

_ENGINE = Engine(autoescape=False)


@dataclass
class Rendered:
    template: Template | None
    subject: str
    body: str
    data: dict


def template_for(event: str, channel: str) -> Template | None:
    return Template.objects.filter(event=event, channel=channel, active=True).first()


def _fill(text: str, context: dict) -> str:
    return _ENGINE.from_string(text).render(Context(context, autoescape=False)).strip()


def render(event: str, channel: str, language: str, context: dict) -> Rendered:
    template = template_for(event, channel)
    en = language == "en"
    if template is not None:
        subject = template.subject_en if en and template.subject_en else template.subject_vi
        body = template.body_en if en and template.body_en else template.body_vi
    elif channel == R.EMAIL:
        subject_vi, body_vi, subject_en, body_en = defaults.EMAIL[event]
        subject, body = (subject_en, body_en) if en else (subject_vi, body_vi)
    else:
        subject, body = "", defaults.SMS[event][1 if en else 0]
    if channel == R.EMAIL:
        return Rendered(template, _fill(subject, context)[:255], _fill(body, context), {})
    # SMS and Zalo: the code and the status, nothing else (rules.SMS_CONTEXT_KEYS)
    status = defaults.STATUS[event][1 if en else 0]
    short = {"code": context.get("code", ""), "status": status}
    text = R.sms_text(_fill(body, short))
    return Rendered(template, "", text, short if channel == R.ZALO else {})
