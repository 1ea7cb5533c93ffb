"""The desk's fee lines: the procedure's schedule beside what was asked, online payments and
refunds due, and the audited correction or cancellation of an unpaid fee line."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.dossiers.errors import DossierError, NotAllowed
from motcua.dossiers.models import Dossier
from motcua.payments import fees as fee_services
from motcua.payments.models import Payment, Refund

from ..access import dossier_or_404, officer_required


class FeeAdjustForm(forms.Form):
    op = forms.ChoiceField(
        choices=[
            ("correct", gettext_lazy("Điều chỉnh")),
            ("cancel", gettext_lazy("Hủy khoản phí")),
        ]
    )
    fee_name = forms.CharField(label=gettext_lazy("Tên khoản thu"), required=False, max_length=255)
    amount_vnd = forms.IntegerField(
        label=gettext_lazy("Số tiền đúng (đồng)"), required=False, min_value=1
    )
    reason = forms.CharField(label=gettext_lazy("Lý do"), max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("op") == "correct" and not data.get("amount_vnd"):
            self.add_error("amount_vnd", _("Cần nhập số tiền đúng."))
        return data


def fee_context(user: User, dossier: Dossier) -> dict:
    """What the desk page shows about fees (added to the dossier page's context)."""
    return {
        "fee_schedule": fee_services.schedule_of(dossier.procedure_id),
        "can_adjust_fees": fee_services.may_adjust_fees(user, dossier),
        "payments": list(Payment.objects.filter(dossier=dossier).order_by("created_at", "pk")),
        "refunds": list(Refund.objects.filter(payment__dossier=dossier).select_related("payment")),
    }


@officer_required
@require_POST
def adjust(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    from .dossier import _page  # the dossier page renders the error in place

    dossier = dossier_or_404(request.user, code)
    if not dossier.fees.filter(pk=pk).exists():
        return _page(request, dossier, error=_("Không tìm thấy khoản phí."), status=404)
    form = FeeAdjustForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return _page(request, dossier, error=errors, status=400)
    c = form.cleaned_data
    try:
        if c["op"] == "cancel":
            fee_services.cancel_fee(pk, by=request.user, reason=c["reason"])
            messages.success(request, _("Đã hủy khoản phí."))
        else:
            fee_services.correct_fee(
                pk,
                by=request.user,
                amount_vnd=c["amount_vnd"],
                name=c["fee_name"] or None,
                reason=c["reason"],
            )
            messages.success(request, _("Đã điều chỉnh khoản phí."))
    except DossierError as exc:
        dossier.refresh_from_db()
        status = 403 if isinstance(exc, NotAllowed) else 400
        return _page(request, dossier, error=exc.message, status=status)
    return redirect("desk:dossier", code=dossier.code)
