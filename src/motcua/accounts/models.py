"""Users, roles and agency scopes.

A citizen is a user with no membership. An officer holds one or more ``Membership`` rows, each
an (agency, role) pair; administrators' memberships cover the agency's whole subtree. Scope is
always evaluated in SQL (see ``accounts.scope``), never by looping in Python.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", "Cán bộ một cửa"
    SPECIALIST = "specialist", "Chuyên viên thụ lý"
    LEADER = "leader", "Lãnh đạo phê duyệt"
    AGENCY_ADMIN = "agency_admin", "Quản trị cơ quan"
    PROVINCE_ADMIN = "province_admin", "Quản trị tỉnh"


# Roles whose scope is the agency and everything under it.
SUBTREE_ROLES = frozenset({Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN})
OFFICER_ROLES = frozenset(Role)


class User(AbstractUser):
    """A person who signs in: a citizen, an officer or an administrator."""

    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    full_name = models.CharField("họ và tên", max_length=255, blank=True)
    # the personal identification number (số định danh cá nhân) as VERIFIED by the national
    # identity service (VNeID sign-in); never self-declared, so it may link accounts
    identity_number = models.CharField("số định danh cá nhân", max_length=12, blank=True)
    identity_verified_at = models.DateTimeField("xác thực định danh lúc", null=True, blank=True)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.UniqueConstraint(
                fields=["identity_number"],
                condition=~models.Q(identity_number=""),
                name="user_identity_number_unique",
            )
        ]

    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Membership(models.Model):
    """An officer's role in an agency (one user may hold several)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "phân công cán bộ"
        verbose_name_plural = "phân công cán bộ"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency.name_vi}"
