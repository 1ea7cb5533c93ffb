"""Public pages: home and search, a procedure, template downloads, tracking."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from motcua.catalog.queries import active_workflow
from motcua.core import pagecache
from motcua.core.ratelimit import client_ip
from motcua.portal import drafts, ratelimit, tracking
from motcua.portal.forms import SearchForm, TrackingForm
from motcua.portal.search import Filters, find_procedures
from motcua.portal.views.common import is_htmx, procedure_by_ref

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filters = Filters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = Filters(
            text=d["q"],
            field_id=d["field"].pk if d["field"] else None,
            agency_id=d["agency"].pk if d["agency"] else None,
            level=d["level"] or None,
            online_mode=d["online"] or None,
        )
    results, approximate = find_procedures(filters)
    page = Paginator(results.prefetch_related("fee_lines"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters_html": "" if is_htmx(request) else filters_html(form),
        "page": page,
        "approximate": approximate,
        "searched": form.is_bound,
        "query": query.urlencode(),
    }
    template = "portal/_results.html" if is_htmx(request) else "portal/home.html"
    return render(request, template, context)


FILTERS = ("field", "agency", "level", "online")


def filters_html(form: SearchForm) -> str:
    """The search filters' HTML (every field and agency as an option: most of the home page's
    rendering time, issue 11), kept per catalogue version, language and chosen values."""
    chosen = [form.data.get(name, "") for name in FILTERS] if form.is_bound else []
    digest = hashlib.sha256(repr(chosen).encode()).hexdigest()[:32]
    key = f"portal:filters:{pagecache.current().token}:{get_language()}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("portal/_filters.html", {"form": form})
        cache.set(key, html, FILTERS_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output


FILTERS_SECONDS = 3600  # the version changes with the catalogue: this only bounds memory


AGENCIES_OPEN_MAX = 5


def procedure_detail(request: HttpRequest, ref: str) -> HttpResponse:
    procedure = procedure_by_ref(ref)
    workflow = active_workflow(procedure)
    return render(
        request,
        "portal/procedure.html",
        {
            "procedure": procedure,
            "documents": procedure.required_documents.order_by("order"),
            "fees": procedure.fee_lines.order_by("order"),
            "steps": workflow.steps.all() if workflow else [],
            "agencies": list(procedure.implementing_agencies.order_by("name_vi")),
            # more places than this are folded away behind the action (84 communes…)
            "agencies_open_max": AGENCIES_OPEN_MAX,
            "can_submit": drafts.can_submit_online(procedure),
        },
    )


def template_download(request: HttpRequest, ref: str, order: int) -> FileResponse:
    procedure = procedure_by_ref(ref)
    doc = procedure.required_documents.filter(order=order).exclude(template="").first()
    if doc is None:
        raise Http404("Không có mẫu đơn.")
    name = doc.template.name.rsplit("/", 1)[-1]
    return FileResponse(doc.template.open("rb"), as_attachment=True, filename=name)


def track(request: HttpRequest) -> HttpResponse:
    form = TrackingForm(request.GET or None)
    context: dict = {"form": form, "searched": False}
    status, retry_after = 200, 0
    if form.is_bound and form.is_valid():
        key = f"track:{client_ip(request)}"
        if ratelimit.hit(key, window=tracking.WINDOW) > tracking.limit():
            context["limited"] = True
            status = 429
            retry_after = max(1, ratelimit.retry_after(key, window=tracking.WINDOW))
        else:
            context["searched"] = True
            context["result"] = tracking.track(
                form.cleaned_data["code"], form.cleaned_data["digits"]
            )
    response = render(request, "portal/tracking.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
