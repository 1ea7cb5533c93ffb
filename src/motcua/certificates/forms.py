"""Desk forms of the certificate register: shape and bounds only; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.certificates.queries import MAX_WITHIN_DAYS
from motcua.certificates.rules import Kind, Status
from motcua.core.formfields import BoundedDateField


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm (chủ thể, số hiệu, token)"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[("", _("Tất cả")), *Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *Status.choices], required=False
    )
    agency = forms.CharField(label=_("Mã cơ quan"), max_length=35, required=False)
    within = forms.IntegerField(
        label=_("Hết hạn trong (ngày)"), min_value=0, max_value=MAX_WITHIN_DAYS, required=False
    )
    active_at = BoundedDateField(label=_("Đang hoạt động ngày"), required=False)
    issued_by = BoundedDateField(label=_("Cấp đến ngày"), required=False)
    token = forms.BooleanField(label=_("Có USB token"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Danh sách của tổ chức cấp (.xlsx)"))
    issuer = forms.CharField(
        label=_("Tổ chức cấp (khi tệp không có cột này)"), max_length=255, required=False
    )
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, không ghi"), required=False)


class RevokeForm(forms.Form):
    on = BoundedDateField(label=_("Ngày thu hồi"))
    reason = forms.CharField(label=_("Lý do thu hồi"), max_length=500)


class ReturnForm(forms.Form):
    on = BoundedDateField(label=_("Ngày nộp lại"))
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class FileForm(forms.Form):
    file = forms.FileField(label=_("Tệp chứng thư (.cer, .crt, .pem)"))
