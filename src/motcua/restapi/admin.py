from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.restapi.models import ApiToken
from motcua.restapi.tokens import revoke_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created with ``motcua apitoken create`` (the secret is shown once
    there); here an administrator sees their use and revokes them."""

    list_display = ("name", "prefix", "agency", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "agency__code", "agency__name_vi")
    readonly_fields = (
        "name",
        "agency",
        "permissions",
        "prefix",
        "token_hash",
        "user",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description="Thu hồi các khóa API đã chọn")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            revoke_token(token, by=request.user)
        self.message_user(request, f"Đã thu hồi {queryset.count()} khóa API.", messages.SUCCESS)
