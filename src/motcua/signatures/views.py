"""The desk's "Ký số" action, the citizen's download of the electronic result, and the public
verification page (/xac-thuc/)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.ratelimit import Rate, allow, client_ip
from motcua.desk.access import dossier_or_404, officer_required
from motcua.dossiers.errors import ConflictError, DossierError, NotAllowed
from motcua.dossiers.models import IssuedForm
from motcua.dossiers.queries import own_dossiers
from motcua.signatures import formsigning, queries, services
from motcua.signatures.forms import SignForm, VerifyForm
from motcua.signatures.models import ElectronicResult, SignedForm
from motcua.signatures.verify import NotAPdf

VERIFY_RATE = Rate(30, 60)  # verifications per client address per minute (crypto is costly)


def _pdf(result: ElectronicResult) -> FileResponse:
    response = FileResponse(
        result.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"ket-qua-{result.code}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@officer_required
@require_POST
def sign(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request.user, code)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign_result(
                dossier.pk,
                by=request.user,
                secret=form.cleaned_data["secret"],
                with_seal=form.cleaned_data["with_seal"],
            )
        except DossierError as exc:
            messages.error(request, _("Chưa ký được: %(reason)s") % {"reason": exc.message})
        else:
            messages.success(request, _("Đã ký số kết quả giải quyết."))
    return redirect("desk:dossier", code=dossier.code)


@officer_required
@require_POST
def sign_form(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Sign an issued form. Another agency's dossier: 404 (dossier_or_404); not the form's
    signer: 403; already signed: 409 — each with the reason, never a 500."""
    dossier = dossier_or_404(request.user, code)
    issued = get_object_or_404(IssuedForm, pk=pk, dossier=dossier)
    form = SignForm(request.POST)
    if not form.is_valid():
        return redirect("desk:dossier", code=dossier.code)
    try:
        formsigning.sign_form(issued.pk, by=request.user, secret=form.cleaned_data["secret"])
    except (NotAllowed, ConflictError) as exc:
        status = 403 if isinstance(exc, NotAllowed) else 409
        context = {"status": status, "reason": exc.message, "code": dossier.code}
        return render(request, "signatures/sign_refused.html", context, status=status)
    except DossierError as exc:
        messages.error(request, _("Chưa ký được: %(reason)s") % {"reason": exc.message})
    else:
        messages.success(
            request,
            _("Đã ký số biểu mẫu %(form)s số %(number)s.")
            % {"form": issued.form, "number": issued.number},
        )
    return redirect("desk:dossier", code=dossier.code)


def signed_form_response(signed: SignedForm) -> FileResponse:
    issued = signed.form
    response = FileResponse(
        signed.file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"mau-{issued.form}-{issued.number.replace('/', '-')}-da-ky.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@officer_required
def desk_signed_form(request: HttpRequest, code: str, pk: int) -> FileResponse:
    dossier = dossier_or_404(request.user, code)
    signed = SignedForm.objects.filter(form__pk=pk, dossier=dossier).select_related("form")
    if not signed:
        raise Http404("Biểu mẫu chưa được ký số.")
    return signed_form_response(signed[0])


@officer_required
def desk_download(request: HttpRequest, code: str) -> FileResponse:
    dossier = dossier_or_404(request.user, code)
    result = ElectronicResult.objects.filter(dossier=dossier).first()
    if result is None:
        raise Http404("Không có kết quả điện tử.")
    return _pdf(result)


@login_required
def citizen_download(request: HttpRequest, code: str) -> FileResponse:
    """The citizen's own dossier only: anyone else's dossier does not exist for them."""
    dossier = own_dossiers(request.user).filter(code=code).first()
    result = ElectronicResult.objects.filter(dossier=dossier).first() if dossier else None
    if result is None:
        raise Http404("Không tìm thấy kết quả điện tử.")
    return _pdf(result)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    context: dict = {"form": form, "max_mb": settings.SIGN_VERIFY_MAX_BYTES // (1024 * 1024)}
    status = 200
    if request.method == "POST":
        error, report, status = check(request, form)
        context.update(error=error, report=report)
    return render(request, "signatures/verify.html", context, status=status)


def check(request: HttpRequest, form: VerifyForm):
    """(error message, report, HTTP status) for a verification request (page and API)."""
    usage = allow(f"verify:{client_ip(request)}", VERIFY_RATE)
    if usage is not None:
        return _("Bạn đã xác thực quá nhiều lần, vui lòng thử lại sau ít phút."), None, 429
    if not form.is_valid():
        return " ".join(form.errors.get("__all__", [])) or _("Dữ liệu không hợp lệ."), None, 400
    upload = form.cleaned_data.get("file")
    if upload is not None:
        if upload.size > settings.SIGN_VERIFY_MAX_BYTES:
            return (
                _("Tệp quá lớn: tối đa %(mb)s MB.")
                % {"mb": settings.SIGN_VERIFY_MAX_BYTES // (1024 * 1024)},
                None,
                413,
            )
        data = upload.read()
        try:
            return "", queries.verify_upload(data), 200
        except NotAPdf as exc:
            if str(exc) == "empty":
                return _("Tệp rỗng."), None, 400
            return _("Tệp không phải là tệp PDF."), None, 400
    report = queries.verify_code(form.cleaned_data["code"])
    if report is None:
        return _("Không tìm thấy kết quả với mã này."), None, 404
    return "", report, 200
