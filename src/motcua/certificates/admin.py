"""Admin: which agencies keep the register (configuration); certificates read-only (they
change only through the services, which audit every change)."""

from django.contrib import admin

from motcua.certificates.models import Certificate, CertificateOffice


@admin.register(CertificateOffice)
class CertificateOfficeAdmin(admin.ModelAdmin):
    list_display = ("agency",)
    autocomplete_fields = ("agency",)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("holder_name", "kind", "agency", "serial", "issuer", "valid_to", "status")
    list_filter = ("kind", "status", "device")
    search_fields = ("holder_name", "serial", "token_serial")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
