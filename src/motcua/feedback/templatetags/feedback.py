"""Template helpers of the feedback hub."""

from __future__ import annotations

from django import template

from motcua.feedback.models import localized_name
from motcua.feedback.rules import ACTION_LABELS_VI, STATE_LABELS_VI, Action, State

register = template.Library()


@register.filter
def named(obj) -> str:
    """An agency's or category's name in the active language (English when it has one)."""
    return localized_name(obj)


@register.filter
def feedback_state(code: str) -> str:
    """A stored state code as its label ("" stays empty: the item did not exist yet)."""
    try:
        return str(STATE_LABELS_VI[State(code)])
    except ValueError:
        return code


@register.filter
def feedback_action(code: str) -> str:
    try:
        return str(ACTION_LABELS_VI[Action(code)])
    except ValueError:
        return code
