"""Formatting for the portal: VND amounts, Vietnamese dates, state labels."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from motcua.catalog import rules as catalog_rules
from motcua.core import formats
from motcua.portal import labels
from motcua.portal.views.common import procedure_ref

register = template.Library()


register.filter("vnd", formats.vnd)


@register.filter
def vndate(value: dt.datetime | dt.date | None) -> str:
    """dd/mm/yyyy (local time for datetimes)."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


# dd/mm/yyyy HH:MM, the same format (and function) as every due date
register.filter("vndatetime", formats.vn_datetime)


@register.filter
def state_label(state: str) -> str:
    return labels.state_label(state)


@register.filter
def action_label(action: str) -> str:
    return labels.action_label(action)


@register.filter
def online_mode_label(mode: str) -> str:
    return str(labels.ONLINE_MODE_LABELS.get(mode, mode))


@register.filter
def level_label(level: str) -> str:
    return str(labels.LEVEL_LABELS.get(level, level))


@register.filter
def filesize(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, size // 1024)} KB"


@register.simple_tag
def widget(bound_field) -> str:
    """The field's widget with the ARIA links to its help text and error message."""
    described = []
    attrs: dict[str, str] = {}
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if is_required(bound_field):
        attrs["aria-required"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_required(bound_field) -> bool:
    """Required to submit: by the form, or marked so on a draft that may be saved without it
    (``marked_required``, set by the forms on the field)."""
    field = bound_field.field
    return bool(field.required or getattr(field, "marked_required", False))


@register.filter
def is_radio(bound_field) -> bool:
    return (
        bound_field.field.widget.input_type == "radio"
        if hasattr(bound_field.field.widget, "input_type")
        else False
    )


@register.filter
def pref(procedure) -> str:
    return procedure_ref(procedure)


@register.filter
def legal_time(procedure) -> str:
    """The procedure's legal time limit in the reader's language (catalog.rules writes it in
    Vietnamese for the admin, the API and the legal forms)."""
    amount, unit = procedure.processing_amount, procedure.processing_unit
    if amount is None:
        return gettext("chưa xác định")
    if amount == 0:
        return gettext("trong ngày")
    if unit == catalog_rules.HOURS:
        return ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", amount) % {"n": amount}
    return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", amount) % {"n": amount}
