"""Expiry warnings e-mailed to the holders through the background jobs: once per certificate
and validity end, only to linked accounts with an address, nothing for revoked ones.

Transactional tests: the jobs are handed to the engine when the transaction commits, and the
database worker that ``drain`` runs closes its connection between tasks (on PostgreSQL a test
wrapped in one transaction would lose it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from motcua.certificates import services
from motcua.certificates.warnings import warn_expiring
from motcua.core.models import ChangeEvent
from motcua.jobs.models import Job
from motcua.jobs.worker import drain
from tests.certificates.conftest import add

pytestmark = pytest.mark.django_db(transaction=True)


def _cert(world, serial, days_left, user=None):
    today = timezone.localdate()
    return add(
        world.justice,
        serial,
        user=user,
        valid_from=today - dt.timedelta(days=400),
        valid_to=today + dt.timedelta(days=days_left),
    )


def test_holders_are_warned_once_per_validity_end(world):
    holder = world.justice_leader
    holder.email = "gd.tuphap@cantho.gov.vn"
    holder.save()
    soon = _cert(world, "a1", 10, user=holder)
    _cert(world, "a2", 10)  # no linked account: nobody to mail
    _cert(world, "a3", 90, user=holder)  # not yet
    revoked = _cert(world, "a4", 5, user=holder)
    today = timezone.localdate()
    assert warn_expiring(30, today=today) == 2
    services.revoke(world.office, revoked.pk, on=today, reason="x")  # before the worker runs
    drain()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["gd.tuphap@cantho.gov.vn"]
    assert "sắp hết hạn" in message.subject and soon.serial_display in message.body
    assert (
        ChangeEvent.objects.filter(action="certificate.warning", object_id=str(soon.pk)).count()
        == 1
    )
    warn_expiring(30, today=today)  # the next day's run
    drain()
    assert len(mail.outbox) == 1
    assert Job.objects.filter(key__startswith="certificates.expiry:").count() == 2


def test_the_cli_queues_the_warnings(world, capsys):
    world.health_officer.email = "yte@cantho.gov.vn"
    world.health_officer.save()
    _cert(world, "b1", 3, user=world.health_officer)
    call_command("certificates", "expiring", "--days", "30", "--notify")
    assert "Đã xếp hàng thư báo cho 1 chủ thể" in capsys.readouterr().err
    drain()
    assert [m.to for m in mail.outbox] == [["yte@cantho.gov.vn"]]
