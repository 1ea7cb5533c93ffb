"""Issue 9 §5: Django's stock Vietnamese messages that were wrong for us."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from motcua.accounts.models import User


def _password_errors(password: str, user: User) -> list[str]:
    with translation.override("vi"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return list(exc.messages)
    return []


def test_integer_field_error_says_so_in_proper_vietnamese():
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        forms.IntegerField().clean("mười")
    assert caught.value.messages == ["Nhập một số nguyên."]


def test_integer_field_error_on_a_desk_form_page(db):
    from motcua.desk.forms import PaymentRequestForm

    with translation.override("vi"):
        form = PaymentRequestForm(
            {"expected_version": "1", "fee_name": "Lệ phí", "amount_vnd": "x"}
        )
        assert not form.is_valid()
        assert form.errors["amount_vnd"] == ["Nhập một số nguyên."]


def test_citizen_password_like_their_email_names_the_email_not_a_user_name():
    citizen = User(username="nhung.nguyen@example.vn", email="nhung.nguyen@example.vn")
    errors = _password_errors("nhung.nguyen@example", citizen)
    assert "Mật khẩu quá giống với thư điện tử của bạn." in errors
    assert not any("đăng nhập" in e.lower() for e in errors)


def test_citizen_password_like_their_phone_names_the_phone():
    citizen = User(username="0901234567", phone="0901234567")
    errors = _password_errors("0901234567a", citizen)
    assert "Mật khẩu quá giống với số điện thoại của bạn." in errors
    assert not any("đăng nhập" in e.lower() for e in errors)


def test_password_like_the_full_name_names_the_name():
    citizen = User(username="0901234567", phone="0901234567", full_name="Nguyen Thi Hong Nhung")
    errors = _password_errors("nguyenthihongnhung", citizen)
    assert "Mật khẩu quá giống với họ và tên của bạn." in errors


def test_officer_user_name_is_still_compared_and_named():
    officer = User(username="canbo.motcua.ninhkieu", email="a@example.vn")
    errors = _password_errors("canbo.motcua.ninhkieu1", officer)
    assert "Mật khẩu quá giống với tên đăng nhập của bạn." in errors


def test_unrelated_password_passes():
    citizen = User(username="a@example.vn", email="a@example.vn", full_name="Trần Văn Bình")
    assert _password_errors("Sông-Hậu-mùa-nước-nổi-2025", citizen) == []


def test_english_message():
    citizen = User(username="0901234567", phone="0901234567")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_password("0901234567a", citizen)
    assert "The password is too similar to your phone number." in caught.value.messages
