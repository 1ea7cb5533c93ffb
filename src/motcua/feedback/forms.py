"""Forms of the feedback pages (validation of shape only; the services decide the rest)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import Category
from motcua.feedback.rules import CHANNEL_LABELS_VI, OPERATOR_CHANNELS
from motcua.feedback.services import MAX_FILES

# what the shared upload check accepts (dossiers.attachments), for the browser's file picker
ACCEPT = (
    "application/pdf,image/png,image/jpeg,image/tiff,.pdf,.png,.jpg,.jpeg,.tif,.tiff,.docx,.xlsx"
)


def category_choices() -> list[tuple[str, str]]:
    return [("", _("— Chọn lĩnh vực —"))] + [
        (c.code, c.name) for c in Category.objects.filter(active=True)
    ]


class MultiFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: the widget hands over a list, each file is checked as a
    ``FileField`` would check one (a plain ``FileField`` given a list answers "no file was
    submitted", which is why feedback attachments never worked)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultiFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ItemForm(forms.Form):
    category = forms.ChoiceField(label=_("Lĩnh vực"), choices=())
    title = forms.CharField(label=_("Tiêu đề"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"), widget=forms.Textarea(attrs={"rows": 6})
    )
    address = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    latitude = forms.DecimalField(
        label=_("Vĩ độ"), max_digits=9, decimal_places=6, required=False, localize=False
    )
    longitude = forms.DecimalField(
        label=_("Kinh độ"), max_digits=9, decimal_places=6, required=False, localize=False
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ liên quan (nếu có)"), max_length=40, required=False
    )
    dossier_digits = forms.CharField(
        label=_("4 số cuối số điện thoại hoặc CCCD của người nộp hồ sơ"),
        max_length=4,
        required=False,
        help_text=_(
            "Để gắn phản ánh với hồ sơ của bạn (như khi tra cứu hồ sơ). Không cần nếu bạn đã "
            "đăng nhập bằng tài khoản nộp hồ sơ."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reporter_name = forms.CharField(label=_("Họ và tên"), max_length=200, required=False)
    reporter_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=_("Để lại số điện thoại hoặc thư điện tử (ít nhất một) để nhận trả lời."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    reporter_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    is_public = forms.BooleanField(
        label=_("Đồng ý công khai nội dung và câu trả lời (không công khai thông tin cá nhân)"),
        required=False,
        initial=False,  # consent is opt-in: never ticked for the reporter
    )
    files = MultipleFileField(
        label=_("Tệp đính kèm (PDF, ảnh, DOCX, XLSX)"),
        required=False,
        help_text=_("Tối đa %(n)d tệp, mỗi tệp không quá %(mb)d MB.")
        % {"n": MAX_FILES, "mb": settings.MOTCUA_MAX_UPLOAD_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["reporter_name"].widget.attrs["autocomplete"] = "name"


def reporter_initial(user) -> dict[str, str]:
    """A signed-in citizen's own details, pre-filled on the form (they may change them)."""
    if user is None or not user.is_authenticated:
        return {}
    return {
        "reporter_name": user.full_name or user.get_full_name(),
        "reporter_phone": user.phone,
        "reporter_email": user.email,
    }


class OperatorItemForm(ItemForm):
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[(c.value, CHANNEL_LABELS_VI[c]) for c in sorted(OPERATOR_CHANNELS)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the operator types what the caller says: the help addressed to reporters is wrong here
        self.fields["dossier_digits"].help_text = ""


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Mã phản ánh"), max_length=30)
    contact = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử đã khai (để xem câu trả lời riêng, đánh giá)"),
        max_length=254,
        required=False,
    )
