"""Applicant data checks (pure): chip ID-card number, tax code, phone, e-mail."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from motcua.core.dateparams import DateParamError, check_birth_date

if TYPE_CHECKING:
    from motcua.dossiers.services import ApplicantData

# First three digits of a CCCD: the province of birth registration (001–096, Circular
# 59/2021/TT-BCA Art. 7; 2025 merged provinces keep their old codes on issued cards).
_CCCD = re.compile(r"^(0\d{2})([0-9])(\d{2})(\d{6})$")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def cccd_error(number: str) -> str | None:
    match = _CCCD.match(number or "")
    if not match or not 1 <= int(match.group(1)) <= 96:
        return "Số định danh cá nhân phải gồm 12 chữ số, bắt đầu bằng mã tỉnh (001–096)."
    return None


def tax_code_error(code: str) -> str | None:
    """10 digits with the Ministry of Finance check digit, optionally a 3-digit branch suffix."""
    digits = (code or "").replace("-", "")
    if not re.fullmatch(r"\d{10}(\d{3})?", digits):
        return "Mã số thuế phải gồm 10 hoặc 13 chữ số."
    check = 10 - sum(int(d) * w for d, w in zip(digits[:9], _TAX_WEIGHTS, strict=True)) % 11
    if check == 10 or check != int(digits[9]):
        return "Mã số thuế không đúng (sai chữ số kiểm tra)."
    return None


def validate_applicant(a: ApplicantData) -> dict[str, str]:
    """Field → Vietnamese message for every problem (empty when the data is acceptable)."""
    errors: dict[str, str] = {}
    if not a.name or not a.name.strip():
        errors["applicant.name"] = "Vui lòng nhập họ tên người nộp hoặc tên tổ chức."
    if a.kind == "individual":
        if msg := cccd_error(a.id_number):
            errors["applicant.id_number"] = msg
    elif a.kind == "organisation":
        if msg := tax_code_error(a.tax_code):
            errors["applicant.tax_code"] = msg
        if not a.representative.strip():
            errors["applicant.representative"] = "Vui lòng nhập người đại diện của tổ chức."
    else:
        errors["applicant.kind"] = "Loại người nộp phải là cá nhân hoặc tổ chức."
    if a.phone and not _PHONE.match(a.phone.replace(" ", "")):
        errors["applicant.phone"] = "Số điện thoại không hợp lệ."
    if a.email:
        try:
            validate_email(a.email)
        except ValidationError:
            errors["applicant.email"] = "Địa chỉ thư điện tử không hợp lệ."
    if a.birth_date is not None:  # every channel (portal, desk, API) passes through here
        try:
            check_birth_date(a.birth_date, timezone.localdate())
        except DateParamError as exc:
            errors["applicant.birth_date"] = exc.message
    return errors
