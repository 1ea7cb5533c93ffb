from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.notifications import rules as R


class PreferenceForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Nhận thông báo qua"),
        choices=R.CHANNEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Bỏ chọn tất cả nếu không muốn nhận thông báo. Tin nhắn SMS chỉ ghi mã hồ sơ "
            "và trạng thái."
        ),
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của thông báo"), choices=[("vi", "Tiếng Việt"), ("en", "English")]
    )
