"""The default category tree (migration 0002 creates it; this restores it when missing)."""

from __future__ import annotations

from motcua.feedback.models import Category

DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("urban-order", "Trật tự đô thị"),
    ("environment", "Môi trường, vệ sinh"),
    ("traffic", "Giao thông"),
    ("infrastructure", "Hạ tầng kỹ thuật"),
    ("administrative-procedures", "Thủ tục hành chính"),
    ("officials-conduct", "Thái độ, hành vi của cán bộ, công chức"),
    ("other", "Khác"),
)


def ensure_default_categories() -> None:
    for position, (code, name) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name_vi": name, "position": position})
