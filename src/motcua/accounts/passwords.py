"""Password validators whose messages name what the person actually gave us.

Django's ``UserAttributeSimilarityValidator`` says "Mật khẩu quá giống với Tên đăng nhập" to a
citizen who never chose a user name (ours is their e-mail or phone number). This one compares
with the full name, e-mail and phone, and with the user name only when it is something else
(an officer's account name), and says which of them the password resembles.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LABELS = {
    "full_name": gettext_lazy("họ và tên"),
    "email": gettext_lazy("thư điện tử"),
    "phone": gettext_lazy("số điện thoại"),
    "username": gettext_lazy("tên đăng nhập"),
}


class PersonalDataSimilarityValidator(UserAttributeSimilarityValidator):
    def __init__(self, max_similarity: float = 0.7) -> None:
        super().__init__(user_attributes=tuple(LABELS), max_similarity=max_similarity)

    def validate(self, password: str, user=None) -> None:
        if not user:
            return
        given = {getattr(user, "email", ""), getattr(user, "phone", "")}
        for attribute, label in LABELS.items():
            if attribute == "username" and getattr(user, "username", "") in given:
                continue  # the user name is the e-mail or phone, already compared
            try:
                UserAttributeSimilarityValidator((attribute,), self.max_similarity).validate(
                    password, user
                )
            except ValidationError:
                raise ValidationError(
                    _("Mật khẩu quá giống với %(what)s của bạn.") % {"what": label},
                    code="password_too_similar",
                ) from None

    def get_help_text(self) -> str:
        return _(
            "Mật khẩu không được quá giống với họ tên, thư điện tử hoặc số điện thoại của bạn."
        )
