"""Pure rules for what an agency's letters print (Decree 30/2020/NĐ-CP, Appendix I): the place
in the date line, the abbreviation in the document symbol and the signer's authority marks.

No ORM here: callers pass names and levels, so the rules are tested as plain functions.
"""

from __future__ import annotations

import re
import unicodedata

PEOPLES_COMMITTEE = "Ủy ban nhân dân"
# Unit kinds that prefix an administrative unit's name ("phường Cái Khế", "quận Ninh Kiều").
_UNIT_KINDS = (
    "thành phố",
    "thị trấn",
    "thị xã",
    "phường",
    "quận",
    "huyện",
    "tỉnh",
    "xã",
    "đặc khu",
)
_UNIT_PREFIX = re.compile(
    r"^(?:" + "|".join(re.escape(k) for k in _UNIT_KINDS) + r")\s+(?P<rest>.+)$", re.IGNORECASE
)
_DEFAULT_HEADS = (
    (PEOPLES_COMMITTEE, "Chủ tịch"),
    ("Sở ", "Giám đốc"),
    ("Trung tâm", "Giám đốc"),
    ("Văn phòng", "Chánh Văn phòng"),
    ("Thanh tra", "Chánh Thanh tra"),
    ("Ban ", "Trưởng ban"),
)
DEFAULT_HEAD_TITLE = "Thủ trưởng cơ quan"
DEFAULT_DESK = "Bộ phận Một cửa"


def _strip_committee(name: str) -> str:
    name = " ".join(name.split())
    if name.lower().startswith(PEOPLES_COMMITTEE.lower() + " "):
        return name[len(PEOPLES_COMMITTEE) + 1 :]
    return name


def place_from_name(name: str) -> str:
    """The place an administrative unit's own name gives ("Ủy ban nhân dân phường Cái Khế" →
    "Cái Khế", "UBND Phường 1" → "Phường 1": a numbered unit keeps its kind), or "" when the
    name is not an administrative unit's (a department: its superior's place applies)."""
    unit = _strip_committee(name)
    match = _UNIT_PREFIX.match(unit)
    if not match:
        return ""
    rest = match.group("rest").strip()
    if rest.isdigit():  # "Phường 1": the number alone is no place name
        kind = unit[: match.start("rest")].strip()
        return f"{kind[:1].upper()}{kind[1:].lower()} {rest}"
    return rest


def _initial(word: str) -> str:
    """A word's first letter in capitals without tone or vowel marks, Đ kept ("Đầu" → "Đ")."""
    first = unicodedata.normalize("NFD", word[0])[0]
    return first.upper()


def symbol_from_name(name: str) -> str:
    """The abbreviation of an agency in document symbols: "UBND" for a People's Committee, else
    the initials of its words, "và" left out ("Sở Kế hoạch và Đầu tư" → "SKHĐT")."""
    if " ".join(name.split()).lower().startswith(PEOPLES_COMMITTEE.lower()):
        return "UBND"
    words = [w for w in re.split(r"[\s,\-–]+", name) if w and w.lower() != "và"]
    return "".join(_initial(w) for w in words if w[0].isalnum()) or "CQ"


def desk_symbol(desk_name: str) -> str:
    """The one-stop unit's abbreviation: "BPMC" for a Bộ phận Một cửa, else its initials."""
    return symbol_from_name(desk_name or DEFAULT_DESK)


def head_title_from_name(name: str) -> str:
    """The head's position an agency's name implies ("Sở …" → "Giám đốc")."""
    unit = " ".join(name.split())
    for prefix, title in _DEFAULT_HEADS:
        if unit.lower().startswith(prefix.lower()):
            return title
    return DEFAULT_HEAD_TITLE


def is_collective(name: str) -> bool:
    """People's Committees decide collectively: their letters are signed "TM. ỦY BAN NHÂN DÂN"."""
    return " ".join(name.split()).lower().startswith(PEOPLES_COMMITTEE.lower())


def signature_lines(*, role: str, position: str, head_title: str, agency_name: str) -> list[str]:
    """The signature block's title lines, in capitals, with the authority marks of Decree 30/2020
    (Appendix I, Part I, §II.7): TM. (on behalf of a collective body), KT. (a deputy signing for
    the head, with the deputy's own position under it), Q. (acting head)."""
    lines = [f"TM. {PEOPLES_COMMITTEE}"] if is_collective(agency_name) else []
    head = head_title or head_title_from_name(agency_name)
    if role == "deputy":
        lines += [f"KT. {head}", position or f"Phó {head.lower()}"]
    elif role == "acting":
        lines += [f"Q. {head}"]
    else:
        lines += [position or head]
    return [line.upper() for line in lines]
