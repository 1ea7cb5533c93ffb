from __future__ import annotations

from django.contrib import admin
from django.db.models.functions import ExtractYear

from motcua.workcalendar import services
from motcua.workcalendar.models import CalendarOverride


class YearFilter(admin.SimpleListFilter):
    title = "năm"
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        years = (
            CalendarOverride.objects.annotate(y=ExtractYear("date"))
            .values_list("y", flat=True)
            .distinct()
            .order_by("-y")
        )
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "reference")
    list_filter = ("kind", YearFilter)
    search_fields = ("name", "reference")
    date_hierarchy = "date"
    readonly_fields = ("created", "updated")
    fields = ("date", "kind", "name", "reference", "created", "updated")

    def save_model(self, request, obj, form, change) -> None:
        services.save_override(obj, actor=request.user)

    def delete_model(self, request, obj) -> None:
        services.delete_override(obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            services.delete_override(obj, actor=request.user)
