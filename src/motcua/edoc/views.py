"""Desk pages of the document registers (under /desk/van-ban/). Thin: forms → services,
queries → templates; a service's refusal becomes a Vietnamese message beside its field."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.desk.access import officer_required
from motcua.dossiers.uploads import attachment_response
from motcua.edoc import forms, queries, services
from motcua.edoc.models import Document
from motcua.edoc.rules import (
    Direction,
    DocStatus,
    EdocError,
    may_assign,
    next_statuses,
    status_label,
)

IN_STATUSES = [s for s in DocStatus if s != DocStatus.ISSUED]
PAGE_SIZE = 50


def _fail(form, exc: EdocError) -> None:
    placed = False
    for name in exc.fields:
        if name in form.fields:
            form.add_error(name, exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _document_or_404(request: HttpRequest, pk: int) -> Document:
    doc = (
        queries.visible_documents(request.user)
        .select_related("agency", "assignee", "dossier", "related")
        .filter(pk=pk)
        .first()
    )
    if doc is None:
        raise Http404(_("Không tìm thấy văn bản."))
    return doc


@officer_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("edoc:incoming")


def _register(request: HttpRequest, direction: str) -> HttpResponse:
    statuses = IN_STATUSES if direction == Direction.IN else [DocStatus.ISSUED]
    form = forms.FilterForm(request.GET or None, statuses=statuses)
    filters = form.cleaned_data if form.is_valid() else {}
    docs = queries.register(request.user, direction, filters)
    page = Paginator(docs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "edoc/register.html",
        {
            "direction": direction,
            "incoming": direction == Direction.IN,
            "form": form,
            "page": page,
            "can_compose": queries.own_agencies(request.user).exists(),
        },
    )


@officer_required
def incoming(request: HttpRequest) -> HttpResponse:
    return _register(request, Direction.IN)


@officer_required
def outgoing(request: HttpRequest) -> HttpResponse:
    return _register(request, Direction.OUT)


def _uploads(request: HttpRequest) -> list[tuple[str, bytes]]:
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    return [(f.name, f.read(limit + 1)) for f in request.FILES.getlist("files")]


@officer_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    agencies = list(queries.own_agencies(request.user))
    if not agencies:
        raise Http404(_("Bạn không thuộc cơ quan nào có sổ văn bản đi."))
    form = forms.ComposeForm(
        request.POST or None,
        agencies=agencies,
        destinations=queries.destinations(),
        initial={
            "promulgation_date": timezone.localdate(),
            "priority": 0,
            "signer_name": request.user.display_name()[:50],
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        agency = next(a for a in agencies if a.pk == d["agency"])
        try:
            doc = services.compose_outgoing(
                by=request.user,
                agency=agency,
                data=services.OutgoingInput(
                    recipients=d["recipients"],
                    code_notation=d["code_notation"],
                    subject=d["subject"],
                    content=d["content"],
                    signer_name=d["signer_name"],
                    signer_position=d["signer_position"],
                    signer_competence=d["signer_competence"],
                    promulgation_date=d["promulgation_date"],
                    type_name=d["type_name"],
                    priority=d["priority"],
                    due_date=d["due_date"],
                    files=_uploads(request),
                ),
            )
        except EdocError as exc:
            _fail(form, exc)
        else:
            messages.success(
                request,
                _("Đã vào sổ văn bản đi số %(number)s và gửi đi.") % {"number": doc.code},
            )
            return redirect("edoc:detail", pk=doc.pk)
    return render(request, "edoc/compose.html", {"form": form})


def _context(doc: Document) -> dict:
    context = {"doc": doc, "incoming": doc.direction == Direction.IN}
    if doc.direction == Direction.IN:
        allowed = next_statuses(doc.status, doc.business_type)
        context["status_form"] = forms.StatusForm(allowed=allowed) if allowed else None
        context["assign_form"] = (
            forms.AssignForm(officers=queries.officers_of(doc.agency))
            if may_assign(doc.status)
            else None
        )
    else:
        context["recipients"] = [
            (r, status_label(r.status_code) if r.status_code else "") for r in doc.recipients.all()
        ]
        context["business_form"] = forms.BusinessForm() if doc.business_type == 0 else None
    context["events"] = [(e, status_label(e.code)) for e in doc.events.select_related("by")]
    context["followups"] = doc.followups.all()
    return context


@officer_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "edoc/detail.html", _context(_document_or_404(request, pk)))


def _with_forms(request: HttpRequest, doc: Document, bound: dict) -> HttpResponse:
    """The page again with the refused form bound (its errors beside the fields): 400."""
    return render(request, "edoc/detail.html", {**_context(doc), **bound}, status=400)


@officer_required
@require_POST
def update_status(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document_or_404(request, pk)
    if doc.direction != Direction.IN:
        raise Http404(_("Không tìm thấy văn bản đến."))
    form = forms.StatusForm(request.POST, allowed=next_statuses(doc.status, doc.business_type))
    if form.is_valid():
        try:
            services.set_status(
                doc.pk,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except EdocError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Đã cập nhật trạng thái văn bản."))
            return redirect("edoc:detail", pk=doc.pk)
    return _with_forms(request, doc, {"status_form": form})


@officer_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document_or_404(request, pk)
    if doc.direction != Direction.IN:
        raise Http404(_("Không tìm thấy văn bản đến."))
    officers = list(queries.officers_of(doc.agency))
    form = forms.AssignForm(request.POST, officers=officers)
    if form.is_valid():
        assignee = next(u for u in officers if u.pk == form.cleaned_data["assignee"])
        try:
            services.assign(
                doc.pk, by=request.user, assignee=assignee, note=form.cleaned_data["note"]
            )
        except EdocError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Đã phân công xử lý văn bản."))
            return redirect("edoc:detail", pk=doc.pk)
    return _with_forms(request, doc, {"assign_form": form})


@officer_required
@require_POST
def business(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document_or_404(request, pk)
    if doc.direction != Direction.OUT:
        raise Http404(_("Không tìm thấy văn bản đi."))
    form = forms.BusinessForm(request.POST)
    if form.is_valid():
        try:
            new = services.send_business(
                doc.pk,
                by=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                files=_uploads(request),
            )
        except EdocError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Đã gửi văn bản %(code)s.") % {"code": new.code})
            return redirect("edoc:detail", pk=new.pk)
    return _with_forms(request, doc, {"business_form": form})


@officer_required
def attachment(request: HttpRequest, pk: int, att: int) -> HttpResponse:
    doc = _document_or_404(request, pk)
    item = doc.attachments.filter(pk=att).first()
    if item is None:
        raise Http404(_("Không tìm thấy tệp."))
    return attachment_response(
        default_storage.open(item.file.name, "rb"), content_type=item.content_type, name=item.name
    )


@officer_required
def edxml(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document_or_404(request, pk)
    if not doc.package:
        raise Http404(_("Văn bản không có gói tin edXML."))
    with default_storage.open(doc.package.name, "rb") as fh:
        data = fh.read()
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="edxml-{doc.pk}.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
