import pytest

from motcua.core.text import normalize_search


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Giấy phép xây dựng", "giay phep xay dung"),
        ("Thủ tục đăng ký khai sinh", "thu tuc dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("Ủy ban nhân dân phường Cái Khế", "uy ban nhan dan phuong cai khe"),
        ("Sở Lao động - Thương binh và Xã hội", "so lao dong - thuong binh va xa hoi"),
        ("Thạnh Quới", "thanh quoi"),
        ("Ô Môn", "o mon"),
        ("  Thốt   Nốt ", "thot not"),
        ("Cờ Đỏ", "co do"),
        ("Nhơn Ái", "nhon ai"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_search_real_names(text, expected):
    assert normalize_search(text) == expected


def test_normalize_precomposed_and_decomposed_agree():
    import unicodedata

    name = "Trường Xuân"
    assert normalize_search(unicodedata.normalize("NFD", name)) == normalize_search(
        unicodedata.normalize("NFC", name)
    )
