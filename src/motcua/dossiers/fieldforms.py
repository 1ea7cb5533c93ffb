"""The Django form of a procedure's declaration fields, shared by the portal and the desk.

Inputs come from ``fields.FieldSpec``; required ones carry ``required`` and
``aria-required="true"`` (and the templates' visual marker). The services check the answers
again (``fields.clean_values``): this form only gives the user field-level messages early.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.catalog.models import FormFieldKind
from motcua.dossiers.fields import DATE_INPUTS, MAX_LONG_TEXT, MAX_TEXT, FieldSpec

PREFIX = "field"


def _field(spec: FieldSpec, *, enforce: bool) -> forms.Field:
    english = (get_language() or "vi").startswith("en")
    label = spec.label_en if english and spec.label_en else spec.label
    common = {
        "label": label,
        "required": enforce and spec.required,
        "help_text": spec.help,
        "error_messages": {"required": _("Vui lòng nhập %(label)s.") % {"label": label}},
    }
    if spec.kind == FormFieldKind.DATE:
        field: forms.Field = forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            input_formats=list(DATE_INPUTS),
            **common,
        )
    elif spec.kind == FormFieldKind.INTEGER:
        field = forms.IntegerField(**common)
    elif spec.kind == FormFieldKind.CHOICE:
        field = forms.ChoiceField(choices=[("", "—"), *((c, c) for c in spec.choices)], **common)
    elif spec.kind == FormFieldKind.LONG_TEXT:
        field = forms.CharField(
            max_length=MAX_LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    else:
        field = forms.CharField(max_length=MAX_TEXT, **common)
    if spec.required:
        # marked even where a saved draft may still leave it empty (checked at submission)
        field.widget.attrs.update({"required": True, "aria-required": "true"})
        field.marked_required = True  # type: ignore[attr-defined]
    return field


class DeclarationForm(forms.Form):
    """``enforce=False``: required fields are marked but may stay empty (a draft)."""

    def __init__(self, *args, specs: list[FieldSpec], enforce: bool = True, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        for spec in specs:
            self.fields[spec.key] = _field(spec, enforce=enforce)

    def values(self) -> dict[str, object]:
        """The cleaned answers, for the services (which check them again)."""
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}

    def add_engine_errors(self, problems: dict[str, str]) -> None:
        """The engine's ``fields.<key>`` messages next to their inputs."""
        for name, message in problems.items():
            key = name.removeprefix("fields.")
            if name.startswith("fields.") and key in self.fields:
                self.add_error(key, message)
