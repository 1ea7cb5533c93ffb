"""Django admin's autocomplete widgets look up the submitted (or ``?field=`` pre-filled) value
in the database without checking it first: ``/admin/agencies/agency/add/?parent=abc`` or a
POST with ``parent=abc`` answered 500 (ValueError in the widget's query). The fuzz test over
the URL conf found it.

``install()`` (called once from ``CoreConfig.ready``) makes the widget drop values that are
not valid for the related key, for every admin with ``autocomplete_fields``, present and
future; the form itself still reports the invalid choice to the user.
"""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError

_original_optgroups = AutocompleteMixin.optgroups


def _valid_values(widget: AutocompleteMixin, values) -> list:
    remote = widget.field.remote_field
    opts = remote.model._meta
    target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
    valid = []
    for value in values:
        try:
            target.run_validators(target.to_python(value))
        except (ValidationError, TypeError, ValueError, OverflowError):
            continue
        valid.append(value)
    return valid


def _safe_optgroups(self: AutocompleteMixin, name: str, value, attr=None):
    return _original_optgroups(self, name, _valid_values(self, value), attr)


def install() -> None:
    AutocompleteMixin.optgroups = _safe_optgroups
