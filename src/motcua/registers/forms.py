"""Desk forms of the registers, built from the register's declared fields: shape and bounds
only (the same bounds the services check again); the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.core.formfields import BoundedDateField
from motcua.registers.registry import (
    AGENCY,
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    INT,
    NOTE,
    PROCEDURES,
    Field,
    Register,
)


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name_vi


def _form_field(field: Field, agencies) -> forms.Field:
    common = {"label": field.label, "required": field.required}
    if field.type == AGENCY:
        return AgencyChoice(queryset=agencies, **common)
    if field.type == DATE:
        return BoundedDateField(**common)
    if field.type == INT:
        return forms.IntegerField(min_value=0, max_value=field.max_value, **common)
    if field.type == DECIMAL:
        return forms.DecimalField(
            min_value=0, max_value=field.max_value, max_digits=16, decimal_places=2, **common
        )
    if field.type == BOOL:
        return forms.BooleanField(label=field.label, required=False)
    if field.type == CHOICE:
        return forms.ChoiceField(choices=field.choices.choices, **common)
    if field.type in (NOTE, PROCEDURES):
        return forms.CharField(
            max_length=field.max_length, widget=forms.Textarea(attrs={"rows": 2}), **common
        )
    return forms.CharField(max_length=field.max_length, **common)


def entry_form(register: Register, agencies, *args, **kwargs) -> forms.Form:
    """A form with one field per declared field of ``register``."""
    form = forms.Form(*args, **kwargs)
    for field in register.fields:
        form.fields[field.name] = _form_field(field, agencies)
    return form


def initial_of(register: Register, obj) -> dict[str, object]:
    initial: dict[str, object] = {}
    for field in register.fields:
        if field.type == PROCEDURES:
            initial[field.name] = ", ".join(p.code for p in obj.procedures.all())
        elif field.type == AGENCY:
            initial[field.name] = obj.agency_id
        else:
            initial[field.name] = getattr(obj, field.name)
    return initial


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
    dry_run = forms.BooleanField(
        label=_("Chỉ kiểm tra, chưa nhập (xem trước)"), required=False, initial=True
    )
