"""One value of a register field, from whatever a caller holds (a form's cleaned value, an
Excel cell, a string) to its typed, bounded form; ``ValueError`` with a Vietnamese message
otherwise. Pure: agencies and procedures are resolved by the services, not here."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from motcua.core import dateparams
from motcua.core.text import normalize_search
from motcua.registers.registry import BOOL, CHOICE, DATE, DECIMAL, INT, NOTE, TEXT, Field

TRUE = {"x", "co", "1", "yes", "true", "dung", "da thong qua", "co loi"}
FALSE = {"", "0", "khong", "no", "false", "chua"}


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def coerce(field: Field, raw: object) -> object:
    """The typed value of ``raw`` for ``field`` (None for an optional blank)."""
    if field.type == BOOL:
        return _bool(raw)
    if is_blank(raw):
        if field.required:
            raise ValueError(_("bắt buộc nhập"))
        return "" if field.type in (TEXT, NOTE) else None
    if field.type in (TEXT, NOTE):
        return _text(raw, field.max_length)
    if field.type == INT:
        return _int(raw, field.max_value)
    if field.type == DECIMAL:
        return _decimal(raw, field.max_value)
    if field.type == DATE:
        return _date(raw)
    if field.type == CHOICE:
        return _choice(raw, field)
    raise ValueError(_("kiểu dữ liệu không hỗ trợ"))


def _text(raw: object, max_length: int) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    value = str(raw).strip()
    if "\x00" in value:
        raise ValueError(_("chứa ký tự không hợp lệ"))
    if len(value) > max_length:
        raise ValueError(_("quá dài (tối đa %(n)d ký tự)") % {"n": max_length})
    return value


def _int(raw: object, max_value: int) -> int:
    if isinstance(raw, bool):
        raise ValueError(_("phải là số nguyên"))
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ValueError(_("phải là số nguyên"))
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()[:40]
        if re.fullmatch(r"[0-9]{1,3}(?:[.,][0-9]{3})+", text):  # 1.841 (vi) or 1,841 (en)
            text = re.sub(r"[.,]", "", text)
        if not re.fullmatch(r"-?[0-9]{1,15}", text):  # 1,5 is one and a half: refused
            raise ValueError(_("phải là số nguyên"))
        value = int(text)
    if not 0 <= value <= max_value:
        raise ValueError(_("phải từ 0 đến %(max)s") % {"max": f"{max_value:,}".replace(",", ".")})
    return value


def _decimal(raw: object, max_value: int) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(_("phải là một số"))
    text = str(raw).strip().replace(",", ".")
    if len(text) > 30:
        raise ValueError(_("phải là một số"))
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(_("phải là một số")) from None
    if not value.is_finite() or not 0 <= value <= max_value:
        raise ValueError(_("phải từ 0 đến %(max)s") % {"max": f"{max_value:,}".replace(",", ".")})
    return value.quantize(Decimal("0.01"))


def _date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        day = raw
    else:
        text = str(raw).strip()
        day = None
        if len(text) <= 20:
            for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
                try:
                    day = dt.datetime.strptime(text, fmt).date()
                    break
                except ValueError:
                    continue
        if day is None:
            raise ValueError(_("ngày không hợp lệ (ghi NN/TT/NNNN)"))
    try:
        return dateparams.check_date(day)
    except dateparams.DateParamError as exc:
        raise ValueError(exc.message) from None


def _bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw is None:
        return False
    if isinstance(raw, int | float):
        return raw != 0
    text = normalize_search(str(raw)[:40])
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(_("ghi “x” (có) hoặc để trống (không)"))


def _choice(raw: object, field: Field) -> str:
    wanted = normalize_search(str(raw)[:200])
    for choice in field.choices:
        if wanted in (choice.value, normalize_search(str(choice.label))):
            return choice.value
    options = "; ".join(str(c.label) for c in field.choices)
    raise ValueError(_("giá trị không hợp lệ (chọn một trong: %(v)s)") % {"v": options})
