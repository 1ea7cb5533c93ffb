from django import template

from motcua.core import formats

register = template.Library()
register.filter("vnd", formats.vnd)
# dd/mm/yyyy HH:MM in local time: every due date on every page goes through this one filter
register.filter("vn_datetime", formats.vn_datetime)
