"""The dossier page: data, files, forms, timeline and exactly the actions this user may take."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from motcua.dossiers import exchanges
from motcua.dossiers import services as S
from motcua.dossiers.attachments import attach, attachment_response
from motcua.dossiers.errors import ConflictError, DossierError, InvalidInput, NotAllowed
from motcua.dossiers.fields import display, specs_for
from motcua.dossiers.legalforms import FORM_TITLES, render_html, render_pdf
from motcua.dossiers.models import Attachment, Dossier, IssuedForm
from motcua.dossiers.permissions import acting_role
from motcua.dossiers.queries import timeline, with_deadline_status
from motcua.dossiers.rules import Action, IllegalTransition
from motcua.natsync.queries import sync_panel
from motcua.notifications import queries as notify_queries

from .. import labels
from ..access import dossier_or_404, officer_required
from ..actions import ACTIONS, available_actions, error_field
from ..forms import UploadForm
from .fees import fee_context

STATUS_FOR = {ConflictError: 409, IllegalTransition: 409, NotAllowed: 403}


def _action_form(action: Action, dossier: Dossier, data=None) -> forms.Form:
    form = ACTIONS[action].form(
        data, initial={"expected_version": dossier.version}, auto_id=f"id_{action.value}_%s"
    )
    if hasattr(form, "for_agency"):  # Forms 04/05: the deciding agency's signers only
        form.for_agency(dossier.deciding_agency_id)
    return form


def _page(
    request: HttpRequest,
    dossier: Dossier,
    *,
    failed: tuple[Action, forms.Form] | None = None,
    upload: UploadForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    deadline = (
        with_deadline_status(Dossier.objects.filter(pk=dossier.pk))
        .values_list("deadline_status", flat=True)
        .get()
    )
    documents = list(dossier.documents.order_by("pk"))
    actions = []
    for action in available_actions(user, dossier):
        form = failed[1] if failed and failed[0] == action else _action_form(action, dossier)
        actions.append(
            {
                "action": action.value,
                "label": labels.action_label(action),
                "form": form,
                "danger": ACTIONS[action].danger,
                "open": bool(failed and failed[0] == action),
            }
        )
    events = list(timeline(dossier, for_citizen=False))
    for e in events:
        e.action_text = labels.event_label(e.action)
        if e.action == Action.SUBMIT and e.data.get("channel"):  # desk intake is not "online"
            e.action_text = labels.channel_label(e.data["channel"])
        e.state_text = labels.state_label(e.to_state) if e.to_state else ""
    issued = list(dossier.forms.order_by("issued_at", "pk"))
    for f in issued:
        f.title = FORM_TITLES.get(f.form, "")
    context = {
        "sync": sync_panel(dossier),  # national portal outbox (natsync)
        "d": dossier,
        "state_text": labels.state_label(dossier.state),
        "channel_text": labels.channel_label(dossier.channel),
        "deadline": deadline,
        "deadline_text": labels.deadline_label(deadline),
        "documents": documents,
        "attachments": list(dossier.attachments.order_by("pk")),
        "steps": list(dossier.steps.select_related("agency", "handled_by").order_by("order")),
        "fees": list(dossier.fees.order_by("pk")),
        "issued": issued,
        "events": events,
        "notifications": list(notify_queries.for_dossier(dossier, for_citizen=False)),
        "actions": actions,
        "upload": upload or UploadForm(documents=documents, auto_id="id_upload_%s"),
        "error": error,
        "can_slip": dossier.received_at is not None,
        **fee_context(user, dossier),
        "declared": display(
            specs_for(dossier.procedure_id),
            dossier.field_values,
            english=(get_language() or "vi").startswith("en"),
        ),
        "rounds": exchanges.rounds(dossier),
    }
    return render(request, "desk/dossier.html", context, status=status)


@officer_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, dossier_or_404(request.user, code))


@officer_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = dossier_or_404(request.user, code)
    try:
        action_enum = Action(action)
    except ValueError:
        raise Http404("Không có thao tác này.") from None
    spec = ACTIONS.get(action_enum)
    if spec is None:
        raise Http404("Không có thao tác này.")
    if acting_role(request.user, dossier, action_enum) is None:
        msg = _("Bạn không có quyền “%(action)s” đối với hồ sơ %(code)s.") % {
            "action": labels.action_label(action_enum),
            "code": dossier.code,
        }
        return _page(request, dossier, error=msg, status=403)
    form = _action_form(action_enum, dossier, request.POST)
    if not form.is_valid():
        return _page(
            request,
            dossier,
            failed=(action_enum, form),
            error=_("Vui lòng kiểm tra các trường được đánh dấu."),
            status=400,
        )
    try:
        spec.call(dossier, form.cleaned_data, request.user, form.cleaned_data["expected_version"])
    except DossierError as exc:
        form.add_error(error_field(form, exc.fields), exc.message)
        dossier.refresh_from_db()
        status = next((s for cls, s in STATUS_FOR.items() if isinstance(exc, cls)), 400)
        return _page(request, dossier, failed=(action_enum, form), error=exc.message, status=status)
    messages.success(
        request,
        _("Đã thực hiện: %(action)s.") % {"action": labels.action_label(action_enum)},
    )
    return redirect("desk:dossier", code=dossier.code)


@officer_required
@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request.user, code)
    documents = list(dossier.documents.order_by("pk"))
    form = UploadForm(request.POST, request.FILES, documents=documents, auto_id="id_upload_%s")
    if form.is_valid():
        f = form.cleaned_data["file"]
        try:
            attach(
                dossier.pk,
                by=request.user,
                upload=f,
                name=f.name,
                document_id=form.cleaned_data["document"],
                purpose=form.cleaned_data["purpose"],
            )
        except (InvalidInput, NotAllowed) as exc:
            form.add_error("document" if "document" in exc.fields else "file", exc.message)
        else:
            messages.success(request, _("Đã tải tệp lên: %(name)s.") % {"name": f.name})
            return redirect("desk:dossier", code=dossier.code)
    return _page(request, dossier, upload=form, error=_("Chưa tải được tệp lên."), status=400)


@officer_required
@require_GET
@xframe_options_sameorigin
def attachment(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """Files are served only through here (never from MEDIA_URL), to users who see the dossier."""
    dossier = dossier_or_404(request.user, code)
    att = get_object_or_404(Attachment, pk=pk, dossier=dossier)
    return attachment_response(
        att.file.open("rb"), content_type=att.content_type, name=att.original_name
    )


def _issued(request: HttpRequest, code: str, pk: int) -> IssuedForm:
    dossier = dossier_or_404(request.user, code)
    return get_object_or_404(IssuedForm, pk=pk, dossier=dossier)


def form_response(form: IssuedForm, fmt: str) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(render_pdf(form.snapshot), content_type="application/pdf")
        name = f"mau-{form.form}-{form.number.replace('/', '-')}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
    else:
        # the page links the bundled fonts as static files, never by server paths
        response = HttpResponse(
            render_html(form.snapshot, font_url=lambda name: static(f"motcua/fonts/{name}"))
        )
    response["Cache-Control"] = "private, no-store"
    return response


@officer_required
@require_GET
@xframe_options_sameorigin
def issued_form(request: HttpRequest, code: str, pk: int, fmt: str = "html") -> HttpResponse:
    return form_response(_issued(request, code, pk), fmt)


@officer_required
@require_POST
def control_slip(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request.user, code)
    try:
        form = S.issue_control_slip(dossier.pk, by=request.user)
    except DossierError as exc:
        return _page(request, dossier, error=exc.message, status=400)
    return redirect("desk:form", code=dossier.code, pk=form.pk)
