"""``motcua restore ARCHIVE [--force]``: put back what ``motcua backup`` saved, after checking
every checksum; refuses a database with tables or a non-empty MEDIA_ROOT unless ``--force``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from motcua.core.backup import BackupError, restore, verify
from motcua.core.management.base import OneShotCommand


class Command(OneShotCommand):
    help = (
        "Restore a backup archive made by 'motcua backup' into the configured database and "
        "MEDIA_ROOT (checksums verified first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="the .tar archive written by 'motcua backup'")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace an existing database's objects and MEDIA_ROOT's files",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only verify the archive's checksums; change nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["input"])
        try:
            if options["check"]:
                manifest = verify(archive)
            else:
                manifest = restore(archive, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        verb = "verified" if options["check"] else "restored"
        self.stdout.write(
            f"{archive} {verb}: {manifest['database']['vendor']} database of "
            f"{manifest['created_at']} (motcua {manifest['motcua_version']}), "
            f"{len(manifest['files']) - 1} media files"
        )
        if not options["check"]:
            self.stdout.write("Next: motcua migrate (if this code is newer than the backup).")
