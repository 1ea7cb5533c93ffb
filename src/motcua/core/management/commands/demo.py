import fcntl
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from motcua.core import demo


def history_lock_path() -> Path:
    """One lock per database (var/demo-<hash>.lock): a test run beside `make run` has its own."""
    db = connection.settings_dict
    key = f"{connection.vendor}:{db.get('HOST')}:{db.get('PORT')}:{db['NAME']}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return Path(settings.MEDIA_ROOT).parent / f"demo-{digest}.lock"


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu minh họa Cần Thơ 2021 (cơ quan, thủ tục, người dùng, hồ sơ, phản ánh 1022). "
        "Chạy lại không tạo trùng; lần nạp bị ngắt sẽ được nạp tiếp."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--part",
            choices=demo.PARTS,
            default="all",
            help=(
                "reference: cơ quan, thủ tục, người dùng (nhanh, cần trước khi phục vụ); "
                "history: hồ sơ và phản ánh năm 2021 (có thể nạp khi máy chủ đã chạy); "
                "all: cả hai (mặc định)."
            ),
        )
        parser.add_argument(
            "--bulletin-2021",
            action="store_true",
            dest="bulletin_2021",
            help=(
                "Nạp thêm bộ dữ liệu của bản tin CCHC 9 tháng 2021 (1.915 thủ tục, 38.699 lượt "
                "đánh giá, …; docs/bulletin.md). Không thuộc `make run`."
            ),
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Chạy migrate trước (make run: một tiến trình thay vì hai).",
        )
        parser.add_argument(
            "--feedback",
            type=int,
            default=None,
            help="Số phản ánh, kiến nghị 1022 minh họa (mặc định 5.492 như bản tin 9 tháng 2021).",
        )
        parser.add_argument(
            "--dossiers",
            type=int,
            default=None,
            help="Số hồ sơ minh họa (mặc định 300).",
        )

    def handle(self, *args, part: str, dossiers: int | None, feedback: int | None, **kw) -> None:
        if kw["migrate"]:
            call_command("migrate", interactive=False, verbosity=kw["verbosity"])
        if kw["bulletin_2021"]:
            part = "bulletin-2021"
        sizes = {k: v for k, v in (("dossiers", dossiers), ("feedback", feedback)) if v is not None}
        run = demo.DemoRun(log=self.stdout.write, sizes=sizes)
        if part == "reference":  # idempotent and read-mostly: safe beside a history load
            demo.load(run, part)
            return
        # one history loader at a time (make run starts one in the background)
        lock_path = history_lock_path()
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.stdout.write("Một tiến trình khác đang nạp dữ liệu minh họa; bỏ qua.")
                return
            demo.load(run, part)
