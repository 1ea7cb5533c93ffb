"""Form 07, the desk's dossier log, for a date range."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from motcua.dossiers import services as S
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import IssuedForm

from ..access import desk_agencies, officer_required
from ..forms import LogForm
from .dossier import form_response


@officer_required
def log(request: HttpRequest) -> HttpResponse:
    agencies = desk_agencies(request.user)
    form = LogForm(request.POST or None, agencies=agencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            c = form.cleaned_data
            try:
                issued = S.issue_dossier_log(
                    c["agency"], by=request.user, start=c["start"], end=c["end"]
                )
            except DossierError as exc:
                form.add_error("end" if "end" in exc.fields else None, exc.message)
            else:
                return redirect("desk:log_form", pk=issued.pk)
        status = 400
    recent = IssuedForm.objects.filter(
        form="07", dossier__isnull=True, agency__in=agencies
    ).order_by("-issued_at", "-pk")[:20]
    return render(
        request,
        "desk/log.html",
        {"form": form, "recent": recent, "has_agency": bool(agencies)},
        status=status,
    )


@officer_required
@require_GET
@xframe_options_sameorigin
def log_form(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    agency_ids = [a.pk for a in desk_agencies(request.user)]
    issued = IssuedForm.objects.filter(
        pk=pk, form="07", dossier__isnull=True, agency_id__in=agency_ids
    ).first()
    if issued is None:
        raise Http404("Không tìm thấy sổ theo dõi.")
    return form_response(issued, fmt)
