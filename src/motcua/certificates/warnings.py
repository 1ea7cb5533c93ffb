"""Expiry warnings to certificate holders, through the background jobs (``motcua.jobs``).

``warn_expiring(within_days, today)`` queues one e-mail per certificate that expires within
``within_days`` days and is linked to an officer account with an e-mail address. The
idempotency key names the certificate and the end of its validity: running the warning
every day (``motcua certificates expiring --notify``, from cron or the scheduler) warns each
holder once per validity; a renewal (a later end) warns again when the new end nears.
The mail is sent by the worker, retried with backoff by the jobs engine if the server fails.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from motcua.certificates import queries
from motcua.certificates.models import Certificate
from motcua.certificates.rules import Status
from motcua.core.audit import record_change
from motcua.jobs import enqueue_on_commit


def key(certificate: Certificate) -> str:
    return f"certificates.expiry:{certificate.pk}:{certificate.valid_to.isoformat()}"


@transaction.atomic
def warn_expiring(within_days: int, *, today: dt.date, certificates=None) -> int:
    """Queue the warnings (after commit); returns how many certificates were considered
    (those with a holder's e-mail). A certificate already warned for this end is skipped by
    the jobs engine's idempotency key."""
    rows = queries.expiring(within_days, today=today, certificates=certificates)
    rows = rows.filter(user__isnull=False).exclude(user__email="").select_related("user")
    count = 0
    for certificate in rows:
        enqueue_on_commit(
            send_expiry_warning,
            certificate.pk,
            certificate.valid_to.isoformat(),
            idempotency_key=key(certificate),
        )
        count += 1
    return count


@task()
def send_expiry_warning(certificate_id: int, valid_to: str) -> None:
    """Mail the holder (Vietnamese: the officials' language); a certificate revoked, returned
    or renewed since the warning was queued gets no mail."""
    cert = Certificate.objects.select_related("user", "agency").filter(pk=certificate_id).first()
    if (
        cert is None
        or cert.user is None
        or not cert.user.email
        or cert.status != Status.ACTIVE
        or cert.valid_to.isoformat() != valid_to
    ):
        return
    with translation.override("vi"):
        subject = _("Chứng thư số sắp hết hạn ngày %(d)s") % {"d": f"{cert.valid_to:%d/%m/%Y}"}
        body = _(
            "Kính gửi %(name)s,\n\nChứng thư số %(serial)s (%(issuer)s) của %(holder)s, "
            "%(agency)s, hết hiệu lực ngày %(d)s. Đề nghị liên hệ cơ quan quản lý chứng thư số "
            "để gia hạn hoặc cấp mới trước ngày này.\n\nHệ thống một cửa điện tử"
        ) % {
            "name": cert.user.display_name(),
            "serial": cert.serial_display,
            "issuer": cert.issuer,
            "holder": cert.holder_name,
            "agency": cert.agency.name_vi,
            "d": f"{cert.valid_to:%d/%m/%Y}",
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [cert.user.email])
    record_change(
        "certificate.warning",
        cert,
        f"Gửi thư báo sắp hết hạn tới {cert.user.email}",
        data={"valid_to": cert.valid_to.isoformat()},
    )
