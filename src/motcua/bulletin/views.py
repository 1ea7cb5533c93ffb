"""The reform office's bulletin pages (/desk/bulletin/): issues, a draft's narrative per
section, the preview with every figure linked to its records, publishing, downloads.
Thin: forms → services, a service's refusal shown beside its field; scoped (another
agency's issue is a 403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.bulletin import forms, layout, outputs, permissions, services
from motcua.bulletin.models import Issue
from motcua.desk.access import officer_required
from motcua.reform.rules import ReformError

EXTENSIONS = {"html": "html", "pdf": "pdf", "docx": "docx"}


def _issue(request: HttpRequest, pk: int) -> Issue:
    issue = get_object_or_404(Issue.objects.select_related("agency"), pk=pk)
    if not permissions.can_edit(request.user, issue.agency):
        raise PermissionDenied(_("Bản tin này thuộc phạm vi của cơ quan khác."))
    return issue


def _fail(form, exc: ReformError) -> None:
    names = [n for n in exc.fields if n in form.fields]
    if names:
        for name in names:
            form.add_error(name, exc.message)
    else:
        form.add_error(None, exc.message)


@officer_required
def issues(request: HttpRequest) -> HttpResponse:
    scopes = permissions.scopes(request.user)
    rows = Issue.objects.filter(agency__in=scopes).select_related("agency")[:200]
    return render(request, "bulletin/issues.html", {"issues": rows, "can_create": scopes.exists()})


@officer_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    scopes = permissions.scopes(request.user).order_by("path")
    if not scopes.exists():
        raise PermissionDenied(_("Bạn không có quyền lập bản tin."))
    form = forms.DraftForm(request.POST or None, agencies=scopes)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            issue = services.create_draft(
                by=request.user,
                agency=d["agency"],
                start=d["start"],
                end=d["end"],
                title=d["title"],
            )
        except ReformError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Đã lập dự thảo bản tin."))
            return redirect("bulletin:issue", pk=issue.pk)
    return render(request, "bulletin/new.html", {"form": form})


def _context(request: HttpRequest, issue: Issue) -> dict:
    language = "en" if (get_language() or "").startswith("en") else "vi"
    bulletin = services.bulletin_of(issue, language=language)
    context = outputs.shaped(bulletin) | {"links": True, "issue": issue}
    return context


@officer_required
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview (a draft's figures computed now; a published issue's snapshot)."""
    item = _issue(request, pk)
    return render(request, "bulletin/issue.html", _context(request, item))


@officer_required
@require_http_methods(["GET", "POST"])
def edit_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    item = _issue(request, pk)
    spec = layout.BY_KEY.get(section)
    if spec is None:
        raise Http404(_("Không có mục này trong bản tin."))
    if item.is_published:
        messages.error(request, _("Bản tin đã phát hành, không thể sửa."))
        return redirect("bulletin:issue", pk=item.pk)
    initial = {"text": item.narrative.get(section, ""), "version": item.version}
    form = forms.NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_narrative(
                by=request.user,
                issue_id=item.pk,
                section=section,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except ReformError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Đã lưu nội dung mục."))
            return redirect(reverse("bulletin:issue", args=[item.pk]) + f"#section-{section}")
    language = "en" if (get_language() or "").startswith("en") else "vi"
    return render(
        request,
        "bulletin/edit_section.html",
        {"issue": item, "section": spec, "title": spec.title(language), "form": form},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _issue(request, pk)
    if item.is_published:
        return redirect("bulletin:issue", pk=item.pk)
    error = ""
    if request.method == "POST":
        try:
            services.publish(by=request.user, issue_id=item.pk)
        except ReformError as exc:
            error = exc.message
        else:
            item.refresh_from_db()
            messages.success(
                request, _("Đã phát hành bản tin số %(n)s.") % {"n": item.number_display}
            )
            return redirect("bulletin:issue", pk=item.pk)
    context = _context(request, item) | {"error": error}
    return render(request, "bulletin/publish.html", context, status=409 if error else 200)


@officer_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    item = _issue(request, pk)
    if fmt not in EXTENSIONS or not item.is_published:
        raise Http404(_("Không có tệp này."))
    try:
        data = services.published_file(item.publication, fmt)
    except ReformError as exc:
        return render(request, "bulletin/file_error.html", {"message": exc.message}, status=409)
    response = HttpResponse(data, content_type=outputs.CONTENT_TYPES[fmt])
    name = f"ban-tin-{item.agency.code}-{item.year}-{item.number_display}.{EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
