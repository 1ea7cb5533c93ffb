"""The operator page of the national-portal outbox: counts by state, the dossiers whose
sync is stuck, and a "send again" button. Province-wide figures: province administrators
(and superusers) only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import Membership, Role
from motcua.desk.access import officer_required
from motcua.dossiers.models import Dossier
from motcua.natsync import client, hooks, queries, services


def _operator(request: HttpRequest) -> bool:
    user = request.user
    return (
        user.is_superuser or Membership.objects.filter(user=user, role=Role.PROVINCE_ADMIN).exists()
    )


@officer_required
def status(request: HttpRequest) -> HttpResponse:
    if not _operator(request):
        return render(request, "desk/forbidden.html", status=403)
    context = {
        "counts": queries.counts(),
        "problems": list(queries.dossiers_with_problems()),
        "enabled": client.enabled(),
    }
    return render(request, "natsync/status.html", context)


@officer_required
@require_POST
def requeue(request: HttpRequest, code: str) -> HttpResponse:
    if not _operator(request):
        return render(request, "desk/forbidden.html", status=403)
    dossier = Dossier.objects.filter(code=code).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    n = services.requeue(dossier.pk)
    hooks.enqueue_delivery(dossier.pk, reason="requeue")
    messages.success(
        request,
        _("Đã đưa lại %(n)s mục của hồ sơ %(code)s vào hàng đợi đồng bộ.")
        % {"n": n, "code": dossier.code},
    )
    return redirect("natsync:status")
