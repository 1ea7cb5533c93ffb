"""Desk forms: parse and check input; the services decide and change state."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency, AgencySigner
from motcua.core.formfields import BirthDateField, BoundedDateField, clean_date_range
from motcua.dossiers.models import ApplicantKind
from motcua.dossiers.services import ApplicantData

from . import labels


def lines(text: str) -> list[str]:
    """One item per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class VersionedForm(forms.Form):
    """Every action form carries the version the officer saw, so a stale page is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NoteForm(VersionedForm):
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EmptyForm(VersionedForm):
    pass


class MissingForm(VersionedForm):
    missing = forms.CharField(
        label=_("Nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(label=_("Hướng dẫn thêm"), required=False)


class ReasonsForm(VersionedForm):
    reasons = forms.CharField(
        label=_("Lý do (mỗi dòng một lý do)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(VersionedForm):
    reason = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignedLetterForm(ReasonForm):
    """A letter of the deciding agency (Forms 04, 05): who signs it is chosen here, among the
    signers configured for that agency (the view narrows the choices to it)."""

    signer = forms.ModelChoiceField(
        label=_("Người ký"),
        queryset=AgencySigner.objects.filter(active=True),
        required=False,
        empty_label=_("Người đứng đầu cơ quan"),
    )

    def for_agency(self, agency_id: int) -> None:
        field = self.fields["signer"]
        field.queryset = AgencySigner.objects.filter(active=True, agency_id=agency_id)


class StopForm(SignedLetterForm):
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), required=False)


class ApologiseForm(SignedLetterForm):
    new_due_at = forms.DateTimeField(
        label=_("Ngày hẹn trả mới"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )


class ForwardForm(NoteForm):
    to_agency = forms.ModelChoiceField(
        label=_("Cơ quan nhận"), queryset=Agency.objects.order_by("code")
    )


class ApproveForm(VersionedForm):
    result_documents = forms.CharField(
        label=_("Văn bản kết quả (mỗi dòng một văn bản)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    electronic = forms.BooleanField(label=_("Kết quả điện tử"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False)


class PaymentRequestForm(VersionedForm):
    fee_name = forms.CharField(label=_("Khoản phải nộp"), initial="Lệ phí")
    amount_vnd = forms.IntegerField(label=_("Số tiền (đồng)"), min_value=1)


class ConfirmPaymentForm(VersionedForm):
    channel = forms.ChoiceField(
        label=_("Hình thức thanh toán"), choices=labels.payment_channel_choices
    )
    gateway = forms.CharField(label=_("Cổng thanh toán"), required=False)
    transaction_ref = forms.CharField(label=_("Mã giao dịch"), required=False)


class ReturnForm(VersionedForm):
    delivery = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=labels.delivery_choices)


class UploadForm(forms.Form):
    PURPOSES = (
        ("component", _("Thành phần hồ sơ (bản quét)")),
        ("result", _("Kết quả giải quyết")),
    )
    file = forms.FileField(label=_("Tệp (PDF, PNG, JPEG, TIFF, DOCX, XLSX)"))
    purpose = forms.ChoiceField(label=_("Loại tệp"), choices=PURPOSES)
    document = forms.TypedChoiceField(
        label=_("Thuộc thành phần hồ sơ"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", "—")] + [(d.pk, d.name) for d in documents]


class LogForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Bộ phận tiếp nhận"), queryset=Agency.objects.none())
    start = BoundedDateField(label=_("Từ ngày"))
    end = BoundedDateField(label=_("Đến ngày"))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        today = timezone.localdate()
        self.fields["start"].initial = today.replace(day=1)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        clean_date_range(self)
        return data


class ApplicantForm(forms.Form):
    """The applicant at the counter (checked again by the engine's validate_applicant)."""

    kind = forms.ChoiceField(
        label=_("Loại người nộp"),
        choices=[
            (ApplicantKind.INDIVIDUAL, _("Cá nhân")),
            (ApplicantKind.ORGANISATION, _("Tổ chức")),
        ],
        initial=ApplicantKind.INDIVIDUAL,
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (CCCD, 12 số)"), required=False, max_length=12
    )
    name = forms.CharField(label=_("Họ và tên / tên tổ chức"), max_length=255)
    birth_date = BirthDateField(label=_("Ngày sinh"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=500)
    tax_code = forms.CharField(label=_("Mã số thuế (tổ chức)"), required=False, max_length=14)
    representative = forms.CharField(
        label=_("Người đại diện (tổ chức)"), required=False, max_length=255
    )

    def applicant(self) -> ApplicantData:
        c = self.cleaned_data
        return ApplicantData(
            name=c["name"],
            kind=c["kind"],
            id_number=c["id_number"].strip(),
            birth_date=c["birth_date"],
            phone=c["phone"].strip(),
            email=c["email"],
            address=c["address"].strip(),
            tax_code=c["tax_code"].strip(),
            representative=c["representative"].strip(),
        )


RECEPTION_DECISIONS = (
    ("receive", _("Tiếp nhận (in Mẫu 01)")),
    ("request_completion", _("Yêu cầu hoàn thiện (in Mẫu 02)")),
    ("refuse_reception", _("Từ chối tiếp nhận (in Mẫu 03)")),
)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"), choices=RECEPTION_DECISIONS, widget=forms.RadioSelect
    )
    missing = forms.CharField(
        label=_("Nội dung cần hoàn thiện thêm (mỗi dòng một nội dung)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reasons = forms.CharField(
        label=_("Lý do từ chối (mỗi dòng một lý do)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override_reason = forms.CharField(
        label=_("Lý do vẫn tiếp nhận khi còn thiếu giấy tờ bắt buộc"),
        help_text=_(
            "Chỉ điền khi tiếp nhận hồ sơ còn thiếu giấy tờ bắt buộc; lý do được ghi vào nhật ký "
            "hồ sơ. Nếu không, hãy chọn “Yêu cầu hoàn thiện (in Mẫu 02)”."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def local_datetime(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value
