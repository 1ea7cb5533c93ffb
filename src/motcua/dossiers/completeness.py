"""Is a dossier complete enough to be received? (Decree 118/2025, Art. 19: a dossier missing
mandatory documents gets one complete set of instructions, Form 02, not a receipt.)

Reception with a mandatory document missing is refused unless the officer overrides it with a
reason; the override, the reason and the missing documents go into the reception's audit event.
"Mandatory" means the catalog's ``mandatory`` documents that are submitted (``present_only``
papers are shown for comparison and never become components of the dossier).
"""

from __future__ import annotations

from collections.abc import Iterable

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import DossierDocument

MISSING_MANDATORY = "missing_mandatory"


def mandatory_documents(procedure_id: int) -> list[RequiredDocument]:
    return list(
        RequiredDocument.objects.filter(
            procedure_id=procedure_id, mandatory=True, present_only=False
        ).order_by("order")
    )


def missing_mandatory(
    procedure_id: int, provided_required_ids: Iterable[int | None]
) -> list[RequiredDocument]:
    """The procedure's mandatory documents that are not among the provided ones."""
    provided = {pk for pk in provided_required_ids if pk is not None}
    return [doc for doc in mandatory_documents(procedure_id) if doc.pk not in provided]


def missing_for_dossier(
    dossier_id: int, procedure_id: int, also_provided: Iterable[int | None] = ()
) -> list[RequiredDocument]:
    """``missing_mandatory`` against a registered dossier's components, in one query."""
    held = DossierDocument.objects.filter(
        dossier_id=dossier_id, required_document_id__isnull=False
    ).values("required_document_id")
    provided = [pk for pk in also_provided if pk is not None]
    return list(
        RequiredDocument.objects.filter(
            procedure_id=procedure_id, mandatory=True, present_only=False
        )
        .exclude(pk__in=held)
        .exclude(pk__in=provided)
        .order_by("order")
    )


def check_reception(missing: list[RequiredDocument], override_reason: str) -> dict:
    """Raise when mandatory documents are missing and no reason overrides it; otherwise the
    audit data of the reception (empty when nothing was missing)."""
    if not missing:
        return {}
    names = [doc.name for doc in missing]
    if not override_reason.strip():
        raise InvalidInput(
            "Hồ sơ còn thiếu giấy tờ bắt buộc: "
            + "; ".join(names)
            + ". Hãy lập Mẫu 02 (yêu cầu hoàn thiện hồ sơ), hoặc ghi rõ lý do nếu vẫn tiếp nhận.",
            fields={"documents": MISSING_MANDATORY},
        )
    return {MISSING_MANDATORY: names, "override": True}
