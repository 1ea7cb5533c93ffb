"""Admin: the signing keys (Chữ ký số → Khóa ký số, docs/signatures.md "Key stores").

A key is configuration, not a record of what was signed: it is added and edited here (Django's
admin history keeps who changed what), never deleted — a key that signed documents stays so
that the history can name it; ``active`` off retires it. The link to the certificate register is
set by the signing code itself (``signatures.register.check_key``), so it is read-only here.
"""

from django.contrib import admin

from motcua.signatures.models import SigningKey


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "purpose",
        "agency",
        "user",
        "position",
        "active",
        "certificate",
    )
    list_filter = ("kind", "purpose", "active")
    search_fields = ("name", "position", "agency__name_vi", "user__username", "user__full_name")
    autocomplete_fields = ("agency", "user")
    readonly_fields = ("certificate", "created_at")
    fields = (
        *("name", "kind", "purpose", "agency", "user", "position", "location", "key_label"),
        *("certificate_chain", "certificate", "active", "created_at"),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
