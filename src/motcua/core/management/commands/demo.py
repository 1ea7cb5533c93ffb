from django.core.management.base import BaseCommand

from motcua.core import demo


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu minh họa Cần Thơ 2021 (cơ quan, thủ tục, người dùng, hồ sơ). "
        "Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--feedback",
            type=int,
            default=5492,
            help="Số phản ánh, kiến nghị 1022 minh họa (5.492 như bản tin 9 tháng 2021).",
        )
        parser.add_argument(
            "--dossiers",
            type=int,
            default=300,
            help="Số hồ sơ minh họa (chỉ tạo khi chưa có hồ sơ nào).",
        )

    def handle(self, *args, dossiers: int, feedback: int, **options) -> None:
        log = self.stdout.write
        demo.load_reference_data(log)
        users = demo.load_users(log)
        demo.load_dossiers(dossiers, log)
        demo.load_feedback(feedback, log)
        log("")
        log(f"Đăng nhập demo (mật khẩu chung: {demo.DEMO_PASSWORD}):")
        log("  admin                — quản trị hệ thống: http://127.0.0.1:8000/admin/")
        for spec in users:
            role = spec.role.label if spec.role else "Công dân (cổng dịch vụ công)"
            log(f"  {spec.username:<20} — {role}")
