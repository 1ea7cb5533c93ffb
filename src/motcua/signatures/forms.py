from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignForm(forms.Form):
    secret = forms.CharField(
        label=_("Mã PIN hoặc mật khẩu khóa ký số"),
        required=False,
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Để trống nếu khóa của bạn đã được cấu hình để ký không cần nhập."),
    )
    with_seal = forms.BooleanField(label=_("Đóng dấu số của cơ quan"), required=False, initial=True)


class VerifyForm(forms.Form):
    # empty files reach the view, which says "Tệp rỗng." rather than a generic error
    file = forms.FileField(label=_("Tệp PDF đã ký"), required=False, allow_empty_file=True)
    code = forms.CharField(label=_("hoặc mã kết quả"), required=False, max_length=20)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("code") or "").strip():
            raise forms.ValidationError(_("Hãy chọn tệp PDF hoặc nhập mã kết quả."))
        return data
