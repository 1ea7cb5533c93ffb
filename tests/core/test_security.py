from motcua import settings as project_settings


def test_production_password_hasher_is_argon2():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
