"""``motcua sign verify FILE.pdf [--format json|table] [--trust ROOT.pem]``.

Signer, certificate chain and its validity, signing time and timestamp, integrity
(``intact``/``modified``), revocation status, and the dossier and result the file matches in
motcua. Exit status 0 only when every signature is valid and the file intact; 1 when it is
not; 2 when the file cannot be read or is not a PDF.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from motcua.core.management.base import OneShotCommand
from motcua.signatures import keystores, queries
from motcua.signatures.verify import NotAPdf, Report


class Command(OneShotCommand):
    help = "Chữ ký số: xác thực tệp PDF đã ký (docs/signatures.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
        verify = sub.add_parser("verify", help="Xác thực chữ ký số của một tệp PDF.")
        verify.add_argument("file", help="Tệp PDF.")
        verify.add_argument("--format", choices=("table", "json"), default="table")
        verify.add_argument(
            "--trust",
            action="append",
            default=[],
            metavar="ROOT.pem",
            help="Chứng thư gốc tin cậy thêm vào SIGN_TRUST_ROOTS (có thể lặp lại).",
        )

    def handle(self, *args, **options) -> None:
        try:
            data = Path(options["file"]).read_bytes()
            roots = [
                c for p in options["trust"] for c in keystores.load_certs(Path(p).read_bytes())
            ]
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp: {exc}", returncode=2) from None
        except ValueError as exc:
            raise CommandError(f"Chứng thư gốc không hợp lệ: {exc}", returncode=2) from None
        try:
            report = queries.verify_upload(data, roots)
        except NotAPdf:
            raise CommandError("Tệp không phải là tệp PDF (hoặc rỗng).", returncode=2) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._table(report)
        if not report.ok:
            raise CommandError("INVALID: chữ ký không hợp lệ hoặc tệp đã bị sửa đổi.", returncode=1)

    def _table(self, r: Report) -> None:
        w = self.stdout.write
        w(f"file      sha256 {r.sha256}  {r.size} B")
        w(f"result    {'VALID' if r.ok else 'INVALID'}  integrity: {r.integrity}")
        if r.error:
            w(f"error     {r.error}")
        if r.record:
            rec = r.record
            what = rec["code"] if rec.get("kind") != "form" else f"form {rec['code']}"
            w(
                f"record    {what}  dossier {rec['dossier']}  {rec['agency']}  "
                f"signed {rec['signed_at']}  matches: {'yes' if rec['matches'] else 'NO'}"
            )
        else:
            w("record    (no result or form issued by motcua has these bytes)")
        if not r.signatures:
            w("signatures: none")
        for i, s in enumerate(r.signatures, start=1):
            w(f"signature {i} [{s.field}] {'OK' if s.ok else 'NOT OK'}  {s.level}")
            w(f"  signer      {s.signer}  (serial {s.serial})")
            if s.register:
                w(f"  register    {s.register['status']}  {s.register['holder']}")
            w(f"  chain       {' -> '.join(s.chain) or '-'}")
            w(
                f"  valid       signature: {'yes' if s.valid else 'no'}  intact: "
                f"{'yes' if s.intact else 'no'}  trusted: {'yes' if s.trusted else 'no'}"
            )
            w(f"  signed at   {s.signing_time or '-'} (claimed)")
            w(
                f"  timestamp   {s.timestamp or '-'}"
                f"{' (trusted TSA)' if s.timestamp_trusted else ''}"
            )
            w(f"  revocation  {s.revocation}")
            w(f"  changes     coverage {s.coverage}, after signing: {s.modification}")
            for e in s.errors:
                w(f"  problem     {e}")
