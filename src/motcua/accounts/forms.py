"""Sign-in forms of the desk and the admin: Django's, with the lockout's message and, on the
desk, only officers (a membership, or a superuser) let in."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.accounts.backends import locked_on
from motcua.accounts.models import User
from motcua.accounts.scope import is_officer


def locked_message(minutes: int) -> str:
    return gettext(
        "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau %(minutes)s phút."
    ) % {"minutes": minutes}


class LockoutAwareMixin:
    """Says "locked, try again in N minutes" instead of "wrong password" when locked."""

    request = None

    def clean(self):
        try:
            return super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            locked = locked_on(self.request)
            if locked is not None:
                raise forms.ValidationError(locked_message(locked.minutes), code="locked") from None
            raise

    @property
    def locked(self):
        return locked_on(self.request)


class DeskAuthenticationForm(LockoutAwareMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "not_officer": _(
            "Tài khoản này không có quyền làm việc tại bộ phận một cửa. Người dân vui lòng "
            "đăng nhập trên Cổng dịch vụ công."
        ),
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not is_officer(user):
            raise forms.ValidationError(self.error_messages["not_officer"], code="not_officer")


class AdminLoginForm(LockoutAwareMixin, AdminAuthenticationForm):
    pass
