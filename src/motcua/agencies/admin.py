"""Admin for the agency tree (reference data). Mergers and renames go through services."""

from __future__ import annotations

from datetime import date

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.agencies.models import Agency, AgencySigner
from motcua.agencies.queries import search_filter, valid_on_filter


class ValidityFilter(admin.SimpleListFilter):
    title = "hiệu lực"
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [
            ("current", "Đang có hiệu lực"),
            ("closed", "Đã hết hiệu lực"),
            ("future", "Chưa có hiệu lực"),
        ]

    def queryset(self, request, queryset):
        today = date.today()
        if self.value() == "current":
            return queryset.filter(valid_on_filter(today))
        if self.value() == "closed":
            return queryset.filter(valid_to__lte=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


class SignerInline(admin.TabularInline):
    """Who may sign the agency's Forms 04 and 05 (chosen when a letter is issued)."""

    model = AgencySigner
    extra = 0
    fields = ["order", "name", "role", "position", "user", "active"]
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    inlines = [SignerInline]
    list_display = ["code", "name_vi", "level", "parent", "is_demo_code", "valid_from", "valid_to"]
    list_filter = ["level", "is_demo_code", ValidityFilter]
    list_select_related = ["parent"]
    search_fields = ["code"]  # plus the accent-insensitive name, in get_search_results
    search_help_text = "Tìm theo tên (có dấu hoặc không dấu) hoặc mã định danh."
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path", "name_search"]
    fields = [
        "code",
        "edxml_organ_id",
        "is_demo_code",
        "name_vi",
        "name_en",
        "level",
        "parent",
        "gso_code",
        "local_ref",
        "valid_from",
        "valid_to",
        "successor",
        "office_hours",
        "place_name",
        "phone",
        "symbol",
        "desk_name",
        "head_title",
        "path",
        "name_search",
    ]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Agency], search_term: str
    ) -> tuple[QuerySet[Agency], bool]:
        q = search_filter(search_term)
        return (queryset.filter(q) if q is not None else queryset), False
