"""Portal forms: parsing and field-level messages only; the work is done by services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.models import Field
from motcua.core.formfields import BirthDateField
from motcua.core.localize import LocalizedModelChoiceField, localized_name
from motcua.ratings.models import Level


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    field = LocalizedModelChoiceField(
        label=_("Lĩnh vực"), queryset=Field.objects.all(), required=False, empty_label=_("Tất cả")
    )
    agency = LocalizedModelChoiceField(
        label=_("Cơ quan thực hiện"),
        queryset=Agency.objects.filter(procedures__isnull=False).distinct().order_by("name_vi"),
        required=False,
        empty_label=_("Tất cả"),
    )
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("province", _("Cấp tỉnh")),
            ("district", _("Cấp huyện")),
            ("commune", _("Cấp xã")),
        ],
    )
    online = forms.ChoiceField(
        label=_("Dịch vụ công trực tuyến"),
        required=False,
        choices=[("", _("Tất cả")), ("full", _("Toàn trình")), ("partial", _("Một phần"))],
    )


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Thư điện tử hoặc số điện thoại"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 8 ký tự, không quá đơn giản."),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        return data


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=255)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20)


class ApplicantForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=[("individual", _("Cá nhân")), ("organisation", _("Tổ chức"))],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Họ tên người nộp hoặc tên tổ chức"), max_length=255)
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (CCCD, 12 chữ số)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    birth_date = BirthDateField(label=_("Ngày sinh"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=500)
    tax_code = forms.CharField(label=_("Mã số thuế (tổ chức)"), required=False, max_length=14)
    representative = forms.CharField(
        label=_("Người đại diện (tổ chức)"), required=False, max_length=255
    )
    agency = forms.TypedChoiceField(
        label=_("Nơi nộp hồ sơ"), coerce=int, required=False, empty_value=None
    )

    # Required to submit (the engine's validate_applicant), though a draft may be saved
    # without them: marked with "*" and aria-required. The other pairs depend on the kind of
    # applicant: marked "*" with a help text saying when.
    ALWAYS_REQUIRED = ("agency",)
    REQUIRED_WHEN = {
        "id_number": _("Bắt buộc đối với cá nhân."),
        "tax_code": _("Bắt buộc đối với tổ chức."),
        "representative": _("Bắt buộc đối với tổ chức."),
    }

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— Chọn nơi nộp —"))] + [
            (a.pk, localized_name(a)) for a in agencies
        ]
        for name in self.ALWAYS_REQUIRED:
            self.fields[name].marked_required = True
        for name, when in self.REQUIRED_WHEN.items():
            self.fields[name].conditionally_required = True
            self.fields[name].help_text = when


class UploadForm(forms.Form):
    document = forms.IntegerField(required=False)
    file = forms.FileField(label=_("Tệp đính kèm"))


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "000.00.01.H13-250124-0001"}),
    )
    digits = forms.RegexField(
        label=_("4 số cuối điện thoại hoặc số CCCD của người nộp"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("Vui lòng nhập đúng 4 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class RatingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Mức độ hài lòng"),
        choices=[
            (Level.VERY_SATISFIED, _("Rất hài lòng")),
            (Level.SATISFIED, _("Hài lòng")),
            (Level.NOT_SATISFIED, _("Không hài lòng")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận muốn rút hồ sơ này"),
        error_messages={"required": _("Vui lòng xác nhận để rút hồ sơ.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] or [single(None, initial)]
        return [single(data, initial)]


class SupplementForm(forms.Form):
    files = MultipleFileField(label=_("Tệp bổ sung"))
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
