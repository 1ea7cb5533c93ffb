"""Forms of the bulletin pages (validation of shapes only; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class DraftForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Phạm vi"),
        queryset=Agency.objects.none(),
        empty_label=None,
        help_text=_("Cấp thành phố là toàn địa bàn; một cơ quan gồm cả các đơn vị trực thuộc."),
    )
    start = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Tiêu đề"), max_length=300, required=False)

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["agency"].label_from_instance = lambda a: f"{a.name_vi} ({a.code})"


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung biên tập"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=20_000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
