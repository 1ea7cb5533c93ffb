"""Exchange hubs: where packages go to and come from.

``base.Hub`` is the adapter interface (send, list received, fetch, update status, agency
directory). ``builtin.BuiltinHub`` carries packages between motcua's own agencies in its
database; ``axis.AxisHub`` talks HTTP to a national document axis. ``for_organ`` picks one for
a recipient: motcua's own agencies through the built-in hub, anyone else through the axis when
one is configured.
"""

from __future__ import annotations

from django.conf import settings

from motcua.agencies.models import Agency

from .base import DirectoryEntry, Hub, HubError, HubRejected, Received, TransientHubError

__all__ = [
    "DirectoryEntry",
    "Hub",
    "HubError",
    "HubRejected",
    "Received",
    "TransientHubError",
    "axis_hub",
    "builtin_hub",
    "for_organ",
]


def builtin_hub() -> Hub:
    from .builtin import BuiltinHub

    return BuiltinHub()


def axis_hub() -> Hub | None:
    if not settings.MOTCUA_EDOC_AXIS_URL:
        return None
    from .axis import AxisHub

    return AxisHub(
        settings.MOTCUA_EDOC_AXIS_URL,
        system_id=settings.MOTCUA_EDOC_AXIS_SYSTEM_ID,
        secret=settings.MOTCUA_EDOC_AXIS_SECRET,
        timeout=settings.MOTCUA_EDOC_AXIS_TIMEOUT,
        retries=settings.MOTCUA_EDOC_AXIS_RETRIES,
        backoff=settings.MOTCUA_EDOC_AXIS_BACKOFF,
    )


def is_local(organ_id: str) -> bool:
    return Agency.objects.filter(edxml_organ_id=organ_id).exists()


def for_organ(organ_id: str) -> Hub:
    if is_local(organ_id):
        return builtin_hub()
    hub = axis_hub()
    if hub is None:
        raise HubRejected(
            f"Cơ quan {organ_id} không thuộc hệ thống và chưa cấu hình trục liên thông "
            "(EDOC_AXIS_URL)."
        )
    return hub
