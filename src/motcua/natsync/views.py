"""The operator page of the national-portal outbox: counts by state, the dossiers whose
sync is stuck, and a "send again" button. Province-wide figures: province administrators
(and superusers) only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.models import Membership, Role
from motcua.desk.access import officer_required
from motcua.dossiers.models import Dossier
from motcua.natsync import catalog_pull, client, hooks, queries, services


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


FIELD_LABELS = {
    "name_vi": gettext_lazy("Tên thủ tục"),
    "field_vi": gettext_lazy("Lĩnh vực"),
    "levels": gettext_lazy("Cấp thực hiện"),
    "processing_amount": gettext_lazy("Thời hạn giải quyết (ngày)"),
    "legal_basis": gettext_lazy("Căn cứ pháp lý"),
    "result_type": gettext_lazy("Kết quả thực hiện"),
}


@officer_required
def catalog(request: HttpRequest) -> HttpResponse:
    """The latest pull from the national catalog and its diff, to review before applying."""
    if not _operator(request):
        return render(request, "desk/forbidden.html", status=403)
    pull = catalog_pull.get(None)
    rows = []
    for d in pull.diff if pull else []:
        changes = [
            {"label": FIELD_LABELS.get(k, k), "before": d["before"][k], "after": d["after"][k]}
            for k in d.get("fields", [])
        ]
        rows.append({**d, "changes": changes})
    context = {"pull": pull, "rows": rows, "enabled": client.enabled()}
    return render(request, "natsync/catalog.html", context)


@officer_required
@require_POST
def catalog_action(request: HttpRequest, action: str) -> HttpResponse:
    if not _operator(request):
        return render(request, "desk/forbidden.html", status=403)
    try:
        if action == "pull":
            pull = catalog_pull.pull(by=request.user)
            messages.success(
                request, _("Đã lấy danh mục TTHC: %(n)s thay đổi.") % {"n": len(pull.diff)}
            )
        else:
            pull = catalog_pull.get(int(request.POST.get("pull") or 0))
            if pull is None:
                raise Http404("Không có đợt lấy TTHC này.")
            if action == "apply":
                n = catalog_pull.apply(pull, by=request.user)
                messages.success(request, _("Đã áp dụng %(n)s thủ tục.") % {"n": n})
            elif action == "discard":
                catalog_pull.discard(pull, by=request.user)
                messages.success(request, _("Đã hủy đợt lấy TTHC."))
            else:
                raise Http404("Không có thao tác này.")
    except client.PortalError as exc:
        messages.error(request, _("Không lấy được danh mục TTHC: %(e)s") % {"e": exc.message})
    except catalog_pull.PullError as exc:
        messages.error(request, exc.message)
    return redirect("natsync:catalog")
