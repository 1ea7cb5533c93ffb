"""Online submission: a draft the citizen fills in, saves and resumes, then submits.

Files are checked by content when uploaded into the draft (the same check ``attach`` makes)
and attached to the dossier when it is submitted. The draft's key is the submission's
idempotency key: submitting twice (double click, retry after a timeout) gives one dossier.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import OnlineMode, Procedure, RequiredDocument
from motcua.core import media
from motcua.dossiers import services
from motcua.dossiers.attachments import attach, read_checked, safe_name
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.fields import clean_values, specs_for
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.queries import own_dossiers
from motcua.dossiers.validation import validate_applicant
from motcua.portal.models import Draft, DraftFile

MAX_FILES = 30
APPLICANT_FIELDS = (
    "kind",
    "name",
    "id_number",
    "birth_date",
    "phone",
    "email",
    "address",
    "tax_code",
    "representative",
)


def online_agencies(procedure: Procedure) -> list[Agency]:
    """Where the procedure can be submitted today."""
    today = timezone.localdate()
    return [a for a in procedure.implementing_agencies.order_by("name_vi") if a.is_valid_on(today)]


def can_submit_online(procedure: Procedure) -> bool:
    return (
        procedure.is_active
        and procedure.online_mode != OnlineMode.NONE
        and procedure.workflows.filter(status="active").exists()
        and bool(online_agencies(procedure))
    )


def prefill(user: User) -> dict[str, str]:
    """Profile data, completed from the citizen's latest dossier (ID number, address)."""
    data = {"kind": "individual", "name": user.display_name() if user.full_name else ""}
    data.update(phone=user.phone, email=user.email)
    last = own_dossiers(user).order_by("-submitted_at").first()
    if last is not None:
        data.update(
            id_number=last.applicant_id_number,
            address=last.applicant_address,
            birth_date=last.applicant_birth_date.isoformat() if last.applicant_birth_date else "",
        )
    return data


def start(user: User, procedure: Procedure) -> Draft:
    if not can_submit_online(procedure):
        raise InvalidInput(
            "Thủ tục này chưa cho phép nộp trực tuyến.", fields={"procedure": "not_online"}
        )
    agencies = online_agencies(procedure)
    return Draft.objects.create(
        key=uuid.uuid4().hex,
        user=user,
        procedure=procedure,
        receiving_agency=agencies[0] if len(agencies) == 1 else None,
        data=prefill(user),
    )


def get(user: User, key: str) -> Draft | None:
    """The user's own draft (never another citizen's)."""
    return (
        Draft.objects.select_related("procedure", "receiving_agency")
        .filter(key=key, user=user)
        .first()
    )


def applicant_of(draft: Draft) -> services.ApplicantData:
    d = draft.data
    birth = None
    if d.get("birth_date"):
        try:
            birth = dt.date.fromisoformat(d["birth_date"])
        except ValueError:
            birth = None
    return services.ApplicantData(
        name=d.get("name", ""),
        kind=d.get("kind", "individual"),
        id_number=d.get("id_number", ""),
        birth_date=birth,
        phone=d.get("phone", ""),
        email=d.get("email", ""),
        address=d.get("address", ""),
        tax_code=d.get("tax_code", ""),
        representative=d.get("representative", ""),
    )


def field_values_of(draft: Draft) -> dict[str, str]:
    """The answers to the procedure's declaration fields saved in the draft."""
    values = draft.data.get("fields")
    return dict(values) if isinstance(values, dict) else {}


def save_applicant(
    draft: Draft,
    data: dict[str, str],
    agency_id: int | None,
    field_values: dict[str, object] | None = None,
) -> dict[str, str]:
    """Store the answers (a draft may be incomplete); returns field → message problems
    (declaration fields as ``fields.<key>``; a required one may still be empty here)."""
    values, problems = field_values_of(draft), {}
    if field_values is not None:
        values, problems = clean_values(specs_for(draft.procedure_id), field_values, require=False)
    draft.data = {k: (data.get(k) or "").strip() for k in APPLICANT_FIELDS}
    draft.data["fields"] = values
    errors = {
        k.removeprefix("applicant."): v for k, v in validate_applicant(applicant_of(draft)).items()
    }
    allowed = {a.pk: a for a in online_agencies(draft.procedure)}
    if agency_id in allowed:
        draft.receiving_agency = allowed[agency_id]
    elif agency_id is not None or draft.receiving_agency_id not in allowed:
        draft.receiving_agency = None
        errors["agency"] = "Vui lòng chọn nơi nộp hồ sơ."
    draft.save()
    return {**errors, **{f"fields.{k}": v for k, v in problems.items()}}


def add_file(draft: Draft, *, document_id: int | None, upload: IO[bytes], name: str) -> DraftFile:
    """Check a file by content and size (as ``attach`` does) and keep it in the draft."""
    if draft.files.count() >= MAX_FILES:
        raise InvalidInput(f"Tối đa {MAX_FILES} tệp cho một hồ sơ.", fields={"file": "too_many"})
    doc = None
    if document_id is not None:
        doc = RequiredDocument.objects.filter(pk=document_id, procedure=draft.procedure).first()
        if doc is None:
            raise InvalidInput("Thành phần hồ sơ không hợp lệ.", fields={"document": "not_found"})
    data, mime = read_checked(upload)
    digest = hashlib.sha256(data).hexdigest()
    item = DraftFile(
        draft=draft,
        required_document=doc,
        original_name=safe_name(name, mime),
        content_type=mime,
        size=len(data),
        sha256=digest,
    )
    # stored before the row, removed after its deletion commits (core/media.py)
    item.file.name = media.store(data)
    try:
        with transaction.atomic():
            item.save()
            draft.save(update_fields=["updated_at"])
    except BaseException:
        media.discard(item.file.name)
        raise
    return item


