"""The work queue and dossier search, both scoped by the engine's queries."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.links import row_link
from motcua.core.localize import localized_name
from motcua.core.text import normalize_search
from motcua.core.widgets import PlainSelect
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import (
    WORK_STATES,
    deadline_status,
    queue_summary,
    visible_dossiers,
    work_queue,
)
from motcua.workcalendar.queries import get_calendar
from motcua.workcalendar.rules import Duration

from .. import labels
from ..access import officer_required

PAGE_SIZE = 25
DUE_WINDOWS = (
    ("", _("Mọi thời hạn")),
    ("overdue", _("Đã quá hạn")),
    ("1", _("Đến hạn trong 1 ngày làm việc")),
    ("3", _("Đến hạn trong 3 ngày làm việc")),
    ("7", _("Đến hạn trong 7 ngày làm việc")),
)


class QueueFilter(forms.Form):
    state = forms.ChoiceField(label=_("Trạng thái"), required=False, widget=PlainSelect)
    procedure = forms.TypedChoiceField(
        label=_("Thủ tục"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    due = forms.ChoiceField(
        label=_("Thời hạn"), required=False, choices=DUE_WINDOWS, widget=PlainSelect
    )

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Mọi trạng thái"))] + [
            (s.value, labels.state_label(s)) for s in WORK_STATES
        ]
        self.fields["procedure"].choices = [("", _("Mọi thủ tục"))] + [
            (p.pk, f"{p.code} — {localized_name(p)}") for p in procedures
        ]


class CountedPaginator(Paginator):
    """A paginator told its total, so that it never runs ``COUNT(*)`` over the rows."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


# What the results table prints (desk/partials/dossier_table.html): a queue page reads 25 of
# these, not the dossier's 45 columns and its agency.
ROW_FIELDS = (
    "code",
    "applicant_name",
    "state",
    "effective_due_at",
    "procedure__code",
    "procedure__name_vi",
    "procedure__name_en",
)


def _rows(qs: QuerySet[Dossier], request: HttpRequest, *, count: int | None = None):
    qs = (
        qs.annotate(deadline_status=deadline_status()).select_related("procedure").only(*ROW_FIELDS)
    )
    paginator = (
        Paginator(qs, PAGE_SIZE) if count is None else CountedPaginator(qs, PAGE_SIZE, count=count)
    )
    page = paginator.get_page(request.GET.get("page"))
    link = row_link("desk:dossier", "code")
    for d in page.object_list:
        d.url = link(d.code)
        d.state_text = labels.state_label(d.state)
        d.deadline_text = labels.deadline_label(d.deadline_status)
    return page


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The whole page, or only the results table for an HTMX request."""
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return render(request, "desk/partials/dossier_table.html", context)
    return render(request, template, context)


@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    # One aggregate gives the state counts, the procedure filter's options (procedures with
    # open work in scope) and the page count: no COUNT or DISTINCT over the queue per page.
    summary = queue_summary(user)
    procedures = (
        Procedure.objects.filter(pk__in=summary.procedure_ids())
        .order_by("code", "name_vi")
        .only("code", "name_vi", "name_en")
    )
    form = QueueFilter(request.GET or None, procedures=procedures)
    filters: dict = {}
    if form.is_valid():
        c = form.cleaned_data
        if c["state"]:
            filters["states"] = [c["state"]]
        filters["procedure_id"] = c["procedure"]
        if c["due"] == "overdue":
            filters["due_before"] = timezone.now()
        elif c["due"]:
            filters["due_before"] = get_calendar().add(timezone.now(), Duration(int(c["due"]), "d"))
    counts = summary.by_state()
    filtered = (
        queue_summary(user, due_before=filters["due_before"])
        if "due_before" in filters
        else summary
    )
    total = filtered.count(states=filters.get("states"), procedure_id=filters.get("procedure_id"))
    context = {
        "form": form,
        "page": _rows(work_queue(user, **filters, expected_rows=total), request, count=total),
        "query": _query_without_page(request),
        "counts": [(s.value, labels.state_label(s), counts.get(s.value, 0)) for s in WORK_STATES],
        "total": sum(counts.values()),
        "results_url": request.path,
    }
    return _render(request, "desk/queue.html", context)


def search_dossiers(qs: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """By code, applicant name (accent-insensitive, every word) or ID number/tax code."""
    text = text.strip()
    if not text:
        return qs.none()
    name_q = Q()
    for word in normalize_search(text).split():
        name_q &= Q(applicant_name_search__contains=word)
    return qs.filter(
        Q(code__icontains=text) | name_q | Q(applicant_id_number=text) | Q(applicant_tax_code=text)
    )


@officer_required
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:100]
    qs = search_dossiers(visible_dossiers(request.user), text).order_by("-submitted_at", "-pk")
    context = {
        "q": text,
        "page": _rows(qs, request),
        "query": _query_without_page(request),
        "results_url": request.path,
    }
    return _render(request, "desk/search.html", context)
