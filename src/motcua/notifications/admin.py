from django.contrib import admin

from motcua.notifications.models import Notification, Template


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    """Administrators edit the wording of each event and channel (Vietnamese and English)."""

    list_display = ("event", "channel", "subject_vi", "active", "updated_at")
    list_filter = ("channel", "event", "active")
    readonly_fields = ("event", "channel", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False  # one row per event and channel, seeded

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "channel", "recipient_role", "status", "dossier")
    list_filter = ("status", "channel", "event")
    search_fields = ("dossier__code", "key")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
