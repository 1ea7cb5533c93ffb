"""The fixed sentences of the forms, as data an administrator can correct without a release.

Each form's wording is a dict ``key → text``; ``{name}`` placeholders are filled from the
snapshot when rendering. The built-in texts below follow the 2018 forms (Circular
01/2018/TT-VPCP) as widely reproduced, because the 2025 bodies could not be found in public
copies (see docs/legal-forms.md, line by line). An administrator overrides a text through the
``FormText`` model (a new version per change); an issued form stores the exact words it was
issued with in its snapshot (``wording``), so a correction never rewrites an issued form.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

#: form → key → (built-in text, placeholders it may use)
DEFAULTS: dict[str, dict[str, tuple[str, frozenset[str]]]] = {}


def _add(form: str, key: str, text: str, *names: str) -> None:
    DEFAULTS.setdefault(form, {})[key] = (text, frozenset(names))


_add("01", "copy_marker", "(Liên: Lưu/Giao người nộp hồ sơ)")
_add("01", "intro", "{desk} tiếp nhận hồ sơ của:", "desk")
_add("01", "item_1", "1. Thành phần hồ sơ nộp gồm:")
_add("01", "item_2", "2. Số lượng hồ sơ: {sets} (bộ).", "sets")
_add(
    "01",
    "item_3",
    "3. Thời gian giải quyết hồ sơ theo quy định là: {legal_duration}.",
    "legal_duration",
)
_add("01", "item_4", "4. Thời gian nhận hồ sơ: {received}.", "received")
_add("01", "item_5", "5. Thời gian trả kết quả giải quyết hồ sơ: {due}.", "due")
_add("01", "item_6", "6. Đăng ký nhận kết quả tại: {result_delivery}.", "result_delivery")
_add(
    "01",
    "register",
    "Vào Sổ theo dõi hồ sơ, Quyển số: {book}, Số thứ tự: {entry}.",
    "book",
    "entry",
)
_add("01", "present_only", "Xuất trình bản chính để đối chiếu, không nộp")
_add(
    "01",
    "notes",
    "Giấy này được lập thành 02 liên: 01 liên giao người nộp hồ sơ, 01 liên lưu tại {desk};"
    " hồ sơ nộp trực tuyến hoặc qua dịch vụ bưu chính được gửi Giấy này qua Cổng Dịch vụ công,"
    " thư điện tử hoặc dịch vụ bưu chính.\n"
    "Người nộp hồ sơ có thể đăng ký nhận kết quả tại {desk}, qua dịch vụ bưu chính công ích"
    " hoặc trực tuyến.",
    "desk",
)
_add("02", "intro", "Hồ sơ của:")
_add("02", "request", "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
_add("02", "reason", "Lý do: {reason}", "reason")
_add("02", "default_reason", "Hồ sơ chưa đầy đủ, hợp lệ theo quy định của thủ tục hành chính.")
_add(
    "02",
    "contact",
    "Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với {officer},"
    " số điện thoại {phone} để được hướng dẫn./.",
    "officer",
    "phone",
)
_add("03", "intro", "{desk} tiếp nhận hồ sơ của:", "desk")
_add(
    "03",
    "reasons",
    "Qua nghiên cứu, đối chiếu với các quy định hiện hành, {desk} không tiếp nhận, giải quyết"
    " hồ sơ này với lý do cụ thể như sau:",
    "desk",
)
_add("03", "closing", "Xin thông báo để Ông/Bà được biết và thực hiện./.")
_add(
    "04",
    "received",
    "Vào {received_date}, {agency} tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ tục:"
    " {procedure}, mã hồ sơ {code}. Thời gian hẹn trả kết quả giải quyết hồ sơ: {old_due}.",
    "received_date",
    "agency",
    "procedure",
    "code",
    "old_due",
)
_add(
    "04",
    "late",
    "Hồ sơ của Ông/Bà đang được giải quyết, nhưng {agency} không thể trả kết quả đúng thời hạn"
    " đã hẹn nêu trên.",
    "agency",
)
_add("04", "reason", "Lý do: {reason}", "reason")
_add(
    "04",
    "apology",
    "{agency} trân trọng xin lỗi Ông/Bà vì sự chậm trễ này và đề nghị gia hạn thời gian giải"
    " quyết hồ sơ; thời gian hẹn trả kết quả mới là: {new_due}.",
    "agency",
    "new_due",
)
_add("04", "closing", "Rất mong nhận được sự thông cảm và hợp tác của Ông/Bà./.")
_add(
    "05",
    "received",
    "Vào {received_date}, {agency} tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ tục:"
    " {procedure}, mã hồ sơ {code}; thời gian hẹn trả kết quả: {due}.",
    "received_date",
    "agency",
    "procedure",
    "code",
    "due",
)
_add("05", "stop", "{agency} thông báo dừng giải quyết hồ sơ nêu trên.", "agency")
_add("05", "reason", "Lý do: {reason}", "reason")
_add(
    "05",
    "contact",
    "Mọi vướng mắc, Ông/Bà liên hệ {desk}, số điện thoại {phone} để được hướng dẫn.",
    "desk",
    "phone",
)
_add("05", "closing", "Xin thông báo để Ông/Bà được biết./.")
_add("06", "intro", "Kèm theo hồ sơ của Ông/Bà:")


def keys_of(form: str) -> list[str]:
    return list(DEFAULTS.get(form, {}))


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of ``text``; ValueError on a malformed brace."""
    names = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"chỗ điền “{{{name}}}” không hợp lệ")
        names.add(name)
    return names


def check_text(form: str, key: str, text: str) -> None:
    """Raise ValueError (in Vietnamese, for the admin form) when ``text`` cannot replace the
    built-in text of ``form``/``key``: unknown key or a placeholder the key does not offer."""
    if key not in DEFAULTS.get(form, {}):
        raise ValueError(f"Mẫu {form} không có đoạn văn “{key}”.")
    allowed = DEFAULTS[form][key][1]
    unknown = placeholders(text) - allowed
    if unknown:
        offered = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "không có"
        raise ValueError(
            f"Chỗ điền không dùng được: {', '.join(sorted(unknown))} (được dùng: {offered})."
        )


def wording_for(form: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The texts of ``form``: the built-in ones, replaced by ``overrides`` where given."""
    texts = {key: text for key, (text, _names) in DEFAULTS.get(form, {}).items()}
    for key, text in (overrides or {}).items():
        if key in texts:
            texts[key] = text
    return texts


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "……………"


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders replaced; an unknown one prints as a dotted blank."""
    try:
        return text.format_map(_Blank(values))
    except (ValueError, IndexError, AttributeError):
        return text  # a malformed stored text prints as written rather than failing the form
