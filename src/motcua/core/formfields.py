"""Form fields and helpers that route every date a form accepts through ``core.dateparams``.

``BoundedDateField`` (years 2000–2100), ``BirthDateField`` (not in the future) and
``clean_date_range`` (start ≤ end, span bounded) give one Vietnamese message per problem
instead of a crash further down (a day added to 9999-12-31 overflows).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import dateparams

_INVALID = _("Ngày không hợp lệ; hãy nhập ngày dạng NNNN-TT-NN hoặc NN/TT/NNNN.")
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class BoundedDateField(forms.DateField):
    """A date between ``dateparams.MIN_DATE`` and ``MAX_DATE``."""

    default_error_messages = {"invalid": _INVALID}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("min", dateparams.MIN_DATE.isoformat())
        self.widget.attrs.setdefault("max", dateparams.MAX_DATE.isoformat())

    def validate(self, value: dt.date | None) -> None:
        super().validate(value)
        if value is not None:
            try:
                dateparams.check_date(value)
            except dateparams.DateParamError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None


class BirthDateField(forms.DateField):
    """A birth date: not in the future (local date), not before 1900."""

    default_error_messages = {"invalid": _INVALID}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("min", f"{dateparams.MIN_BIRTH_YEAR}-01-01")

    def validate(self, value: dt.date | None) -> None:
        super().validate(value)
        if value is not None:
            try:
                dateparams.check_birth_date(value, timezone.localdate())
            except dateparams.DateParamError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from None


def clean_date_range(
    form: forms.Form,
    start: str = "start",
    end: str = "end",
    *,
    max_days: int = dateparams.MAX_SPAN_DAYS,
) -> None:
    """Attach a range error to ``end`` when both dates are valid but do not form a range."""
    data = form.cleaned_data
    try:
        dateparams.check_range(data.get(start), data.get(end), max_days=max_days)
    except dateparams.DateParamError as exc:
        form.add_error(end, forms.ValidationError(exc.message, code=exc.code))
