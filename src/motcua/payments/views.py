"""Payment pages: start (citizen), the sandbox gateway, the browser return and the IPN."""

from __future__ import annotations

import contextlib
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import ratelimit
from motcua.dossiers.errors import DossierError, NotAllowed
from motcua.payments import services
from motcua.payments.models import Payment
from motcua.payments.providers import (
    InvalidSignature,
    PaymentsDisabled,
    SandboxProvider,
    configured_name,
)

DISABLED_MESSAGE = gettext_noop(
    "Thanh toán trực tuyến chưa được cấu hình tại đơn vị này. Vui lòng nộp phí, lệ phí tại "
    "Bộ phận tiếp nhận và trả kết quả."
)


@login_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    return_url = request.build_absolute_uri(reverse("payments:return"))
    try:
        _payment, url = services.start_payment(
            code, by=request.user, return_url=return_url, client_ip=ratelimit.client_ip(request)
        )
    except NotAllowed:
        raise Http404("Không tìm thấy hồ sơ.") from None
    except PaymentsDisabled:
        messages.error(request, _(DISABLED_MESSAGE))
        return redirect("portal:dossier", code=code)
    except DossierError as exc:
        messages.error(request, exc.message)
        return redirect("portal:dossier", code=code)
    return redirect(url)


@require_http_methods(["GET", "POST"])
def sandbox(request: HttpRequest) -> HttpResponse:
    """The stand-in gateway: checks the merchant's signature, asks "pay or cancel", then
    notifies the merchant (IPN) and sends the citizen back with a signed answer. It exists only
    where the sandbox is the configured provider (never beside a real gateway)."""
    if configured_name() != SandboxProvider.name:
        raise Http404("Không có cổng thanh toán thử nghiệm.")
    provider = SandboxProvider()
    params = request.GET.dict() if request.method == "GET" else request.POST.dict()
    decision = params.pop("decision", "")
    try:
        provider.check_request(params)
        amount = int(params["vnp_Amount"]) // 100
    except (InvalidSignature, KeyError, ValueError):
        return HttpResponseBadRequest("Yêu cầu thanh toán không hợp lệ (sai chữ ký).")
    if request.method == "GET":
        return render(request, "payments/sandbox.html", {"params": params, "amount": amount})
    answer = provider.gateway_answer(
        params, pay=decision == "pay", txn=str(secrets.randbelow(10**8)).zfill(8)
    )
    # the IPN a real gateway sends server to server; the return page reports any problem
    with contextlib.suppress(services.UnknownPayment, services.AmountMismatch, services.RefundDue):
        services.handle_callback(answer, provider=provider)
    return redirect(f"{params['vnp_ReturnUrl']}?{urlencode(answer)}")


def payment_return(request: HttpRequest) -> HttpResponse:
    """Where the gateway sends the citizen back; verifies and applies (idempotently)."""
    try:
        payment, _changed = services.handle_callback(request.GET.dict())
    except (InvalidSignature, PaymentsDisabled):
        return render(request, "payments/result.html", {"error": "signature"}, status=400)
    except (services.UnknownPayment, services.AmountMismatch):
        return render(request, "payments/result.html", {"error": "unknown"}, status=400)
    except services.RefundDue as due:
        payment = due.refund.payment
        owner = request.user.is_authenticated and payment.user_id == request.user.pk
        return render(
            request, "payments/result.html", {"payment": payment, "refund": True, "owner": owner}
        )
    owner = request.user.is_authenticated and payment.user_id == request.user.pk
    return render(
        request,
        "payments/result.html",
        {"payment": payment, "paid": payment.status == Payment.Status.PAID, "owner": owner},
    )


def ipn(request: HttpRequest) -> JsonResponse:
    """Server-to-server notification, answered with VNPay's codes."""
    try:
        _, changed = services.handle_callback(request.GET.dict())
    except (InvalidSignature, PaymentsDisabled):
        return JsonResponse({"RspCode": "97", "Message": "Invalid signature"})
    except services.RefundDue:  # refused; recorded for an officer to refund
        return JsonResponse({"RspCode": "02", "Message": "Order already confirmed"})
    except services.UnknownPayment:
        return JsonResponse({"RspCode": "01", "Message": "Order not found"})
    except services.AmountMismatch:
        return JsonResponse({"RspCode": "04", "Message": "Invalid amount"})
    if not changed:
        return JsonResponse({"RspCode": "02", "Message": "Order already confirmed"})
    return JsonResponse({"RspCode": "00", "Message": "Confirm Success"})
