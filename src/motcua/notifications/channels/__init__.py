"""Channel adapters: each ``send(notification) -> str`` returns the provider's reply (stored on
the notification), raises ``Permanent`` when retrying cannot help (a number the gateway rejects)
and any other exception when it may (timeouts, 5xx): the job retries those with backoff."""

from __future__ import annotations


class Permanent(Exception):
    """The provider refused the message for good."""


class NotConfigured(Permanent):
    """The channel is off in this deployment."""


def adapter(channel: str):
    from motcua.notifications.channels import email, sms, zalo

    return {"email": email, "sms": sms, "zalo": zalo}[channel]


def enabled(channel: str) -> bool:
    return adapter(channel).enabled()
