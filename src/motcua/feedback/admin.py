"""Admin for the hub's reference data: categories (deadlines), routing rules, API clients.
Items are handled in the feedback desk pages (the services), not here; admin shows them
read-only."""

from django.contrib import admin

from motcua.feedback.models import ApiClient, Category, FeedbackItem, RoutingRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "parent", "handle_days", "active")
    list_editable = ("handle_days", "active")
    search_fields = ("code", "name_vi")


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "area", "agency", "priority", "active")
    list_filter = ("active", "category")
    autocomplete_fields = ("area", "agency")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "channel", "active")


@admin.register(FeedbackItem)
class FeedbackItemAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "channel", "category", "state", "agency", "received_at")
    list_filter = ("state", "channel", "category")
    search_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
