"""Signals the dossier engine sends for other apps (the engine imports none of them)."""

from django.dispatch import Signal

# sent inside forward()'s transaction, once the dossier has moved to ``to_agency``; kwargs:
# dossier, from_agency_id, to_agency, by, note, now (motcua.edoc sends it on as edXML)
dossier_forwarded = Signal()
