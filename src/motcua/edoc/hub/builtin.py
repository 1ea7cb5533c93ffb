"""The built-in hub: packages between motcua's own agencies, kept in the database
(``HubMessage``). Sending is an insert in the caller's transaction, so a document and its
package reach the mailbox together or not at all."""

from __future__ import annotations

from motcua.agencies.models import Agency
from motcua.edoc.models import ExchangeKey, HubMessage

from .base import DirectoryEntry, HubRejected, Received


class BuiltinHub:
    name = "builtin"

    def send(self, package: bytes, *, kind: str, sender: str, recipient: str) -> str:
        if not Agency.objects.filter(edxml_organ_id=recipient).exists():
            raise HubRejected(f"Không có cơ quan {recipient} trong hệ thống.")
        message = HubMessage.objects.create(
            kind=kind, sender=sender, recipient=recipient, package=package
        )
        return str(message.message_id)

    def list_received(self, organ_id: str) -> list[Received]:
        return [
            Received(str(m.message_id), m.kind, m.sender)
            for m in HubMessage.objects.filter(
                recipient=organ_id, state=HubMessage.State.PENDING
            ).only("message_id", "kind", "sender")
        ]

    def _message(self, organ_id: str, message_id: str) -> HubMessage:
        message = HubMessage.objects.filter(recipient=organ_id, message_id=message_id).first()
        if message is None:
            raise HubRejected(f"Không có gói tin {message_id} cho {organ_id}.")
        return message

    def fetch(self, organ_id: str, message_id: str) -> bytes:
        return bytes(self._message(organ_id, message_id).package)

    def update_status(self, organ_id: str, message_id: str, status: str) -> None:
        if status not in (HubMessage.State.DONE, HubMessage.State.FAIL):
            raise HubRejected(f"Trạng thái {status!r} không hợp lệ.")
        HubMessage.objects.filter(recipient=organ_id, message_id=message_id).update(state=status)

    def directory(self) -> list[DirectoryEntry]:
        certificates = dict(
            ExchangeKey.objects.values_list("agency__edxml_organ_id", "certificate_pem")
        )
        return [
            DirectoryEntry(organ_id, name, parent or "", certificates.get(organ_id, ""))
            for organ_id, name, parent in Agency.objects.exclude(edxml_organ_id="")
            .order_by("path")
            .values_list("edxml_organ_id", "name_vi", "parent__edxml_organ_id")
        ]
