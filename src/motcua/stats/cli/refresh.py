"""``motcua stats refresh``: apply the dossiers changed since the last refresh."""

from __future__ import annotations

from motcua.stats import services

NAME = "refresh"
HELP = "Cập nhật số liệu thống kê của các hồ sơ vừa thay đổi"


def add_arguments(parser) -> None:
    pass


def run(options: dict, stdout) -> None:
    n = services.refresh()
    stdout.write(f"Đã cập nhật số liệu của {n} hồ sơ.")
