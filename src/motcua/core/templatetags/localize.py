"""``{{ procedure|local_name }}``: a catalog name in the reader's language (core.localize)."""

from django import template

from motcua.core.localize import localized_name

register = template.Library()
register.filter("local_name", localized_name)
