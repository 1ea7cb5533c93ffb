"""``motcua certificates import FILE [--dry-run] [--issuer NAME]``,
``motcua certificates expiring [--days 30] [--agency CODE] [--format table|json] [--notify]``
and
``motcua certificates export FILE [--agency CODE]``. Errors are Vietnamese, exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from motcua.certificates.queries import MAX_WITHIN_DAYS
from motcua.core.management.base import OneShotCommand

MAX_SHOWN = 200


class Command(OneShotCommand):
    help = "Sổ chứng thư số: nhập danh sách của tổ chức cấp, liệt kê chứng thư sắp hết hạn."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập danh sách chứng thư số (.xlsx)")
        imp.add_argument("path")
        imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        imp.add_argument("--issuer", default="", help="tổ chức cấp, khi tệp không có cột này")
        exp = sub.add_parser("expiring", help="Chứng thư số sắp hết hạn")
        exp.add_argument("--days", default="30", help="trong bao nhiêu ngày tới (mặc định 30)")
        exp.add_argument("--agency", default="", help="mã cơ quan (cả các đơn vị trực thuộc)")
        exp.add_argument("--format", choices=("table", "json"), default="table")
        exp.add_argument(
            "--notify",
            action="store_true",
            help="gửi thư báo cho chủ thể có tài khoản (mỗi chứng thư một lần cho mỗi hạn)",
        )
        out = sub.add_parser("export", help="Xuất sổ chứng thư số ra Excel")
        out.add_argument("path")
        out.add_argument("--agency", default="")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(options)

    def _agency(self, code: str):
        from motcua.agencies.models import Agency

        if not code:
            return None
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(f"Không có cơ quan mã “{code[:40]}”.", returncode=2)
        return agency

    def _import(self, options: dict) -> None:
        from motcua.certificates.excel import ImportFailed, import_bytes
        from motcua.certificates.rules import CertificateError

        target = Path(options["path"])
        if not target.is_file():
            raise CommandError(f"Không tìm thấy tệp: {target}", returncode=2)
        try:
            result = import_bytes(
                target.read_bytes(), by=None, issuer=options["issuer"], dry_run=options["dry_run"]
            )
        except ImportFailed as exc:
            lines = [str(p) for p in exc.problems[:MAX_SHOWN]]
            if len(exc.problems) > MAX_SHOWN:
                lines.append(f"… và {len(exc.problems) - MAX_SHOWN} lỗi khác.")
            raise CommandError(
                f"Tệp có {len(exc.problems)} lỗi; chưa có dữ liệu nào được ghi:\n"
                + "\n".join(lines),
                returncode=2,
            ) from exc
        except CertificateError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        for column in result.ignored_columns:
            self.stderr.write(f"Lưu ý: bỏ qua cột không nhận biết “{column}”.")
        if result.dry_run:
            self.stdout.write(
                f"Kiểm tra xong (không ghi): {result.rows} dòng hợp lệ — {result.created} "
                f"chứng thư mới, {result.updated} đã có trong sổ."
            )
        else:
            self.stdout.write(
                f"Đã nhập {result.rows} dòng: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi."
            )

    def _expiring(self, options: dict) -> None:
        from motcua.certificates import queries
        from motcua.certificates.models import Certificate

        text = str(options["days"]).strip()
        if not text.isdigit() or int(text) > MAX_WITHIN_DAYS:
            raise CommandError(
                f"--days phải là số nguyên từ 0 đến {MAX_WITHIN_DAYS}.", returncode=2
            )
        agency = self._agency(options["agency"])
        rows = Certificate.objects.select_related("agency")
        if agency is not None:
            rows = queries.in_subtree(rows, agency)
        today = timezone.localdate()
        found = list(queries.expiring(int(text), today=today, certificates=rows))
        if options["notify"]:
            from motcua.certificates.warnings import warn_expiring

            queued = warn_expiring(int(text), today=today, certificates=rows)
            self.stderr.write(f"Đã xếp hàng thư báo cho {queued} chủ thể có địa chỉ thư.")
        if options["format"] == "json":
            items = [
                {
                    "id": c.pk,
                    "kind": c.kind,
                    "holder": c.holder_name,
                    "position": c.holder_position,
                    "agency": c.agency.code,
                    "serial": c.serial,
                    "issuer": c.issuer,
                    "valid_to": c.valid_to.isoformat(),
                    "days_left": (c.valid_to - today).days,
                    "token_serial": c.token_serial,
                }
                for c in found
            ]
            self.stdout.write(
                json.dumps(
                    {"today": today.isoformat(), "days": int(text), "certificates": items},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        if not found:
            self.stdout.write(f"Không có chứng thư số nào hết hạn trong {int(text)} ngày tới.")
            return
        self.stdout.write(f"{'Hết hạn':<10}  {'Còn':>4}  {'Số hiệu':<24}  Chủ thể — Cơ quan")
        for c in found:
            self.stdout.write(
                f"{c.valid_to:%d/%m/%Y}  {(c.valid_to - today).days:>4}  {c.serial[:24]:<24}  "
                f"{c.holder_name} — {c.agency.name_vi}"
            )
        self.stdout.write(f"{len(found)} chứng thư số hết hạn trong {int(text)} ngày tới.")

    def _export(self, options: dict) -> None:
        from motcua.certificates import excel, queries
        from motcua.certificates.models import Certificate

        agency = self._agency(options["agency"])
        rows = Certificate.objects.all()
        if agency is not None:
            rows = queries.in_subtree(rows, agency)
        Path(options["path"]).write_bytes(excel.export(rows.order_by("agency__path", "pk")))
        self.stdout.write(f"Đã xuất {rows.count()} chứng thư số ra {options['path']}.")