def remove_file(draft: Draft, file_id: int) -> bool:
    with transaction.atomic():
        item = draft.files.filter(pk=file_id).first()
        if item is None:
            return False
        item.delete()
        media.discard_after_commit([item.file.name])
    return True


def discard(draft: Draft) -> None:
    """Delete a draft; its files go once the deletion is committed."""
    with transaction.atomic():
        names = list(draft.files.values_list("file", flat=True))
        draft.delete()
        media.discard_after_commit(names)


@dataclass(frozen=True)
class Review:
    errors: dict[str, str]
    missing: list[RequiredDocument]  # mandatory documents without an uploaded file
    present_only: list[RequiredDocument]  # papers shown at the desk for comparison
    paper_allowed: bool  # partial procedures: a missing document may be brought on paper

    @property
    def ready(self) -> bool:
        """Nothing blocks the submit button (missing documents of a partial procedure still
        need the applicant's explicit "bring on paper" choice, checked by ``submit``)."""
        return not self.errors


def review(draft: Draft) -> Review:
    """What stops the draft from being submitted, and what may be brought on paper."""
    errors = {
        k.removeprefix("applicant."): v for k, v in validate_applicant(applicant_of(draft)).items()
    }
    if draft.receiving_agency_id not in {a.pk for a in online_agencies(draft.procedure)}:
        errors["agency"] = "Vui lòng chọn nơi nộp hồ sơ."
    _, problems = clean_values(specs_for(draft.procedure_id), field_values_of(draft))
    errors.update({f"fields.{k}": v for k, v in problems.items()})
    uploaded = set(draft.files.values_list("required_document_id", flat=True))
    docs = list(draft.procedure.required_documents.order_by("order"))
    missing = [d for d in docs if d.mandatory and not d.present_only and d.pk not in uploaded]
    paper_allowed = draft.procedure.online_mode == OnlineMode.PARTIAL
    if missing and not paper_allowed:
        errors["documents"] = "Còn thiếu tệp của thành phần hồ sơ bắt buộc: " + "; ".join(
            d.name for d in missing
        )
    return Review(
        errors=errors,
        missing=missing,
        present_only=[d for d in docs if d.present_only],
        paper_allowed=paper_allowed,
    )


def check_paper_choice(result: Review, on_paper: set[int]) -> None:
    """Every mandatory document without a file needs the applicant's explicit choice to bring
    it on paper (partial procedures only; a full one needs the file)."""
    unchosen = [d for d in result.missing if d.pk not in on_paper]
    if unchosen:
        raise InvalidInput(
            "Vui lòng tải lên tệp hoặc chọn “Nộp bản giấy” cho giấy tờ bắt buộc: "
            + "; ".join(d.name for d in unchosen)
            + ".",
            fields={"documents": "missing_mandatory"},
        )


def submit(
    *,
    by: User,
    key: str,
    on_paper: set[int] | frozenset[int] = frozenset(),
    vneid: bool = False,
) -> Dossier:
    """Submit the draft ``key`` as a dossier, once: a repeat returns the same dossier.
    ``on_paper``: required documents the applicant chose to bring on paper (recorded on the
    dossier's components)."""
    with transaction.atomic():
        # lock the draft so a concurrent repeat waits, then finds the dossier below
        draft = Draft.objects.select_for_update().filter(key=key, user=by).first()
        if draft is None:
            existing = own_dossiers(by).filter(idempotency_key=key).first()
            if existing is not None:
                return existing
            raise InvalidInput("Không tìm thấy bản nháp hồ sơ.", fields={"draft": "not_found"})
        result = review(draft)
        if not result.ready:
            raise InvalidInput("Hồ sơ chưa đầy đủ.", fields=result.errors)
        check_paper_choice(result, set(on_paper))
        paper = {d.pk for d in result.missing}
        files = list(draft.files.all())
        with_file = {f.required_document_id for f in files}
        docs = [
            services.DocumentInput(
                name=d.name,
                required_document_id=d.pk,
                originals=d.originals,
                copies=d.copies,
                digitised=d.pk in with_file,
                on_paper=d.pk in paper,
            )
            for d in draft.procedure.required_documents.order_by("order")
            if d.pk in with_file or d.mandatory
        ]
        dossier = services.submit(
            by=by,
            procedure=draft.procedure,
            receiving_agency=draft.receiving_agency,
            applicant=dataclasses.replace(applicant_of(draft), vneid=vneid),
            documents=docs,
            channel=Channel.CITY_PORTAL,
            idempotency_key=key,
            field_values=field_values_of(draft),
        )
        component = dict(dossier.documents.values_list("required_document_id", "pk"))
        for f in files:
            with f.file.open("rb") as stream:
                attach(
                    dossier.pk,
                    by=by,
                    upload=stream,
                    name=f.original_name,
                    document_id=component.get(f.required_document_id),
                )
        draft.delete()
        # the dossier has its own copies; killed before this runs: orphans for media check
        media.discard_after_commit([f.file.name for f in files])
    return dossier
