"""The base of an operator's one-shot commands (``motcua media check``, ``motcua backup``…)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class OneShotCommand(BaseCommand):
    """A command run from a shell or cron, which does its job and exits: without Django's
    system checks first.

    The checks import the URL configuration and build the REST API's schema: 1.7 s of the
    2.8 s a ``motcua media check`` took (30/11/2026), on every run, for nothing such a
    command uses. They still run where a misconfiguration must stop a deployment:
    ``motcua migrate`` and ``motcua check --deploy`` (docs/deployment.md), and the long-running
    ``motcua worker`` and ``motcua scheduler``, which are not one-shot commands."""

    requires_system_checks: list[str] = []
