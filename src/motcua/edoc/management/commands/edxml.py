"""``motcua edxml build|parse|validate FILE`` (packages) and ``motcua edxml sync`` (the hubs).

- ``build DESCRIPTION.json [--output FILE] [--key KEY.pem --cert CERT.pem | --agency CODE]``:
  a package from a JSON description (edoc/edxml/describe.py), signed with the given key (or the
  agency's stored one), checked against the schema; to stdout unless ``--output``.
- ``parse FILE [--verify CERT.pem]``: the package as JSON (legacy variant accepted).
- ``validate FILE``: ``valid`` and exit 0, or every schema problem on stderr and exit 1.
- ``sync``: refresh the axis directory, send what is undelivered, take what waits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from motcua.core.management.base import OneShotCommand
from motcua.edoc.edxml import describe, package
from motcua.edoc.edxml.errors import EdxmlError
from motcua.edoc.edxml.model import Status
from motcua.edoc.edxml.signing import SigningKey


def _read(path: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}") from None


class Command(OneShotCommand):
    help = "Gói tin edXML (QCVN 102:2016/BTTTT): tạo, đọc, kiểm tra; đồng bộ với trục."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="Tạo gói tin từ mô tả JSON.")
        build.add_argument("file", help="Mô tả JSON, hoặc - (stdin).")
        build.add_argument("--output", "-o", help="Tệp gói tin (mặc định: stdout).")
        build.add_argument("--key", help="Khóa riêng PEM để ký.")
        build.add_argument("--cert", help="Chứng thư số PEM đi với khóa.")
        build.add_argument("--agency", help="Ký bằng khóa đã lưu của cơ quan (mã cơ quan).")
        parse = sub.add_parser("parse", help="Đọc gói tin, in JSON.")
        parse.add_argument("file")
        parse.add_argument("--verify", help="Kiểm tra chữ ký bằng chứng thư số PEM này.")
        validate = sub.add_parser("validate", help="Kiểm tra gói tin theo lược đồ.")
        validate.add_argument("file")
        sub.add_parser("sync", help="Cập nhật danh bạ trục, gửi gói tin chờ, nhận gói tin mới.")

    def handle(self, *args, **options) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except EdxmlError as exc:
            raise CommandError(str(exc)) from None

    def _key(self, options) -> SigningKey | None:
        if options.get("agency"):
            from motcua.agencies.models import Agency
            from motcua.edoc import keys

            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None or not agency.edxml_organ_id:
                raise CommandError(f"Không có cơ quan {options['agency']} có mã trao đổi văn bản.")
            return keys.signing_key(agency)
        if bool(options.get("key")) != bool(options.get("cert")):
            raise CommandError("--key và --cert phải đi cùng nhau.")
        if options.get("key"):
            return SigningKey(_read(options["key"]), _read(options["cert"]))
        return None

    def _build(self, options) -> None:
        raw = _read(options["file"])
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise CommandError(f"Mô tả không phải JSON hợp lệ: {exc}") from None
        base = Path(options["file"]).parent if options["file"] != "-" else Path.cwd()
        item = describe.from_json(data, base)
        key = self._key(options)
        try:
            if isinstance(item, Status):
                built = package.build_status(item, key=key)
            else:
                built = package.build_document(
                    item, key=key, now=timezone.localtime().replace(tzinfo=None)
                )
        except ValueError as exc:
            if isinstance(exc, EdxmlError):
                raise
            raise CommandError(f"Không ký được gói tin: {exc}") from None
        if options.get("output"):
            Path(options["output"]).write_bytes(built)
            self.stderr.write(f"Đã ghi {options['output']} ({len(built)} byte).")
        else:
            self.stdout.write(built.decode("utf-8"), ending="")

    def _parse(self, options) -> None:
        data = _read(options["file"])
        if options.get("verify"):
            item = package.read_verified(data, _read(options["verify"]))
        else:
            item = package.read(data)
        self.stdout.write(json.dumps(describe.to_json(item), ensure_ascii=False, indent=2))

    def _validate(self, options) -> None:
        problems = package.validate(_read(options["file"]))
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"Gói tin không hợp lệ: {len(problems)} lỗi.")
        self.stdout.write("valid")

    def _sync(self, options) -> None:
        from motcua.edoc import hub, services

        axis = hub.axis_hub()
        if axis is not None:
            self.stdout.write(f"Danh bạ trục: {services.sync_directory(axis)} cơ quan")
        self.stdout.write(f"Gửi lại: {services.deliver_pending()} gói tin")
        self.stdout.write(f"Nhận: {services.pull_all()} gói tin")
