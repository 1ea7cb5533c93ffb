"""The exchange-hub adapter interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class HubError(Exception):
    """The hub could not do what was asked."""


class TransientHubError(HubError):
    """Worth trying again later (network, time-out, 5xx)."""


class HubRejected(HubError):
    """The hub refused the request (4xx, unknown recipient): trying again will not help."""


@dataclass(frozen=True)
class Received:
    message_id: str
    kind: str  # "edoc" or "status"
    sender: str


@dataclass(frozen=True)
class DirectoryEntry:
    organ_id: str
    name: str
    parent_id: str = ""
    certificate_pem: str = ""


class Hub(Protocol):
    name: str

    def send(self, package: bytes, *, kind: str, sender: str, recipient: str) -> str:
        """Hand a package over for one recipient; the hub's message id."""

    def list_received(self, organ_id: str) -> list[Received]:
        """Messages waiting for ``organ_id`` (not yet marked done)."""

    def fetch(self, organ_id: str, message_id: str) -> bytes:
        """One waiting message's package."""

    def update_status(self, organ_id: str, message_id: str, status: str) -> None:
        """Mark a fetched message ``done`` (registered) or ``fail`` (refused as invalid)."""

    def directory(self) -> list[DirectoryEntry]:
        """The organisations reachable through this hub."""
