"""``motcua backup --output DIR_OR_FILE``: the database and MEDIA_ROOT in one verified archive
(see ``motcua.core.backup`` and docs/deployment.md, "Backup and restore")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from motcua.core.backup import BackupError, backup
from motcua.core.management.base import OneShotCommand


class Command(OneShotCommand):
    help = (
        "Back up the database (pg_dump -Fc, or SQLite's online backup) and every file under "
        "MEDIA_ROOT into one .tar archive with a checksummed manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            required=True,
            help="archive file to create, or a directory (the name is motcua-backup-<UTC>.tar)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(options["output"])  # a string: a trailing "/" means a directory
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = result.manifest["files"]
        self.stdout.write(
            f"{result.path}  ({result.manifest['database']['vendor']}, "
            f"{len(files) - 1} media files, {sum(f['size'] for f in files.values())} bytes)"
        )
