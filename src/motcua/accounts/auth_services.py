"""Citizen accounts: registration and finding an account by e-mail, phone or user name.

Citizens sign in with their e-mail address or phone number; both are unique among accounts
(checked here, since the ``User`` table predates them being login identifiers).

Registration never says that an e-mail or phone is taken (that would let anyone test which
people have accounts): ``register_citizen`` then creates nothing and tells the owner by e-mail,
and the page answers exactly as for a new account, as password reset does.
"""

from __future__ import annotations

import logging
import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.accounts.models import User

log = logging.getLogger("motcua.accounts")
_PHONE = re.compile(r"^0\d{9,10}$")


def normalise_phone(value: str) -> str:
    """'+84 901 234 567' and '0901234567' are the same number: keep the domestic form."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def is_phone(value: str) -> bool:
    return bool(_PHONE.match(normalise_phone(value)))


def find_user(identifier: str) -> User | None:
    """The active account whose e-mail, phone or user name is ``identifier``."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        q = Q(email__iexact=identifier)
    elif is_phone(identifier):
        q = Q(phone=normalise_phone(identifier))
    else:
        q = Q(username=identifier)
    return User.objects.filter(q, is_active=True).order_by("pk").first()


def _holders(email: str, phone: str, exclude_pk: int | None = None) -> dict[str, list[User]]:
    """Accounts already using the e-mail (as e-mail or user name) or the phone, by field."""
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    found: dict[str, list[User]] = {}
    if email:
        found["email"] = list(others.filter(Q(email__iexact=email) | Q(username__iexact=email)))
    if phone and is_phone(phone):
        found["phone"] = list(others.filter(phone=normalise_phone(phone)))
    return {field: users for field, users in found.items() if users}


def format_errors(email: str, phone: str) -> dict[str, str]:
    """Field → Vietnamese message when the e-mail or phone is missing or malformed."""
    errors: dict[str, str] = {}
    if not email and not phone:
        errors["email"] = "Vui lòng nhập thư điện tử hoặc số điện thoại."
    if phone and not is_phone(phone):
        errors["phone"] = "Số điện thoại không hợp lệ (ví dụ 0901234567)."
    return errors


def identifier_errors(email: str, phone: str, *, exclude_pk: int | None = None) -> dict[str, str]:
    """Field → Vietnamese message when the e-mail or phone is malformed or already used (for a
    signed-in citizen editing their profile, not for registration)."""
    errors = format_errors(email, phone)
    taken = _holders(email, phone, exclude_pk)
    if "email" in taken:
        errors["email"] = "Thư điện tử này đã được dùng cho một tài khoản khác."
    if "phone" in taken and "phone" not in errors:
        errors["phone"] = "Số điện thoại này đã được dùng cho một tài khoản khác."
    return errors


class RegistrationError(ValueError):
    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(fields.values()))
        self.fields = fields


def _tell_owners(owners: list[User], reset_url: str) -> None:
    """Someone tried to register with an owner's e-mail or phone: tell the owner (by e-mail;
    an owner without one is only logged, there is no SMS gateway yet)."""
    for owner in owners:
        if not owner.email:
            log.info("registration with the phone of account %s (no e-mail to tell)", owner.pk)
            continue
        body = _(
            "Xin chào,\n\nCó người vừa đăng ký tài khoản trên Cổng dịch vụ công bằng thư điện "
            "tử hoặc số điện thoại của bạn. Bạn đã có tài khoản nên không có tài khoản mới nào "
            "được tạo.\n\nNếu đó là bạn, hãy đăng nhập; nếu quên mật khẩu, hãy đặt lại tại: "
            "%(url)s\n\nNếu không phải bạn, hãy bỏ qua thư này."
        ) % {"url": reset_url}
        send_mail(_("Đăng ký tài khoản bằng thông tin của bạn"), body, None, [owner.email])


def register_citizen(
    *, full_name: str, email: str, phone: str, password: str, reset_url: str = ""
) -> User | None:
    """Create a citizen account (no membership); the password is hashed with Argon2.

    Returns None, creating nothing, when the e-mail or phone already belongs to an account:
    the owner is told by e-mail and the caller answers as for a new account."""
    email, phone = (email or "").strip().lower(), normalise_phone(phone)
    errors = format_errors(email, phone)
    if not full_name.strip():
        errors["full_name"] = "Vui lòng nhập họ và tên."
    candidate = User(username=email or phone, email=email, phone=phone, full_name=full_name)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password1"] = " ".join(exc.messages)
    if errors:
        raise RegistrationError(errors)
    taken = _holders(email, phone)
    if taken:
        owners = {user.pk: user for users in taken.values() for user in users}
        _tell_owners(list(owners.values()), reset_url)
        User().set_password(password)  # the same hashing time as creating the account
        return None
    with transaction.atomic():
        user = User.objects.create_user(
            username=email or phone,
            email=email,
            password=password,
            phone=phone,
            full_name=full_name.strip(),
        )
    return user
