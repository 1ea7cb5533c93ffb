"""Read-only admin views of dossiers and their audit trail (changes go through services)."""

from django import forms
from django.contrib import admin

from motcua.dossiers.formtexts import correct_form_text
from motcua.dossiers.legalforms import wording
from motcua.dossiers.models import AuditEvent, Dossier, DossierStep, FormText, IssuedForm, Pause


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = (
        "order",
        "name",
        "role",
        "agency",
        "due_at",
        "started_at",
        "finished_at",
        "handled_by",
    )


class PauseInline(ReadOnlyInline):
    model = Pause
    fields = ("started_at", "ended_at", "reason")


class FormInline(ReadOnlyInline):
    model = IssuedForm
    fields = ("form", "number", "issued_at", "template_version")


class EventInline(ReadOnlyInline):
    model = AuditEvent
    fields = (
        "at",
        "action",
        "from_state",
        "to_state",
        "national_status",
        "actor",
        "actor_role",
        "reason",
    )


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "procedure",
        "applicant_name",
        "state",
        "channel",
        "received_at",
        "effective_due_at",
        "receiving_agency",
    )
    list_filter = ("state", "channel", "receiving_agency__level")
    search_fields = ("code", "applicant_name_search", "applicant_id_number")
    date_hierarchy = "submitted_at"
    list_select_related = ("procedure", "receiving_agency")
    inlines = [StepInline, PauseInline, FormInline, EventInline]

    def get_queryset(self, request):
        # staff see only dossiers in their scope, like everywhere else
        from motcua.dossiers.queries import visible_dossiers

        return visible_dossiers(request.user).select_related("procedure", "receiving_agency")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "dossier",
        "action",
        "from_state",
        "to_state",
        "national_status",
        "actor",
        "actor_role",
        "agency",
    )
    list_filter = ("action", "to_state")
    search_fields = ("dossier__code",)
    list_select_related = ("dossier", "actor", "agency")
    date_hierarchy = "at"

    def get_queryset(self, request):
        from motcua.dossiers.queries import visible_dossiers

        return super().get_queryset(request).filter(dossier__in=visible_dossiers(request.user))


class FormTextAdminForm(forms.ModelForm):
    """The admin enters a text; the service checks it and stores a new version."""

    form = forms.ChoiceField(label="Mẫu số", choices=[(f, f"Mẫu {f}") for f in wording.DEFAULTS])
    key = forms.ChoiceField(
        label="Đoạn văn",
        choices=sorted({(k, k) for texts in wording.DEFAULTS.values() for k in texts}),
        help_text="Tên đoạn văn của mẫu (xem docs/legal-forms.md).",
    )

    class Meta:
        model = FormText
        fields = ("form", "key", "text", "note")

    def clean(self):
        data = super().clean()
        if data.get("form") and data.get("key") and data.get("text"):
            try:
                wording.check_text(data["form"], data["key"], data["text"])
            except ValueError as exc:
                raise forms.ValidationError({"text": str(exc)}) from None
        return data


@admin.register(FormText)
class FormTextAdmin(admin.ModelAdmin):
    """Each save is a new version (through the service); versions are never edited."""

    form = FormTextAdminForm
    list_display = ("form", "key", "version", "text", "created_at", "created_by")
    list_filter = ("form",)

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        saved = correct_form_text(
            form=obj.form, key=obj.key, text=obj.text, note=obj.note, by=request.user
        )
        obj.pk, obj.version = saved.pk, saved.version
