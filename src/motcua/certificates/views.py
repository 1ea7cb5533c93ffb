"""Certificate register pages of the officer desk (under /desk/certificates/). Thin: forms →
services, queries → templates. Out-of-scope certificates do not exist for an officer (404);
an action they may not take is a 403 page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.agencies.models import Agency
from motcua.certificates import excel, forms, permissions, queries, services
from motcua.certificates.rules import MAX_CERT_BYTES, CertificateError, Status, effective_status
from motcua.desk.access import officer_required

WARN_DAYS = 30  # the list highlights certificates expiring within this many days
PAGE = 50


def _fail(form, exc: CertificateError) -> None:
    placed = False
    for name in exc.fields:
        if name in form.fields:
            form.add_error(name, exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
    for problem in getattr(exc, "problems", ()):
        form.add_error(None, str(problem))


def _filtered(request: HttpRequest, today: dt.date):
    form = forms.FilterForm(request.GET or None)
    rows = queries.visible(request.user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            q = d["q"].strip()
            rows = rows.filter(
                Q(holder_name__icontains=q)
                | Q(serial__icontains=q.lower().replace(" ", ""))
                | Q(token_serial__icontains=q)
            )
        if d["kind"]:
            rows = rows.filter(kind=d["kind"])
        if d["status"]:
            rows = rows.filter(queries.effectively(d["status"], today))
        if d["agency"]:
            agency = Agency.objects.filter(code=d["agency"].strip()).first()
            rows = queries.in_subtree(rows, agency) if agency else rows.none()
        if d["within"] is not None:
            rows = queries.expiring(d["within"], today=today, certificates=rows)
        if d["active_at"]:
            rows = rows.filter(queries.active_on(d["active_at"]))
        if d["issued_by"]:
            rows = rows.filter(valid_from__lte=d["issued_by"])
        if d["token"]:
            rows = rows.exclude(token_serial="")
    elif form.is_bound:
        rows = rows.none()
    return form, rows


@officer_required
def register(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, rows = _filtered(request, today)
    page = Paginator(rows.order_by("valid_to", "pk"), PAGE).get_page(request.GET.get("page"))
    warn_until = today + dt.timedelta(days=WARN_DAYS)
    items = [
        {
            "c": c,
            "status": effective_status(c.status, c.valid_to, today),
            "expiring": c.status == Status.ACTIVE and today <= c.valid_to <= warn_until,
        }
        for c in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/list.html",
        {
            "form": form,
            "items": items,
            "page": page,
            "query": query.urlencode(),
            "total": page.paginator.count,
            "expiring_count": queries.expiring(
                WARN_DAYS, today=today, certificates=queries.visible(request.user)
            ).count(),
            "warn_days": WARN_DAYS,
            "office": permissions.is_register_office(request.user),
            "status_labels": dict(Status.choices),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@officer_required
def export(request: HttpRequest) -> HttpResponse:
    _form, rows = _filtered(request, timezone.localdate())
    response = HttpResponse(
        excel.export(rows.order_by("agency__path", "kind", "holder_name", "pk")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="chung-thu-so.xlsx"'
    return response


@officer_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    if not permissions.is_register_office(request.user):
        return render(request, "desk/forbidden.html", status=403)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = excel.import_bytes(
                d["file"].read(settings.MOTCUA_MAX_UPLOAD_BYTES + 1),
                by=request.user,
                issuer=d["issuer"],
                dry_run=d["dry_run"],
            )
        except CertificateError as exc:
            _fail(form, exc)
        else:
            if not result.dry_run:
                messages.success(
                    request,
                    _("Đã nhập %(r)d dòng: %(c)d mới, %(u)d cập nhật, %(n)d không đổi.")
                    % {"r": result.rows, "c": result.created, "u": result.updated,
                       "n": result.unchanged},
                )  # fmt: skip
                return redirect("certificates:list")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request, "certificates/import.html", {"form": form, "result": result}, status=status
    )


@officer_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    cert = queries.visible(request.user).filter(pk=pk).first()
    if cert is None:
        raise Http404(_("Không tìm thấy chứng thư số."))
    manager = permissions.can_manage(request.user, cert)
    revoke_form, return_form = forms.RevokeForm(prefix="r"), forms.ReturnForm(prefix="t")
    file_form = forms.FileForm(prefix="f")
    status = 200
    if request.method == "POST":
        if not manager:
            return render(request, "desk/forbidden.html", status=403)
        action = request.POST.get("action")
        try:
            if action == "revoke":
                revoke_form = forms.RevokeForm(request.POST, prefix="r")
                if revoke_form.is_valid():
                    d = revoke_form.cleaned_data
                    services.revoke(request.user, cert.pk, on=d["on"], reason=d["reason"])
                    messages.success(request, _("Đã ghi nhận thu hồi chứng thư số."))
                    return redirect("certificates:detail", pk=cert.pk)
            elif action == "return":
                return_form = forms.ReturnForm(request.POST, prefix="t")
                if return_form.is_valid():
                    d = return_form.cleaned_data
                    services.mark_returned(request.user, cert.pk, on=d["on"], note=d["note"])
                    messages.success(request, _("Đã ghi nhận nộp lại chứng thư số."))
                    return redirect("certificates:detail", pk=cert.pk)
            elif action == "file":
                file_form = forms.FileForm(request.POST, request.FILES, prefix="f")
                if file_form.is_valid():
                    data = file_form.cleaned_data["file"].read(MAX_CERT_BYTES + 1)
                    services.attach_file(request.user, cert.pk, data)
                    messages.success(request, _("Đã lưu tệp chứng thư."))
                    return redirect("certificates:detail", pk=cert.pk)
        except CertificateError as exc:
            form = {"revoke": revoke_form, "return": return_form}.get(action, file_form)
            _fail(form, exc)
        status = 400
    today = timezone.localdate()
    return render(
        request,
        "certificates/detail.html",
        {
            "c": cert,
            "status": effective_status(cert.status, cert.valid_to, today),
            "status_labels": dict(Status.choices),
            "history": queries.history(cert)[:200],
            "manager": manager,
            "final": cert.status in (Status.REVOKED, Status.RETURNED),
            "revoke_form": revoke_form,
            "return_form": return_form,
            "file_form": file_form,
        },
        status=status,
    )
