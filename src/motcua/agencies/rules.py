"""Pure rules for agency identifiers (no ORM): demo codes and official GSO codes."""

from __future__ import annotations

import re

# GSO administrative-unit codes: 2 digits for a province, 3 for a district, 5 for a commune.
_GSO_DIGITS = {"province": 2, "district": 3, "commune": 5}

# department-level units take k = 01–20 and districts d = 21–… in the level-2 segment
DEPARTMENT_SLOTS = range(1, 21)
DISTRICT_SLOTS = range(21, 100)
COMMUNE_SLOTS = range(1, 100)

# a district's demo code: 000.00.dd.H13 → dd becomes its communes' level-2 segment
_DISTRICT_CODE = re.compile(r"^000\.00\.(\d\d)\.([A-Z]\d\d)$")


def official_gso_code(level: str, ref: str) -> str:
    """``ref`` when it is an official GSO code for ``level`` (e.g. "916" for a district), else "".

    Local mnemonics such as ``92.SNV`` and departments' references are never official.
    """
    digits = _GSO_DIGITS.get(level)
    if digits and len(ref) == digits and ref.isdigit():
        return ref
    return ""


def province_demo_code(province: str) -> str:
    return f"000.00.00.{province}"


def department_demo_code(province: str, k: int) -> str:
    if k not in DEPARTMENT_SLOTS:
        raise ValueError(f"Quy ước mã minh họa chỉ có 20 đơn vị cấp sở (đơn vị thứ {k}).")
    return f"000.00.{k:02d}.{province}"


def district_demo_code(province: str, d: int) -> str:
    if d not in DISTRICT_SLOTS:
        raise ValueError(f"Quy ước mã minh họa chỉ có 79 đơn vị cấp huyện (số {d}).")
    return f"000.00.{d:02d}.{province}"


def commune_demo_code(district_code: str, c: int) -> str:
    """``000.cc.dd.H13`` from the district's own demo code ``000.00.dd.H13``."""
    match = _DISTRICT_CODE.match(district_code)
    if not match:
        raise ValueError(
            f"Không gán được mã minh họa: cấp trên {district_code!r} "
            "không có mã dạng 000.00.dd.Hnn."
        )
    if c not in COMMUNE_SLOTS:
        raise ValueError(f"Quy ước mã minh họa chỉ có 99 đơn vị cấp xã trong một huyện (số {c}).")
    return f"000.{c:02d}.{match[1]}.{match[2]}"
