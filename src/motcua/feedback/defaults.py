"""The default category tree (migration 0002 creates it; this restores it when missing)."""

from __future__ import annotations

from motcua.feedback.models import Category

DEFAULT_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("urban-order", "Trật tự đô thị", "Urban order"),
    ("environment", "Môi trường, vệ sinh", "Environment and sanitation"),
    ("traffic", "Giao thông", "Traffic"),
    ("infrastructure", "Hạ tầng kỹ thuật", "Technical infrastructure"),
    ("administrative-procedures", "Thủ tục hành chính", "Administrative procedures"),
    ("officials-conduct", "Thái độ, hành vi của cán bộ, công chức", "Conduct of officials"),
    ("other", "Khác", "Other"),
)


def ensure_default_categories() -> None:
    for position, (code, name, name_en) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(
            code=code, defaults={"name_vi": name, "name_en": name_en, "position": position}
        )
