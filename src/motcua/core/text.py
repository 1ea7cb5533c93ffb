"""The one accent-insensitive search normaliser used everywhere.

"Giấy phép xây dựng", "GIAY PHEP XAY DUNG" and "giay  phep xay dung" all normalise to
"giay phep xay dung", so a citizen typing without diacritics finds what they mean, on SQLite
and PostgreSQL alike (the normalised copy is stored beside the text).
"""

from __future__ import annotations

import re
import unicodedata

# đ/Đ are letters of their own, not d + a combining mark, so NFD leaves them alone
_D_TABLE = str.maketrans({"đ": "d", "Đ": "d"})
_SPACES = re.compile(r"\s+")


def normalize_search(text: str | None) -> str:
    """Lower case, Vietnamese diacritics removed, đ→d, runs of whitespace collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
