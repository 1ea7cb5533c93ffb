"""Read-only admin lists of online payments and refunds due (changes go through services;
the desk dossier page shows both to the officers of the dossier's agency)."""

from django.contrib import admin

from motcua.dossiers.admin import ReadOnlyAdmin
from motcua.payments.models import Payment, Refund


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("ref", "dossier", "amount_vnd", "status", "provider", "created_at")
    list_filter = ("status", "provider")
    search_fields = ("ref", "dossier__code", "provider_txn")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("payment", "amount_vnd", "provider_txn", "created_at", "refunded_at")
    list_filter = ("refunded_at",)
    search_fields = ("payment__ref", "payment__dossier__code", "provider_txn")
