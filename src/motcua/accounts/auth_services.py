"""Citizen accounts: registration and finding an account by e-mail, phone or user name.

Citizens sign in with their e-mail address or phone number; both are unique among accounts
(checked here, since the ``User`` table predates them being login identifiers).
"""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from motcua.accounts.models import User

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


def identifier_errors(email: str, phone: str, *, exclude_pk: int | None = None) -> dict[str, str]:
    """Field → Vietnamese message when the e-mail or phone is malformed or already used."""
    errors: dict[str, str] = {}
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    if not email and not phone:
        errors["email"] = "Vui lòng nhập thư điện tử hoặc số điện thoại."
    if email and others.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        errors["email"] = "Thư điện tử này đã được dùng cho một tài khoản khác."
    if phone:
        if not is_phone(phone):
            errors["phone"] = "Số điện thoại không hợp lệ (ví dụ 0901234567)."
        elif others.filter(phone=normalise_phone(phone)).exists():
            errors["phone"] = "Số điện thoại này đã được dùng cho một tài khoản khác."
    return errors


class RegistrationError(ValueError):
    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(fields.values()))
        self.fields = fields


def register_citizen(*, full_name: str, email: str, phone: str, password: str) -> User:
    """Create a citizen account (no membership); the password is hashed with Argon2."""
    email, phone = (email or "").strip().lower(), normalise_phone(phone)
    errors = identifier_errors(email, phone)
    if not full_name.strip():
        errors["full_name"] = "Vui lòng nhập họ và tên."
    candidate = User(username=email or phone, email=email, phone=phone, full_name=full_name)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password1"] = " ".join(exc.messages)
    if errors:
        raise RegistrationError(errors)
    with transaction.atomic():
        user = User.objects.create_user(
            username=email or phone,
            email=email,
            password=password,
            phone=phone,
            full_name=full_name.strip(),
        )
    return user
