"""Signing an issued legal form (Circular 03/2025/TT-VPCP Forms 01–05): the officer the form
names as its signer signs the form's PDF in the form's own signature box, and the signed copy
is stored once with its SHA-256 (``SignedForm``, append-only). From then on it is the copy the
citizen downloads, and the verification page matches it to the dossier and the form.

Who signs follows the form's signature block: Forms 01–03 end with the receiving officer's
block ("CÁN BỘ TIẾP NHẬN…", slot ``officer``) — the officer who issued the form signs; Forms
04–05 are letters of the agency, signed by its leader (slot ``signer``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.accounts.scope import role_in
from motcua.agencies.models import AgencySigner
from motcua.dossiers.errors import ConflictError, InvalidInput, NotAllowed
from motcua.dossiers.legalforms import render_html
from motcua.dossiers.models import AuditEvent, Dossier, IssuedForm
from motcua.dossiers.rules import NATIONAL_STATUS, State
from motcua.signatures import services
from motcua.signatures.models import SignedForm
from motcua.signatures.resultpdf import html_with_slots
from motcua.stats import hooks as stats_hooks

SIGN_FORM = "sign_form"
OFFICER_FORMS = frozenset({"01", "02", "03"})  # the issuing officer's block
LEADER_FORMS = frozenset({"04", "05"})  # the agency leader's block
REASON = "Ký số biểu mẫu thủ tục hành chính (Thông tư 03/2025/TT-VPCP)"


def slot_of(form: IssuedForm) -> str | None:
    if form.form in OFFICER_FORMS:
        return "officer"
    if form.form in LEADER_FORMS:
        return "signer"
    return None


def issuer_of(form: IssuedForm) -> int | None:
    """The user who issued ``form`` (the audit event that stored it)."""
    return (
        AuditEvent.objects.filter(form=form, actor__isnull=False)
        .order_by("at", "pk")
        .values_list("actor_id", flat=True)
        .first()
    )


def can_sign_form(user: User, form: IssuedForm) -> bool:
    if not user.is_authenticated or slot_of(form) is None:
        return False
    if form.form in LEADER_FORMS:
        agency = form.agency
        if not role_in(user, agency.pk, {Role.LEADER}, agency_path=agency.path):
            return False
        named = named_signer(form)
        # A letter that names a configured signer is signed by that person's account only;
        # one that names nobody (no signer configured) by any leader of the agency.
        return named is None or named.user_id == user.pk
    return issuer_of(form) == user.pk


def named_signer(form: IssuedForm) -> AgencySigner | None:
    """The configured signer a letter (Form 04/05) prints in its signature block."""
    signer_id = str((form.snapshot or {}).get("signer", {}).get("id", ""))
    if not signer_id.isdigit():
        return None
    return AgencySigner.objects.filter(pk=int(signer_id), agency_id=form.agency_id).first()


def sign_form(
    form_id: int, *, by: User, secret: str = "", now: dt.datetime | None = None
) -> SignedForm:
    """Sign the issued form ``form_id`` as ``by`` and store the signed copy (see the module)."""
    from motcua.dossiers.queries import visible_dossiers

    now = now or timezone.now()
    form = (
        IssuedForm.objects.select_related("agency", "dossier")
        .filter(pk=form_id, dossier__in=visible_dossiers(by))
        .first()
    )
    if form is None:
        raise InvalidInput("Không tìm thấy biểu mẫu.", fields={"form": "not_found"})
    if slot_of(form) is None:
        raise InvalidInput(
            "Biểu mẫu này không được ký số trên hệ thống.", fields={"form": "not_signable"}
        )
    if not can_sign_form(by, form):
        raise NotAllowed("Chỉ người ký ghi trên biểu mẫu mới được ký số biểu mẫu này.")
    if SignedForm.objects.filter(form=form).exists():
        raise ConflictError("Biểu mẫu này đã được ký số.")
    key = services.personal_key(by, form.dossier, agency=form.agency)
    if key is None:
        raise InvalidInput(
            "Bạn chưa được cấp khóa ký số tại cơ quan này.", fields={"secret": "no_key"}
        )
    options = dataclasses.replace(services.sign_options(), reason=REASON)
    pdf, slots = html_with_slots(render_html(form.snapshot))
    signed = services.sign_document(
        pdf,
        slots,
        key=key,
        secret=secret,
        signer_name=by.display_name(),
        agency_name=form.agency.name_vi,
        slot=slot_of(form) or "",
        options=options,
        now=now,
    )
    return _store(form, signed, by=by, level=options.level, now=now)


def _store(
    form: IssuedForm, signed: bytes, *, by: User, level: str, now: dt.datetime
) -> SignedForm:
    digest = hashlib.sha256(signed).hexdigest()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=form.dossier_id)
        if SignedForm.objects.filter(form=form).exists():
            raise ConflictError("Biểu mẫu này đã được ký số.")
        record = SignedForm(
            form=form,
            dossier=locked,
            sha256=digest,
            size=len(signed),
            level=level,
            signer_name=by.display_name(),
            signed_by=by,
            signed_at=now,
        )
        name = f"mau-{form.form}-{form.number.replace('/', '-')}-{form.pk}.pdf"
        record.file.save(name, ContentFile(signed), save=False)
        try:
            record.save()
        except Exception:
            record.file.delete(save=False)
            raise
        role = Role.LEADER.value if form.form in LEADER_FORMS else ""
        AuditEvent.objects.create(
            dossier=locked,
            at=now,
            actor=by,
            actor_role=role,
            agency=form.agency,
            action=SIGN_FORM,
            from_state=locked.state,
            to_state=locked.state,
            national_status=NATIONAL_STATUS[State(locked.state)],
            form=form,
            data={"form": form.form, "number": form.number, "sha256": digest, "level": level},
        )
        stats_hooks.touch(locked.pk)
    return record
