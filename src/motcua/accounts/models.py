"""Users. A custom user model from the start, so roles and agency scopes can grow on it."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: a citizen, an officer or an administrator."""

    phone = models.CharField("số điện thoại", max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
