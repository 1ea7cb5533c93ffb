"""Online submission: start a draft, fill it in and upload files, review, submit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.oidc import SESSION_VNEID
from motcua.dossiers.errors import DossierError
from motcua.dossiers.fieldforms import DeclarationForm
from motcua.dossiers.fields import display, specs_for
from motcua.portal import drafts
from motcua.portal.forms import ApplicantForm, UploadForm
from motcua.portal.models import Draft
from motcua.portal.views.common import is_htmx, procedure_by_ref


def _draft(request: HttpRequest, key: str) -> Draft:
    draft = drafts.get(request.user, key)
    if draft is None:
        raise Http404("Không tìm thấy bản nháp.")
    return draft


@login_required
@require_POST
def start(request: HttpRequest, ref: str) -> HttpResponse:
    procedure = procedure_by_ref(ref)
    try:
        draft = drafts.start(request.user, procedure)
    except DossierError as exc:
        messages.error(request, exc.message)
        return redirect("portal:procedure", ref=ref)
    return redirect("portal:draft", key=draft.key)


@login_required
def my_drafts(request: HttpRequest) -> HttpResponse:
    items = Draft.objects.filter(user=request.user).select_related("procedure")
    return render(request, "portal/drafts.html", {"drafts": items})


def _files_context(draft: Draft) -> dict:
    docs = list(draft.procedure.required_documents.order_by("order"))
    files = list(draft.files.all())
    for doc in docs:
        doc.draft_files = [f for f in files if f.required_document_id == doc.pk]
    return {
        "draft": draft,
        "docs": docs,
        "other_files": [f for f in files if not f.required_document_id],
    }


@login_required
def edit(request: HttpRequest, key: str) -> HttpResponse:
    """Step 1: applicant data and where to submit, with the uploads beside them."""
    draft = _draft(request, key)
    agencies = drafts.online_agencies(draft.procedure)
    initial = {**draft.data, "agency": draft.receiving_agency_id}
    form = ApplicantForm(request.POST or None, initial=initial, agencies=agencies)
    declaration = DeclarationForm(
        request.POST or None,
        specs=specs_for(draft.procedure_id),
        enforce=False,  # a draft may be saved incomplete; required ones are checked at review
        initial=drafts.field_values_of(draft),
    )
    if request.method == "POST" and form.is_valid() and declaration.is_valid():
        data = {k: str(v or "") for k, v in form.cleaned_data.items() if k != "agency"}
        data["birth_date"] = (
            form.cleaned_data["birth_date"].isoformat() if form.cleaned_data["birth_date"] else ""
        )
        errors = drafts.save_applicant(
            draft, data, form.cleaned_data["agency"], declaration.values()
        )
        declaration.add_engine_errors(errors)
        for field, message in errors.items():
            if not field.startswith("fields."):
                form.add_error(field if field in form.fields else None, message)
        if "review" in request.POST and not errors:
            return redirect("portal:draft_review", key=key)
        if not errors:
            messages.success(request, _("Đã lưu bản nháp. Bạn có thể quay lại hoàn thiện sau."))
            return redirect("portal:draft", key=key)
    return render(
        request,
        "portal/draft_edit.html",
        {
            "form": form,
            "declaration": declaration,
            "upload": UploadForm(),
            **_files_context(draft),
        },
    )


@login_required
@require_POST
def upload(request: HttpRequest, key: str) -> HttpResponse:
    """One file for one required document; HTMX gets the refreshed file list back."""
    draft = _draft(request, key)
    form = UploadForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        f = form.cleaned_data["file"]
        try:
            drafts.add_file(draft, document_id=form.cleaned_data["document"], upload=f, name=f.name)
        except DossierError as exc:
            error = exc.message
    else:
        error = _("Vui lòng chọn một tệp.")
    if is_htmx(request):
        context = {
            **_files_context(draft),
            "upload_error": error,
            "error_doc": request.POST.get("document"),
        }
        return render(request, "portal/_draft_files.html", context, status=200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Đã tải tệp lên."))
    return redirect("portal:draft", key=key)


@login_required
@require_POST
def remove_file(request: HttpRequest, key: str, file_id: int) -> HttpResponse:
    draft = _draft(request, key)
    if not drafts.remove_file(draft, file_id):
        raise Http404("Không tìm thấy tệp.")
    if is_htmx(request):
        return render(request, "portal/_draft_files.html", _files_context(draft))
    return redirect("portal:draft", key=key)


@login_required
@require_POST
def delete(request: HttpRequest, key: str) -> HttpResponse:
    drafts.discard(_draft(request, key))
    messages.success(request, _("Đã xóa bản nháp."))
    return redirect("portal:drafts")


@login_required
def review(request: HttpRequest, key: str) -> HttpResponse:
    """Step 2: everything at a glance, what is still missing, what to bring on paper."""
    draft = _draft(request, key)
    return render(
        request,
        "portal/draft_review.html",
        {
            "review": drafts.review(draft),
            "applicant": drafts.applicant_of(draft),
            "declared": display(specs_for(draft.procedure_id), drafts.field_values_of(draft)),
            **_files_context(draft),
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, key: str) -> HttpResponse:
    """Step 3: submit once (the draft key is the idempotency key)."""
    on_paper = {int(v) for v in request.POST.getlist("on_paper") if v.isdigit()}
    try:
        dossier = drafts.submit(
            by=request.user,
            key=key,
            on_paper=on_paper,
            vneid=bool(request.session.get(SESSION_VNEID)),  # signed in with VNeID
        )
    except DossierError as exc:
        messages.error(request, exc.message)
        if drafts.get(request.user, key) is None:
            raise Http404("Không tìm thấy bản nháp.") from None
        return redirect("portal:draft_review", key=key)
    messages.success(
        request,
        _("Đã nộp hồ sơ %(code)s. Cơ quan sẽ kiểm tra và tiếp nhận hồ sơ.")
        % {"code": dossier.code},
    )
    return redirect("portal:dossier", code=dossier.code)
