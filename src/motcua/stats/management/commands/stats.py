"""``motcua stats SUBCOMMAND``: statistics from the shell (subcommands in ``stats.cli``).

Bad input (unknown agency code, bad dates) prints a Vietnamese message and exits with 2."""

from __future__ import annotations

from django.core.management.base import CommandParser

from motcua.core.management.base import OneShotCommand
from motcua.stats.cli import SUBCOMMANDS


class Command(OneShotCommand):
    help = "Thống kê: chỉ số 766, tính lại, cập nhật số liệu"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, parser_class=CommandParser)
        for module in SUBCOMMANDS:
            p = sub.add_parser(module.NAME, help=module.HELP)
            module.add_arguments(p)

    def handle(self, *args, **options) -> None:
        module = next(m for m in SUBCOMMANDS if options["subcommand"] == m.NAME)
        module.run(options, self.stdout)
