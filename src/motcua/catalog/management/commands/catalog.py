"""``motcua catalog import FILE`` / ``motcua catalog export FILE``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser

from motcua.catalog.exporters import export_catalog_csv, export_catalog_xlsx
from motcua.catalog.importers import import_file
from motcua.catalog.records import CatalogImportError
from motcua.core.management.base import OneShotCommand


class Command(OneShotCommand):
    help = (
        "Import or export the procedure catalog. import FILE: .xlsx workbook, a directory of "
        "CSVs, a round-trip CSV, or the 2021 reference CSV (recognised by its header). "
        "export FILE.xlsx | DIRECTORY: a workbook, or one CSV per table in DIRECTORY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("import", help="Nhập danh mục từ tệp").add_argument("path")
        sub.add_parser("export", help="Xuất danh mục ra tệp").add_argument("path")

    def handle(self, *args, action: str, path: str, **options) -> None:
        target = Path(path)
        if action == "import":
            if not target.exists():
                raise CommandError(f"Không tìm thấy tệp hoặc thư mục: {target}")
            try:
                result = import_file(target)
            except CatalogImportError as exc:
                raise CommandError(
                    "Không nhập được; chưa có dữ liệu nào được ghi:\n" + "\n".join(exc.errors)
                ) from exc
            self.stdout.write(
                f"Thủ tục: {result.created} thêm mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi. Quy trình: {result.workflows_created} thêm mới, "
                f"{result.workflows_updated} cập nhật."
            )
            for warning in result.warnings:
                self.stderr.write(f"Lưu ý: {warning}")
        elif target.suffix.lower() == ".xlsx":
            export_catalog_xlsx(target)
            self.stdout.write(f"Đã xuất danh mục ra {target}")
        elif target.suffix.lower() == ".csv":
            raise CommandError(
                "Xuất CSV cần một thư mục (mỗi bảng một tệp), ví dụ: motcua catalog export "
                "danh-muc/"
            )
        else:
            files = export_catalog_csv(target)
            self.stdout.write(f"Đã xuất {len(files)} tệp CSV vào {target}")
