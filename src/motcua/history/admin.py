from django.contrib import admin

from motcua.history.models import HistoryImport


@admin.register(HistoryImport)
class HistoryImportAdmin(admin.ModelAdmin):
    """Read-only: an import's record is its audit event."""

    list_display = ("at", "kind", "file_name", "rows", "created", "skipped", "by", "os_user")
    list_filter = ("kind",)
    search_fields = ("file_name", "sha256")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
