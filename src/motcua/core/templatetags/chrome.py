"""Site chrome: who sees which menu entries."""

from django import template
from django.conf import settings

from motcua.accounts.scope import is_officer

register = template.Library()


@register.filter
def can_work_feedback(user) -> bool:
    """The 1022 worklist is for officers (feedback.views.officer_required): show its link only
    to them, not to every citizen who is signed in."""
    return bool(user is not None and user.is_authenticated and is_officer(user))


@register.simple_tag
def language_menu() -> list[tuple[str, str]]:
    """(code, name) of the offered languages, each name in its own language as settings write
    it: {% get_available_languages %} would translate them ("English" → "Tiếng Anh")."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]
