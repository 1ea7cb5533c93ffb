"""Admin for the reform app's reference data: which agencies act as the reform office.
Plans, tasks and inspections change only through the desk pages (the services, with their
audit trail); admin shows them read-only."""

from django.contrib import admin

from motcua.reform.models import Inspection, ReformOffice, ReformPlan, Task


@admin.register(ReformOffice)
class ReformOfficeAdmin(admin.ModelAdmin):
    list_display = ("agency",)
    autocomplete_fields = ("agency",)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReformPlan)
class ReformPlanAdmin(ReadOnly):
    list_display = ("year", "decision_number", "agency", "title")
    list_filter = ("year",)


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("plan", "content", "lead_agency", "deadline", "status")
    list_filter = ("status", "plan__year")
    search_fields = ("content",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnly):
    list_display = ("start_date", "kind", "topic", "status")
    list_filter = ("kind", "status", "year")
