"""My dossiers: list, detail, downloads, supplement, withdraw, rate. Every lookup goes
through ``own_dossiers`` and the public dossier code, so another citizen's code is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.links import row_link
from motcua.dossiers import exchanges, services
from motcua.dossiers.attachments import attach
from motcua.dossiers.errors import DossierError
from motcua.dossiers.fields import display, specs_for
from motcua.dossiers.legalforms import render_pdf
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import own_dossiers
from motcua.dossiers.rules import State
from motcua.dossiers.uploads import attachment_response
from motcua.notifications import queries as notify_queries
from motcua.payments.queries import payments_context
from motcua.portal import citizen
from motcua.portal.forms import RatingForm, SupplementForm, WithdrawForm
from motcua.ratings.services import rate_dossier


def _own(request: HttpRequest, code: str) -> Dossier:
    dossier = (
        own_dossiers(request.user)
        .select_related("procedure", "receiving_agency", "deciding_agency")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


# what portal/my_dossiers.html prints of each row
MY_ROW_FIELDS = (
    "code",
    "state",
    "submitted_at",
    "effective_due_at",
    "procedure__name_vi",
    "procedure__name_en",
)


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    qs = own_dossiers(request.user).select_related("procedure").only(*MY_ROW_FIELDS)
    state = request.GET.get("state", "")
    if state in State.__members__.values():
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-submitted_at", "-pk"), 20).get_page(request.GET.get("page"))
    link = row_link("portal:dossier", "code")
    for d in page:
        d.url = link(d.code)
    return render(
        request, "portal/my_dossiers.html", {"page": page, "state": state, "states": list(State)}
    )


def _detail(
    request: HttpRequest, dossier: Dossier, status: int = 200, error: str = "", **forms
) -> HttpResponse:
    view = citizen.view_of(dossier)
    context = {
        "error": error,
        "v": view,
        "d": dossier,
        "attachments": dossier.attachments.order_by("uploaded_at", "pk"),
        "fees": dossier.fees.order_by("pk"),
        **payments_context(dossier),
        "rating": getattr(dossier, "rating", None) if dossier.state == State.RETURNED else None,
        "supplement_form": forms.get("supplement_form") or SupplementForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "declared": display(
            specs_for(dossier.procedure_id),
            dossier.field_values,
            english=(get_language() or "vi").startswith("en"),
        ),
        "rounds": exchanges.rounds(dossier),
        "notifications": list(notify_queries.for_dossier(dossier, for_citizen=True)),
    }
    return render(request, "portal/dossier.html", context, status=status)


@login_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _detail(request, _own(request, code))


@login_required
def form_pdf(request: HttpRequest, code: str, form: str, n: int) -> HttpResponse:
    from motcua.signatures.models import SignedForm
    from motcua.signatures.views import signed_form_response

    dossier = _own(request, code)
    issued = citizen.issued_form(dossier, form, n)
    if issued is None:
        raise Http404("Không tìm thấy biểu mẫu.")
    signed = SignedForm.objects.filter(form=issued).select_related("form").first()
    if signed is not None:  # once signed, the signed copy is the form the citizen holds
        return signed_form_response(signed)
    response = HttpResponse(render_pdf(issued.snapshot), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-{form}-{n}.pdf"'
    return response


@login_required
def attachment(request: HttpRequest, code: str, digest: str) -> FileResponse:
    dossier = _own(request, code)
    item = dossier.attachments.filter(sha256__startswith=digest[:16]).first() if digest else None
    if item is None or len(digest) < 16:
        raise Http404("Không tìm thấy tệp.")
    return attachment_response(
        item.file.open("rb"), content_type=item.content_type, name=item.original_name
    )


@login_required
@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Upload what was asked for; the dossier goes back to processing (the clock resumes)."""
    dossier = _own(request, code)
    form = SupplementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, dossier, status=400, supplement_form=form)
    files = form.cleaned_data["files"]
    try:
        with transaction.atomic():  # the files and the state change succeed or fail together
            for f in files:
                attach(dossier.pk, by=request.user, upload=f, name=f.name, purpose="supplement")
            docs = [services.DocumentInput(name=f.name[:500], digitised=True) for f in files]
            act = (
                services.complete
                if dossier.state == State.COMPLETION_REQUESTED
                else services.supplement
            )
            act(
                dossier.pk,
                by=request.user,
                documents=docs,
                note=form.cleaned_data["note"],
                expected_version=dossier.version,
            )
    except DossierError as exc:
        form.add_error("files" if "file" in exc.fields else None, exc.message)
        return _detail(request, dossier, 400, exc.message, supplement_form=form)
    messages.success(request, _("Đã gửi hồ sơ bổ sung."))
    return redirect("portal:dossier", code=code)


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _detail(request, dossier, status=400, withdraw_form=form)
    try:
        services.withdraw(
            dossier.pk,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=dossier.version,
        )
    except DossierError as exc:
        form.add_error(None, exc.message)
        return _detail(request, dossier, 400, exc.message, withdraw_form=form)
    messages.success(request, _("Đã rút hồ sơ."))
    return redirect("portal:dossier", code=code)


@login_required
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _own(request, code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _detail(request, dossier, status=400, rating_form=form)
    try:
        rate_dossier(
            dossier.pk,
            by=request.user,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
        )
    except DossierError as exc:
        form.add_error(None, exc.message)
        return _detail(request, dossier, 400, exc.message, rating_form=form)
    messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect("portal:dossier", code=code)
