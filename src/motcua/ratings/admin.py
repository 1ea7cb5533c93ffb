from django.contrib import admin, messages

from motcua.ratings.models import KioskDevice, Rating
from motcua.ratings.services import register_kiosk


@admin.register(KioskDevice)
class KioskDeviceAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "is_active", "last_used_at")
    list_filter = ("is_active",)
    fields = ("name", "agency", "is_active", "last_used_at")
    readonly_fields = ("last_used_at",)
    raw_id_fields = ("agency",)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # a new device gets its token from the service: shown once here, stored hashed
        device, token = register_kiosk(obj.agency, obj.name)
        obj.pk, obj.token_hash, obj._state.adding = device.pk, device.token_hash, False
        messages.warning(
            request,
            f"Mã thiết bị (chỉ hiển thị một lần): {token}. Trên máy tính bảng tại quầy, mở "
            f"/desk/kiosk/setup/{token}/ để ghi nhớ thiết bị.",
        )


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("created_at", "agency", "level", "channel", "officer")
    list_filter = ("level", "channel")
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None) -> bool:
        return False
