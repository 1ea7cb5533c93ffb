"""``{% once_token %}``: a fresh token in each rendered form, so that the form is carried out
once however often it is posted (``restapi.idempotency.FormOnceMiddleware``)."""

from __future__ import annotations

import secrets

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def once_token() -> str:
    return format_html('<input type="hidden" name="_once" value="{}">', secrets.token_urlsafe(24))
