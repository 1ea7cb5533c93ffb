"""Panels other apps' pages include: the desk's "Ký số" card and the portal's link to the
electronic result (one line in each template, so those apps need not know this one)."""

from __future__ import annotations

from django import template

from motcua.dossiers.models import Outcome
from motcua.signatures import formsigning, services
from motcua.signatures.forms import SignForm
from motcua.signatures.models import ElectronicResult, SignedForm

register = template.Library()


@register.inclusion_tag("signatures/desk_panel.html", takes_context=True)
def signature_panel(context, dossier):
    user = context["request"].user
    result = ElectronicResult.objects.filter(dossier=dossier).first()
    can = (
        result is None and dossier.outcome == Outcome.APPROVED and services.can_sign(user, dossier)
    )
    return {
        "d": dossier,
        "result": result,
        "can_sign": can,
        "has_key": can and services.personal_key(user, dossier) is not None,
        "has_seal": can and services.seal_key(dossier) is not None,
        "form": SignForm(auto_id="id_sign_%s") if can else None,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("signatures/portal_link.html")
def electronic_result_link(dossier):
    return {"d": dossier, "result": ElectronicResult.objects.filter(dossier=dossier).first()}


@register.inclusion_tag("signatures/form_sign.html", takes_context=True)
def form_signature(context, dossier, issued):
    """The desk's line under an issued form: its signed copy, or "Ký số" for its signer."""
    user = context["request"].user
    signed = SignedForm.objects.filter(form=issued).first()
    can = signed is None and formsigning.can_sign_form(user, issued)
    return {
        "d": dossier,
        "f": issued,
        "signed": signed,
        "can_sign": can,
        "has_key": can and services.personal_key(user, dossier, agency=issued.agency) is not None,
        "csrf_token": context.get("csrf_token"),
    }
