"""Subcommands of ``motcua stats``: each module exposes NAME, HELP, add_arguments(parser) and
run(options, stdout) (docs/statistics.md, "The motcua stats command")."""

from __future__ import annotations

from motcua.stats.cli import index766, rebuild, refresh

SUBCOMMANDS = [index766, rebuild, refresh]
