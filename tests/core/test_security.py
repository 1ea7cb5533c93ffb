from motcua import settings as project_settings


def test_production_password_hasher_is_argon2():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_password_errors_are_vietnamese(db):
    import pytest
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as err:
        validate_password("123")
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in err.value.messages
