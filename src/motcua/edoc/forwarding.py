"""Inter-agency dossiers travel as edXML: when the engine forwards a dossier (``forward``,
liên thông) from one agency to another, the sending agency's outgoing register records a
transmittal whose package — the dossier's code as its notation, the dossier's files attached —
goes through the hub to the receiving agency's incoming register, linked to the same dossier.

The receiver connects to ``dossiers.signals.dossier_forwarded`` (sent inside ``forward``'s
transaction), so the transmittal commits or rolls back with the forward itself.
"""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.edoc import services
from motcua.edoc.rules import EdocError

log = logging.getLogger(__name__)


def on_forward(sender, *, dossier, from_agency_id, to_agency, by, note, now, **kwargs) -> None:
    from_agency = Agency.objects.filter(pk=from_agency_id).first()
    if from_agency is None or not from_agency.edxml_organ_id or not to_agency.edxml_organ_id:
        # agencies without organ ids keep the paper-era behaviour: the dossier moves only
        log.info("edoc: dossier %s forwarded without edXML (no organ id)", dossier.code)
        return
    files = []
    for att in dossier.attachments.filter(purpose="component").order_by("pk")[
        : services.MAX_ATTACHMENTS
    ]:
        with default_storage.open(att.file.name, "rb") as fh:
            files.append((att.original_name, fh.read()))
    procedure = dossier.procedure.name_vi if dossier.procedure_id else ""
    subject = f"Chuyển hồ sơ liên thông {dossier.code}: {procedure}"
    if note:
        subject += f" ({note})"
    data = services.OutgoingInput(
        recipients=[to_agency.edxml_organ_id],
        code_notation=dossier.code[:30],
        subject=subject[:500],
        signer_name=(by.display_name() or by.username)[:50],
        signer_position="",
        promulgation_date=timezone.localdate(now),
        type_name="Công văn",
        dossier=dossier,
        files=files,
    )
    try:
        services.compose_outgoing(
            by=by, agency=from_agency, data=data, now=now, enforce_scope=False
        )
    except EdocError as exc:
        # the forward itself was authorised by the engine; a transmittal that cannot be built
        # (e.g. an attachment refused) must not block it: recorded for the clerk instead
        log.warning("edoc: transmittal for %s not created: %s", dossier.code, exc.message)
