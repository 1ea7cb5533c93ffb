"""Pure rules of the certificate register (no ORM, no clock).

- Kinds, devices and the stored statuses of a certificate (chứng thư số).
- "Expired" is shown when the validity has ended even if the stored status still says active:
  the register cannot go stale waiting for someone to mark it (``effective_status``).
- Status transitions: a table. Revoked and returned are final; an expired certificate may be
  renewed (the issuer extends the same serial) and so become active again.
- Serial numbers are compared in one spelling: lowercase hex, no separators, no leading zeros
  (issuers print "54 03 F2…", "5403f2…" or "0x5403F2…" for the same serial).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_SERIAL_HEX = 64  # RFC 5280 caps serials at 20 octets (40 hex digits); leave room
MAX_TEXT = 255
MAX_NOTES = 2000
MAX_DN = 1000
MAX_CERT_BYTES = 64 * 1024  # one certificate, PEM or DER: a few kilobytes


class CertificateError(Exception):
    """A refused write: a Vietnamese message and the fields it concerns."""

    def __init__(self, message: str, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message, self.fields = message, fields


class Kind(models.TextChoices):
    ORGANISATION = "organisation", gettext_lazy("Tổ chức")
    PERSONAL = "personal", gettext_lazy("Cá nhân")


class Device(models.TextChoices):
    USB_TOKEN = "usb_token", gettext_lazy("USB token")
    HSM = "hsm", gettext_lazy("HSM")
    REMOTE = "remote", gettext_lazy("Ký số từ xa")
    FILE = "file", gettext_lazy("Tệp khóa")


class Status(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Đang hoạt động")
    REVOKED = "revoked", gettext_lazy("Đã thu hồi")
    EXPIRED = "expired", gettext_lazy("Hết hạn")
    RETURNED = "returned", gettext_lazy("Đã nộp lại")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.ACTIVE: frozenset({Status.REVOKED, Status.RETURNED, Status.EXPIRED}),
    Status.EXPIRED: frozenset({Status.ACTIVE, Status.REVOKED, Status.RETURNED}),
    Status.REVOKED: frozenset(),
    Status.RETURNED: frozenset(),
}


def can_move(old: str, new: str) -> bool:
    return old == new or new in TRANSITIONS.get(old, frozenset())


def check_move(old: str, new: str) -> None:
    if not can_move(old, new):
        raise CertificateError(
            _("Không thể chuyển trạng thái từ “%(a)s” sang “%(b)s”.")
            % {"a": Status(old).label, "b": Status(new).label},
            ("status",),
        )


def effective_status(status: str, valid_to: dt.date, today: dt.date) -> str:
    """What the register shows on ``today``: an active certificate past its end is expired."""
    if status == Status.ACTIVE and valid_to < today:
        return Status.EXPIRED
    return status


def active_on(
    day: dt.date,
    valid_from: dt.date,
    valid_to: dt.date,
    revoked_on: dt.date | None,
    returned_on: dt.date | None,
) -> bool:
    """Whether a certificate could sign on ``day`` (the figures' "đang hoạt động"): inside its
    validity, and neither revoked nor returned on or before that day."""
    if not valid_from <= day <= valid_to:
        return False
    return not any(d is not None and d <= day for d in (revoked_on, returned_on))


_SEPARATORS = re.compile(r"[\s:._-]+")
_HEX = re.compile(r"^[0-9a-f]+$")


def normalize_serial(raw: object) -> str:
    """``"54 03:F2"`` → ``"5403f2"``; CertificateError when it is not a hex number."""
    text = _SEPARATORS.sub("", str(raw).strip().lower())
    if text.startswith("0x"):
        text = text[2:]
    if not text or not _HEX.match(text):
        raise CertificateError(
            _("Số hiệu chứng thư phải là số hệ thập lục phân (0-9, A-F)."), ("serial",)
        )
    text = text.lstrip("0") or "0"
    if len(text) > MAX_SERIAL_HEX:
        raise CertificateError(
            _("Số hiệu chứng thư dài tối đa %(n)d chữ số hệ thập lục phân.")
            % {"n": MAX_SERIAL_HEX},
            ("serial",),
        )
    return text


def check_validity(valid_from: dt.date, valid_to: dt.date) -> None:
    if valid_to < valid_from:
        raise CertificateError(_("Ngày hết hạn phải sau ngày bắt đầu hiệu lực."), ("valid_to",))


def format_serial(serial: str) -> str:
    """How pages print a serial: uppercase, in pairs of digits (as on the issuer's lists)."""
    text = serial.upper()
    if len(text) % 2:
        text = "0" + text
    return " ".join(text[i : i + 2] for i in range(0, len(text), 2))
