"""Signals other capabilities listen to (dossiers, feedback move open work to the successor)."""

from django.dispatch import Signal

# Sent by services.merge_agencies inside its transaction, after the sources are closed, with
# keyword arguments sources (list[Agency]), into (Agency), effective (date), actor (or None).
# A receiver that raises rolls the whole merger back; receivers must not do slow or external
# work here (queue it with transaction.on_commit instead).
agencies_merged = Signal()
