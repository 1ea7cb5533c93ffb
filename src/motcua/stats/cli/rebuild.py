"""``motcua stats rebuild``: recompute every statistics table from the raw records."""

from __future__ import annotations

import time

from motcua.stats import services

NAME = "rebuild"
HELP = "Tính lại toàn bộ số liệu thống kê từ hồ sơ gốc"


def add_arguments(parser) -> None:
    pass


def run(options: dict, stdout) -> None:
    started = time.monotonic()
    n = services.rebuild()
    stdout.write(f"Đã tính lại số liệu của {n} hồ sơ trong {time.monotonic() - started:.1f} s.")
