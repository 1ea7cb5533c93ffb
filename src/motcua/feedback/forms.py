"""Forms of the feedback pages (validation of shape only; the services decide the rest)."""

from __future__ import annotations

from django import forms

from motcua.feedback.models import Category
from motcua.feedback.rules import CHANNEL_LABELS_VI, OPERATOR_CHANNELS


def category_choices() -> list[tuple[str, str]]:
    return [("", "— Chọn lĩnh vực —")] + [
        (c.code, c.name_vi) for c in Category.objects.filter(active=True)
    ]


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ItemForm(forms.Form):
    category = forms.ChoiceField(label="Lĩnh vực", choices=())
    title = forms.CharField(label="Tiêu đề", max_length=255, required=False)
    description = forms.CharField(label="Nội dung phản ánh, kiến nghị", widget=forms.Textarea)
    address = forms.CharField(label="Địa điểm", max_length=255, required=False)
    latitude = forms.DecimalField(label="Vĩ độ", max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label="Kinh độ", max_digits=9, decimal_places=6, required=False)
    dossier_code = forms.CharField(label="Mã hồ sơ liên quan (nếu có)", required=False)
    reporter_name = forms.CharField(label="Họ và tên", max_length=200, required=False)
    reporter_phone = forms.CharField(label="Số điện thoại", max_length=20, required=False)
    reporter_email = forms.EmailField(label="Thư điện tử", required=False)
    is_public = forms.BooleanField(
        label="Đồng ý công khai nội dung và câu trả lời (không công khai thông tin cá nhân)",
        required=False,
        initial=True,
    )
    files = forms.FileField(
        label="Tệp đính kèm (PDF, ảnh)", required=False, widget=MultiFileInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class OperatorItemForm(ItemForm):
    channel = forms.ChoiceField(
        label="Kênh tiếp nhận",
        choices=[(c.value, CHANNEL_LABELS_VI[c]) for c in sorted(OPERATOR_CHANNELS)],
    )


class TrackForm(forms.Form):
    code = forms.CharField(label="Mã phản ánh", max_length=30)
    contact = forms.CharField(
        label="Số điện thoại hoặc thư điện tử đã khai (để xem câu trả lời riêng, đánh giá)",
        max_length=254,
        required=False,
    )
