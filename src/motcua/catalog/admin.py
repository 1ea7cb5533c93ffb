"""Django admin for the catalog (reference data). Workflow state changes go through services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest

from motcua.catalog import rules, services
from motcua.catalog.models import (
    FeeLine,
    Field,
    FormField,
    Procedure,
    RequiredDocument,
    Workflow,
    WorkflowStatus,
    WorkflowStep,
)
from motcua.core.text import normalize_search

LEVEL_LABELS = {rules.COMMUNE: "Cấp xã", rules.DISTRICT: "Cấp huyện", rules.PROVINCE: "Cấp tỉnh"}
UNCONFIRMED = (
    Q(code_unconfirmed=True)
    | Q(processing_unconfirmed=True)
    | Q(online_mode_unconfirmed=True)
    | Q(fee_lines__unconfirmed=True)
)


class NormalisedSearchMixin:
    """Search the stored normalised name so "giay phep xay dung" finds "Giấy phép xây dựng"."""

    search_fields = ["name_search"]

    def get_search_results(self, request, queryset, search_term):
        qs = queryset
        for word in normalize_search(search_term).split():
            q = Q(name_search__contains=word)
            if hasattr(queryset.model, "code"):
                q |= Q(code__contains=word)
            qs = qs.filter(q)
        return qs, False


@admin.register(Field)
class FieldAdmin(NormalisedSearchMixin, admin.ModelAdmin):
    list_display = ["name_vi", "name_en"]


class FeeLineInline(admin.TabularInline):
    model = FeeLine
    extra = 0


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0


class LevelFilter(admin.SimpleListFilter):
    title = "cấp thực hiện"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return list(LEVEL_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in LEVEL_LABELS:
            return queryset.filter(**{f"at_{self.value()}": True})
        return queryset


class UnconfirmedFilter(admin.SimpleListFilter):
    title = "chưa xác nhận"
    parameter_name = "unconfirmed"

    def lookups(self, request, model_admin):
        return [("yes", "Có giá trị chưa xác nhận"), ("no", "Đã xác nhận đủ")]

    def queryset(self, request, queryset):
        unconfirmed = queryset.filter(UNCONFIRMED).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=unconfirmed)
        if self.value() == "no":
            return queryset.exclude(pk__in=unconfirmed)
        return queryset


@admin.register(Procedure)
class ProcedureAdmin(NormalisedSearchMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name_vi",
        "field",
        "levels_display",
        "processing_display",
        "online_mode",
        "unconfirmed_marker",
        "is_active",
    ]
    list_filter = [
        "field",
        LevelFilter,
        "online_mode",
        "historical_online_level",
        UnconfirmedFilter,
        "is_active",
        "origin",
        "on_national_portal",
    ]
    list_select_related = ["field"]
    filter_horizontal = ["implementing_agencies"]
    inlines = [FeeLineInline, RequiredDocumentInline, FormFieldInline]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description="cấp")
    def levels_display(self, obj: Procedure) -> str:
        return ", ".join(LEVEL_LABELS[level] for level in obj.levels)

    @admin.display(description="thời hạn")
    def processing_display(self, obj: Procedure) -> str:
        return obj.legal_time_display + (" (?)" if obj.processing_unconfirmed else "")

    @admin.display(description="xác nhận")
    def unconfirmed_marker(self, obj: Procedure) -> str:
        has_fee = any(f.unconfirmed for f in obj.fee_lines.all())
        return "⚠ chưa xác nhận" if obj.has_unconfirmed or has_fee else ""

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("fee_lines")


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0
    fields = ["order", "name", "role", "performer", "agency", "allotted_hours"]

    def _editable(self, obj: Workflow | None) -> bool:
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class WorkflowForm(forms.ModelForm):
    class Meta:
        model = Workflow
        fields = ["procedure", "approved_ref", "valid_from"]

    def clean_procedure(self) -> Procedure:
        procedure = self.cleaned_data["procedure"]
        if self.instance.pk is None and procedure.processing_amount is None:
            raise ValidationError(
                "Thủ tục chưa có thời hạn giải quyết; hãy nhập thời hạn trước khi lập quy trình."
            )
        return procedure


@admin.register(Workflow)
class WorkflowAdmin(admin.ModelAdmin):
    form = WorkflowForm
    list_display = ["procedure", "version", "status", "legal_time_display", "valid_from"]
    list_filter = ["status"]
    list_select_related = ["procedure"]
    search_fields = ["procedure__name_search", "procedure__code"]
    inlines = [WorkflowStepInline]
    actions = ["activate"]
    readonly_fields = [
        "version",
        "status",
        "legal_amount",
        "legal_unit",
        "created_at",
        "activated_at",
        "retired_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [*self.readonly_fields, "procedure", "approved_ref", "valid_from"]
        if obj is not None:
            return [*self.readonly_fields, "procedure"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj: Workflow, form, change) -> None:
        if not change:  # a new workflow is always the next draft version
            procedure = obj.procedure
            obj.version = (procedure.workflows.aggregate(v=Max("version"))["v"] or 0) + 1
            obj.status = WorkflowStatus.DRAFT
            obj.legal_amount = procedure.processing_amount
            obj.legal_unit = procedure.processing_unit
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj: Workflow) -> None:
        services.delete_draft_workflow(obj, actor=request.user)

    def delete_queryset(self, request, queryset: QuerySet[Workflow]) -> None:
        for workflow in queryset:
            try:
                services.delete_draft_workflow(workflow, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), level=messages.ERROR)

    @admin.action(description="Kích hoạt")
    def activate(self, request: HttpRequest, queryset: QuerySet[Workflow]) -> None:
        for workflow in queryset:
            try:
                services.activate_workflow(workflow, actor=request.user)
            except ValidationError as exc:
                self.message_user(
                    request, f"{workflow}: {' '.join(exc.messages)}", level=messages.ERROR
                )
            else:
                self.message_user(request, f"Đã kích hoạt {workflow}.", level=messages.SUCCESS)
