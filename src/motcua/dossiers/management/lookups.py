"""Turn the CLI's words (codes, user names, ISO times) into objects; unknown ones are
``InvalidInput`` with a Vietnamese message, like every other dossier error."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.models import Procedure
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier


def user(username: str) -> User:
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise InvalidInput(f"Không tìm thấy người dùng “{username}”.", fields={"as": "not_found"})
    return found


def agency(code: str) -> Agency:
    found = Agency.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"Không tìm thấy cơ quan có mã {code}.", fields={"agency": "not_found"})
    return found


def procedure(code: str) -> Procedure:
    found = list(Procedure.objects.filter(code=code, is_active=True)[:2])
    if not found:
        raise InvalidInput(
            f"Không tìm thấy thủ tục đang áp dụng có mã {code}.", fields={"procedure": "not_found"}
        )
    if len(found) > 1:
        raise InvalidInput(
            f"Có nhiều thủ tục cùng mã {code}; hãy sửa danh mục trước.",
            fields={"procedure": "ambiguous"},
        )
    return found[0]


def dossier(code: str) -> Dossier:
    found = Dossier.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"Không tìm thấy hồ sơ {code}.", fields={"dossier": "not_found"})
    return found


def moment(text: str, *, what: str = "thời điểm") -> dt.datetime:
    """An ISO date-time; without an offset it is local time (``TIME_ZONE``)."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{what.capitalize()} không hợp lệ: {text!r} (dạng ISO, ví dụ 2025-01-24T09:00).",
            fields={"at": "invalid"},
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return value


def day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"Ngày không hợp lệ: {text!r} (dạng YYYY-MM-DD).", fields={"date": "invalid"}
        ) from None


def fee(text: str) -> tuple[str, int]:
    """``NAME=AMOUNT`` (amount in đồng, digits only; dots and commas as separators allowed)."""
    name, sep, amount = text.rpartition("=")
    digits = amount.replace(".", "").replace(",", "").strip()
    if not sep or not name.strip() or not digits.isdigit():
        raise InvalidInput(
            f"Khoản phí không hợp lệ: {text!r} (dạng TÊN=SỐ_TIỀN, ví dụ “Lệ phí=8000”).",
            fields={"fee": "invalid"},
        )
    return name.strip(), int(digits)
