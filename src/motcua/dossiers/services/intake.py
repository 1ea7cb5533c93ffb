"""Creating a dossier: online submission (Decree 42/2022/NĐ-CP, Decree 118/2025/NĐ-CP) or
registration at a desk before reception, idempotent by key; the dossier row, its documents and
the fee charges copied from the procedure's fee lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.catalog.queries import NoActiveWorkflow, workflow_for_dossier
from motcua.core import rows
from motcua.core.text import normalize_search
from motcua.dossiers import fields as dossier_fields
from motcua.dossiers.errors import ConflictError, InvalidInput
from motcua.dossiers.models import ONLINE_CHANNELS, Channel, Dossier, DossierDocument
from motcua.dossiers.permissions import authorise
from motcua.dossiers.rules import Action, State, transition
from motcua.dossiers.services._engine import _Change, _record
from motcua.dossiers.services.inputs import ApplicantData, DocumentInput
from motcua.dossiers.services.numbering import new_dossier_code
from motcua.dossiers.validation import validate_applicant


def submit(
    *,
    by: User,
    procedure: Procedure,
    receiving_agency: Agency,
    applicant: ApplicantData,
    documents: Sequence[DocumentInput] = (),
    deciding_agency: Agency | None = None,
    channel: str = Channel.CITY_PORTAL,
    idempotency_key: str | None = None,
    field_values: Mapping[str, object] | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Register a dossier (online, or at a desk before reception). Idempotent by key.

    ``field_values``: answers to the procedure's declaration fields, checked by
    ``dossiers.fields`` (None: the caller does not collect them — API v1 and the CLI)."""
    if idempotency_key:
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return _same_submitter(existing, by)
    try:
        return _create(
            by=by,
            procedure=procedure,
            receiving_agency=receiving_agency,
            applicant=applicant,
            documents=documents,
            deciding_agency=deciding_agency,
            channel=channel,
            idempotency_key=idempotency_key,
            field_values=field_values,
            now=now or timezone.now(),
        )
    except IntegrityError:
        if not idempotency_key:
            raise
        # a concurrent request with the same key won the race: answer with its dossier
        existing = Dossier.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_submitter(existing, by)


def _same_submitter(dossier: Dossier, by: User) -> Dossier:
    """The dossier a key already made, for the caller who made it; anyone else learns nothing
    about it (keys are global: an officer reusing another agency's key must not see its
    dossier)."""
    submitted_by = (
        dossier.events.filter(action=Action.SUBMIT).values_list("actor_id", flat=True).first()
    )
    if submitted_by != by.pk:
        raise ConflictError("Khóa chống trùng (idempotency key) đã được dùng; hãy dùng khóa mới.")
    return dossier


def _new_dossier(
    *,
    by: User,
    procedure: Procedure,
    receiving_agency: Agency,
    applicant: ApplicantData,
    deciding_agency: Agency | None,
    channel: str,
    idempotency_key: str | None,
    now: dt.datetime,
    field_values: Mapping[str, object] | None = None,
) -> Dossier:
    """The dossier to register, checked but not saved (no code yet)."""
    errors = validate_applicant(applicant)
    values: dict[str, str] = {}
    if field_values is not None:
        values, problems = dossier_fields.clean_values(
            dossier_fields.specs_for(procedure.pk), field_values
        )
        errors.update({f"fields.{key}": message for key, message in problems.items()})
    if not procedure.is_active:
        errors["procedure"] = "Thủ tục này không còn áp dụng."
    if channel not in Channel.values:
        errors["channel"] = "Kênh nộp hồ sơ không hợp lệ."
    try:
        workflow = workflow_for_dossier(procedure)
    except NoActiveWorkflow:
        workflow = None
        errors["procedure"] = "Thủ tục chưa có quy trình nội bộ đang áp dụng."
    if not receiving_agency.is_valid_on(timezone.localdate(now)):
        errors["receiving_agency"] = "Cơ quan tiếp nhận không còn hoạt động."
    if errors:
        raise InvalidInput("Hồ sơ chưa hợp lệ.", fields=errors)
    return Dossier(
        state=State.REGISTERED,
        procedure=procedure,
        workflow=workflow,
        receiving_agency=receiving_agency,
        deciding_agency=deciding_agency or receiving_agency,
        current_agency=receiving_agency,
        channel=channel,
        idempotency_key=idempotency_key or None,
        applicant_user=by if channel in ONLINE_CHANNELS or channel == Channel.KIOSK else None,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_name_search=normalize_search(applicant.name),
        applicant_id_number=applicant.id_number,
        applicant_birth_date=applicant.birth_date,
        applicant_tax_code=applicant.tax_code,
        applicant_representative=applicant.representative,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_vneid=applicant.vneid,
        field_values=values,
        submitted_at=now,
    )


def _insert_new(dossier: Dossier, documents: Sequence[DocumentInput]) -> list[DossierDocument]:
    """Write a dossier that has its code, with its documents and fee charges."""
    rows.insert([dossier])
    with connection.cursor() as cursor:
        cursor.execute(_CHARGE_FEES_SQL, [dossier.pk, dossier.procedure_id])
    return _add_documents(dossier, documents)


def _create(*, by: User, documents: Sequence[DocumentInput], **kwargs) -> Dossier:
    dossier = _new_dossier(by=by, **kwargs)
    t = transition(None, Action.SUBMIT)
    with transaction.atomic(), rows.pipeline():
        role = authorise(by, dossier, Action.SUBMIT)
        dossier.code = new_dossier_code(dossier.receiving_agency, dossier.submitted_at)
        _insert_new(dossier, documents)
        _record(dossier, t, by=by, role=role, now=dossier.submitted_at, **_submission(dossier))
    return dossier


def _submission(dossier: Dossier) -> dict:
    return {"from_state": None, "change": _Change(data={"channel": dossier.channel})}


# the procedure's fee lines become the dossier's charges, copied in the database
_CHARGE_FEES_SQL = """
INSERT INTO dossiers_feecharge
    (dossier_id, name, amount_vnd, paid_vnd, paid_at, payment_channel, gateway, transaction_ref)
SELECT %s, name, amount_vnd, 0, NULL, '', '', ''
FROM catalog_feeline WHERE procedure_id = %s AND amount_vnd > 0 ORDER BY "order", id
"""


def _add_documents(dossier: Dossier, documents: Iterable[DocumentInput]) -> list[DossierDocument]:
    added = [DossierDocument(dossier=dossier, **asdict(doc)) for doc in documents]
    rows.insert(added, returning=False)
    return added
