"""Errors the dossier services raise; each has a stable machine-readable ``code``
(the API turns them into problem details) and a Vietnamese message for the UI."""

from __future__ import annotations


class DossierError(Exception):
    code = "dossier_error"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ConflictError(DossierError):
    """Someone else changed or is changing the dossier; reload and try again."""

    code = "conflict"


class NotAllowed(DossierError):
    """The user may not take this action on this dossier (role or scope)."""

    code = "forbidden"


class InvalidInput(DossierError):
    """Bad input; ``fields`` maps each bad field to its Vietnamese message."""

    code = "invalid"
