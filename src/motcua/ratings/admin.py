from django.contrib import admin

from motcua.ratings.models import KioskDevice, Rating


@admin.register(KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "is_active", "last_used_at")
    list_filter = ("is_active",)
    readonly_fields = ("token_hash", "last_used_at")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("created_at", "agency", "level", "channel", "officer")
    list_filter = ("level", "channel")
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None) -> bool:
        return False
