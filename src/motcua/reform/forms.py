"""Desk forms of the reform pages: shape and bounds only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.core.formfields import BoundedDateField
from motcua.reform.models.plans import MAX_TEXT
from motcua.reform.rules import Area, InspectionKind, RemedyStatus, TaskStatus


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name_vi


def agencies():
    return Agency.objects.order_by("path")


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    agency = AgencyChoice(queryset=agencies(), label=_("Cơ quan ban hành"))
    decision_number = forms.CharField(label=_("Số, ký hiệu kế hoạch"), max_length=50)
    decision_date = BoundedDateField(label=_("Ngày ban hành"))
    title = forms.CharField(label=_("Trích yếu"), max_length=500)


class ImportForm(PlanForm):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))


class ObjectiveForm(forms.Form):
    area = forms.ChoiceField(label=_("Lĩnh vực"), choices=Area.choices)
    title = forms.CharField(label=_("Mục tiêu"), max_length=MAX_TEXT)


class TaskForm(forms.Form):
    objective = forms.TypedChoiceField(label=_("Mục tiêu"), coerce=int)
    content = forms.CharField(
        label=_("Nội dung nhiệm vụ"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    output = forms.CharField(label=_("Sản phẩm"), max_length=MAX_TEXT, required=False)
    lead_agency = AgencyChoice(queryset=agencies(), label=_("Cơ quan chủ trì"))
    partners = forms.ModelMultipleChoiceField(
        queryset=agencies(), label=_("Cơ quan phối hợp"), required=False
    )
    deadline = BoundedDateField(label=_("Thời hạn (để trống: thường xuyên)"), required=False)
    is_propaganda = forms.BooleanField(label=_("Nhiệm vụ tuyên truyền"), required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = [
            (o.pk, f"{o.number}. {o.title[:80]}") for o in plan.objectives.order_by("number")
        ]
        self.fields["partners"].label_from_instance = lambda a: a.name_vi


class ReportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[(s.value, s.label) for s in TaskStatus if s != TaskStatus.CANCELLED],
    )
    note = forms.CharField(
        label=_("Nội dung báo cáo"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)


class CancelForm(forms.Form):
    reference = forms.CharField(label=_("Văn bản cho phép hủy (số, ký hiệu)"), max_length=100)
    reason = forms.CharField(label=_("Lý do hủy"), max_length=MAX_TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)


class DeadlineForm(forms.Form):
    deadline = BoundedDateField(label=_("Thời hạn mới"), required=False)
    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=MAX_TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)


class ActualForm(forms.Form):
    actual = forms.CharField(label=_("Giá trị đạt được"), max_length=30, required=False)


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kiểm tra"), choices=InspectionKind.choices)
    topic = forms.CharField(label=_("Nội dung kiểm tra"), max_length=500)
    decision_reference = forms.CharField(
        label=_("Quyết định kiểm tra"), max_length=100, required=False
    )
    organiser = AgencyChoice(queryset=agencies(), label=_("Cơ quan kiểm tra"))
    start_date = BoundedDateField(label=_("Từ ngày"))
    end_date = BoundedDateField(label=_("Đến ngày"))
    targets = forms.ModelMultipleChoiceField(queryset=agencies(), label=_("Cơ quan được kiểm tra"))
    team = forms.CharField(
        label=_("Thành viên đoàn (mỗi dòng: họ tên; nhiệm vụ)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].label_from_instance = lambda a: a.name_vi


class FindingsForm(forms.Form):
    findings = forms.CharField(
        label=_("Kết quả kiểm tra"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    remedy_agency = forms.TypedChoiceField(
        label=_("Cơ quan phải khắc phục"), coerce=int, required=False
    )
    remedy = forms.CharField(label=_("Yêu cầu khắc phục"), max_length=4000, required=False)
    remedy_deadline = BoundedDateField(label=_("Thời hạn khắc phục"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remedy_agency"].choices = [("", "—")] + [
            (t.agency_id, t.agency.name_vi) for t in inspection.targets.select_related("agency")
        ]


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("Kết quả khắc phục"), max_length=2000)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=RemedyStatus.choices)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Kết luận"), max_length=4000)
    closed_on = BoundedDateField(label=_("Ngày kết thúc"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31)
