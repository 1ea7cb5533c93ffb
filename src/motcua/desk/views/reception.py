"""Counter reception: procedure, applicant, checklist, scans, then receive / complete / refuse.

Desk intake is ``services.receive_at_desk`` when the officer receives the dossier, otherwise
``services.submit(channel="desk")`` followed by the officer's decision; uploads are attached in
the same transaction, so that a failed step leaves no half-made dossier behind.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.catalog.models import Procedure
from motcua.catalog.queries import search_procedures
from motcua.dossiers import services as S
from motcua.dossiers.attachments import attach
from motcua.dossiers.errors import DossierError
from motcua.dossiers.fieldforms import DeclarationForm
from motcua.dossiers.fields import specs_for
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.queries import visible_dossiers

from .. import labels
from ..access import desk_agencies, officer_required
from ..forms import ApplicantForm, DecisionForm, lines

# engine field names (validate_applicant) → ApplicantForm fields
APPLICANT_FIELDS = {f"applicant.{name}": name for name in ApplicantForm.base_fields}


def _procedures(text: str) -> list[Procedure]:
    return list(search_procedures(text)[:20]) if text.strip() else []


@officer_required
@require_GET
def procedures(request: HttpRequest) -> HttpResponse:
    """HTMX: procedures matching the typed text (accent-insensitive)."""
    text = request.GET.get("q", "")[:100]
    return render(
        request, "desk/partials/procedure_results.html", {"q": text, "results": _procedures(text)}
    )


@officer_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """HTMX: prefill the applicant from the latest dossier with this ID number that the
    officer can see (never from another agency's dossiers)."""
    number = request.GET.get("id_number", "").strip()[:12]
    earlier = (
        visible_dossiers(request.user)
        .filter(applicant_id_number=number)
        .order_by("-submitted_at", "-pk")
        .first()
        if number
        else None
    )
    initial = {"id_number": number}
    if earlier is not None:
        initial.update(
            kind=earlier.applicant_kind,
            name=earlier.applicant_name,
            birth_date=earlier.applicant_birth_date,
            phone=earlier.applicant_phone,
            email=earlier.applicant_email,
            address=earlier.applicant_address,
            tax_code=earlier.applicant_tax_code,
            representative=earlier.applicant_representative,
        )
    return render(
        request,
        "desk/partials/applicant_fields.html",
        {
            "applicant": ApplicantForm(initial=initial, auto_id="id_applicant_%s"),
            "found": earlier,
            "looked_up": bool(number),
        },
    )


def _checklist(procedure: Procedure, data) -> list[dict]:
    items = []
    for doc in procedure.required_documents.order_by("order"):
        items.append(
            {
                "doc": doc,
                "checked": data is not None and data.get(f"doc_{doc.pk}") == "on",
            }
        )
    return items


def _intake(request, procedure, agency, applicant, checklist, decision, declaration) -> Dossier:
    user = request.user
    documents = [
        S.DocumentInput(
            name=item["doc"].name,
            required_document_id=item["doc"].pk,
            originals=item["doc"].originals,
            copies=item["doc"].copies,
            digitised=bool(request.FILES.get(f"file_{item['doc'].pk}")),
        )
        for item in checklist
        if item["checked"]
    ]
    c = decision.cleaned_data
    override = {"override_reason": c["override_reason"]} if c["decision"] == "receive" else {}
    register = S.receive_at_desk if c["decision"] == "receive" else S.submit
    with transaction.atomic():
        dossier = register(
            by=user,
            procedure=procedure,
            receiving_agency=agency,
            applicant=applicant,
            documents=documents,
            channel=Channel.DESK,
            field_values=declaration.values(),
            **override,
        )
        by_required = {doc.required_document_id: doc.pk for doc in dossier.documents.all()}
        for item in checklist:
            upload = request.FILES.get(f"file_{item['doc'].pk}")
            if upload:
                attach(
                    dossier.pk,
                    by=user,
                    upload=upload,
                    name=upload.name,
                    document_id=by_required.get(item["doc"].pk),
                )
        if extra := request.FILES.get("file_other"):
            attach(dossier.pk, by=user, upload=extra, name=extra.name)
        if c["decision"] == "request_completion":
            missing = [
                S.MissingItem(name=item["doc"].name)
                for item in checklist
                if not item["checked"] and item["doc"].mandatory
            ] + [S.MissingItem(name=line) for line in lines(c["missing"])]
            S.request_completion(dossier.pk, by=user, missing=missing)
        elif c["decision"] == "refuse_reception":
            S.refuse_reception(dossier.pk, by=user, reasons=lines(c["reasons"]))
    return dossier


@officer_required
def reception(request: HttpRequest) -> HttpResponse:
    agencies = desk_agencies(request.user)
    params = request.POST if request.method == "POST" else request.GET
    text = request.GET.get("q", "")[:100]
    procedure = None
    raw_procedure = params.get("procedure", "")
    if raw_procedure.isdigit():
        procedure = search_procedures().filter(pk=int(raw_procedure)).first()
    context = {
        "agencies": agencies,
        "q": text,
        "results": _procedures(text) if procedure is None else [],
        "procedure": procedure,
        "errors": {},
    }
    if procedure is None:
        if request.method == "POST":
            context["error"] = _("Vui lòng chọn thủ tục.")
            return render(request, "desk/reception.html", context, status=400)
        return render(request, "desk/reception.html", context)
    data = request.POST if request.method == "POST" else None
    applicant = ApplicantForm(data, auto_id="id_applicant_%s")
    decision = DecisionForm(data, initial={"decision": "receive"})
    declaration = DeclarationForm(data, specs=specs_for(procedure.pk), auto_id="id_%s")
    checklist = _checklist(procedure, data)
    context.update(
        applicant=applicant, decision=decision, checklist=checklist, declaration=declaration
    )
    if request.method != "POST":
        return render(request, "desk/reception.html", context)
    agency = next((a for a in agencies if str(a.pk) == params.get("agency", "")), None)
    if agency is None:
        context["errors"]["agency"] = _("Vui lòng chọn bộ phận tiếp nhận của bạn.")
    valid = [form.is_valid() for form in (applicant, decision, declaration)]
    if not all(valid) or agency is None:
        context["error"] = _("Vui lòng kiểm tra các trường được đánh dấu.")
        return render(request, "desk/reception.html", context, status=400)
    try:
        dossier = _intake(
            request, procedure, agency, applicant.applicant(), checklist, decision, declaration
        )
    except DossierError as exc:
        declaration.add_engine_errors(exc.fields)
        for field in exc.fields:
            name = APPLICANT_FIELDS.get(field)
            if name:  # validate_applicant puts the Vietnamese message in ``fields``
                applicant.add_error(name, exc.fields[field])
            elif field in ("missing", "reasons"):
                decision.add_error(field, exc.message)
            elif field == "documents":  # mandatory documents missing, no override reason
                decision.add_error("override_reason", exc.message)
            elif field.startswith("file") or field == "document":
                context["errors"]["files"] = exc.message
        context["error"] = exc.message
        return render(request, "desk/reception.html", context, status=400)
    dossier.refresh_from_db()
    messages.success(
        request,
        _("Hồ sơ %(code)s: %(state)s.")
        % {"code": dossier.code, "state": labels.state_label(dossier.state)},
    )
    return redirect("desk:dossier", code=dossier.code)
