from django.contrib import admin

from motcua.core.models import ChangeEvent


@admin.register(ChangeEvent)
class ChangeEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "object_type", "object_id", "summary", "actor")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
