from django import template

from motcua.core import formats

register = template.Library()
register.filter("vnd", formats.vnd)
