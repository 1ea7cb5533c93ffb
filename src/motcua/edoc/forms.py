"""Desk forms of the document registers: shape and bounds only; services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.formfields import BoundedDateField
from motcua.edoc.rules import TYPE_NAMES, BusinessType, DocStatus, Priority


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm (trích yếu, số, ký hiệu, nơi gửi)"), required=False, max_length=200
    )
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    priority = forms.TypedChoiceField(
        label=_("Độ khẩn"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), *list(Priority.choices)],
    )
    start = BoundedDateField(label=_("Ban hành từ ngày"), required=False)
    end = BoundedDateField(label=_("đến ngày"), required=False)
    mine = forms.BooleanField(label=_("Văn bản giao cho tôi"), required=False)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả"))] + [(s.value, s.label) for s in statuses]


class ComposeForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Cơ quan ban hành"), coerce=int)
    recipients = forms.MultipleChoiceField(
        label=_("Nơi nhận"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    type_name = forms.ChoiceField(label=_("Loại văn bản"), choices=[(t, t) for t in TYPE_NAMES])
    code_notation = forms.CharField(label=_("Ký hiệu (vd. UBND-VP)"), max_length=30)
    promulgation_date = BoundedDateField(label=_("Ngày ban hành"))
    subject = forms.CharField(
        label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    content = forms.CharField(
        label=_("Nội dung tóm tắt"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signer_competence = forms.CharField(
        label=_("Thẩm quyền ký (TM., KT., TL.…)"), max_length=50, required=False
    )
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=50)
    priority = forms.TypedChoiceField(label=_("Độ khẩn"), coerce=int, choices=Priority.choices)
    due_date = BoundedDateField(label=_("Hạn xử lý"), required=False)

    def __init__(self, *args, agencies=(), destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.pk, a.name_vi) for a in agencies]
        self.fields["recipients"].choices = [
            (organ, f"{name} ({organ})") for organ, name in destinations
        ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái mới"))
    reason = forms.CharField(
        label=_("Lý do / ghi chú (bắt buộc khi từ chối)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, DocStatus(s).label) for s in allowed]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Người xử lý"), coerce=int)
    note = forms.CharField(label=_("Ý kiến chỉ đạo"), max_length=500, required=False)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(u.pk, u.display_name()) for u in officers]


class BusinessForm(forms.Form):
    kind = forms.TypedChoiceField(
        label=_("Nghiệp vụ"),
        coerce=int,
        choices=[(k.value, k.label) for k in BusinessType if k != BusinessType.NEW],
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500)
