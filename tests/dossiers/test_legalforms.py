"""Legal forms Mẫu 01–07 (Circular 03/2025/TT-VPCP): rendered from snapshots, checked in the PDF.

No database: pytest-django refuses database access in tests not marked for it, so these tests
also prove the renderers never touch the ORM.
"""

from __future__ import annotations

import copy
import io
import json
import re

import pypdf
import pytest
from fontTools.ttLib import TTFont

from motcua.dossiers.legalforms import (
    FORM_TITLES,
    TEMPLATE_VERSION,
    render_html,
    render_pdf,
    validate_snapshot,
)
from motcua.dossiers.legalforms.formatting import long_date, long_moment, parse_moment
from motcua.dossiers.legalforms.render import FONTS_DIR, local_fonts_fetcher
from motcua.dossiers.legalforms.samples import sample_snapshot

FORMS = sorted(FORM_TITLES)
APPLICANT = "Nguyễn Thị Hồng Nhung"
CODE = "000.01.21.H13-251024-0001"


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {form: render_pdf(sample_snapshot(form)) for form in FORMS}


# What each form must print, beyond the national header and its title (samples dated after
# Circular 03/2025 took effect on 15/09/2025).
EXPECTED = {
    "01": [
        "ỦY BAN NHÂN DÂN PHƯỜNG CÁI KHẾ BỘ PHẬN MỘT CỬA",  # the unit under its authority
        "Số: 125/GTN-BPMC Cái Khế, ngày 24 tháng 10 năm 2025",  # number and date on one line
        f"Mã hồ sơ: {CODE}",
        "(Liên: Lưu/Giao người nộp hồ sơ)",
        f"Ông/Bà: {APPLICANT}",
        "Số định danh cá nhân/Mã số thuế: 092190001234",
        "Địa chỉ: Số 12, đường Trần Văn Khéo, phường Cái Khế, thành phố Cần Thơ",
        "0907 123 456",
        "hongnhung.nguyen@example.vn",
        "Thủ tục đăng ký khai sinh (mã thủ tục: 1.001193)",
        "Hình thức nộp hồ sơ: Trực tiếp tại Bộ phận Một cửa",
        "Giấy chứng nhận kết hôn của cha, mẹ 00 01",
        "2. Số lượng hồ sơ: 01 (bộ).",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 01 ngày làm việc.",
        "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 24 tháng 10 năm 2025",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 24 tháng 10 năm 2025",
        "6. Đăng ký nhận kết quả tại: Bộ phận Một cửa.",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2025, Số thứ tự: 125.",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Trần Văn Phúc",
        "Ghi chú: - Giấy này được lập thành 02 liên",
    ],
    "02": [
        "Số: 03/PYCBS-BPMC Cái Khế, ngày 23 tháng 10 năm 2025",
        f"Ông/Bà: {APPLICANT}",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
        "Giấy chứng sinh",
        "Nộp bản chính do cơ sở khám bệnh, chữa bệnh nơi trẻ sinh ra cấp.",
        "Ông/Bà nộp lại đầy đủ một lần tại Bộ phận Một cửa.",
        "Lý do: Giấy chứng sinh chưa có; tờ khai ghi thiếu quê quán của cha, mẹ.",
        "Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với Trần Văn"
        " Phúc, số điện thoại 0292 3820 116 để được hướng dẫn./.",
        "NGƯỜI HƯỚNG DẪN",
    ],
    "03": [
        "Số: 02/PTC-BPMC",
        f"Ông/Bà: {APPLICANT}",
        "không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        "1. Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân xã Nhơn Ái ngày 10/01/2025.",
        "2. Việc cấp lại bản chính giấy khai sinh thuộc thủ tục khác.",
        "Xin thông báo để Ông/Bà được biết và thực hiện./.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ],
    "04": [
        "Số: 07/VBXL-UBND Cái Khế, ngày 23 tháng 10 năm 2025",
        f"Kính gửi: Ông/Bà {APPLICANT}",
        CODE,
        "Vào ngày 24 tháng 10 năm 2025, Ủy ban nhân dân phường Cái Khế tiếp nhận hồ sơ",
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 24 tháng 10 năm 2025.",
        "không thể trả kết quả đúng thời hạn đã hẹn nêu trên",
        "Lý do: Cần xác minh thông tin về nơi cư trú của người mẹ với Công an phường Ninh Kiều.",
        "trân trọng xin lỗi Ông/Bà",
        "đề nghị gia hạn thời gian giải quyết hồ sơ",
        "thời gian hẹn trả kết quả mới là: 10 giờ 00 phút, ngày 05 tháng 11 năm 2025",
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "(Ký, ghi rõ họ tên và đóng dấu)",
        "Lê Thị Mỹ Duyên",
        "Nơi nhận:",
        "- Lưu: VT.",
    ],
    "05": [
        "Số: 08/TBDGQ-UBND",
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm"
        " 2025 của Chính phủ về thực hiện thủ tục hành chính theo cơ chế một cửa",
        f"Kính gửi: Ông/Bà {APPLICANT}",
        CODE,
        "thông báo dừng giải quyết hồ sơ nêu trên.",
        "Lý do: Người yêu cầu có văn bản đề nghị dừng giải quyết hồ sơ ngày 24/10/2025.",
        "Giấy tờ đã nộp được trả lại tại Bộ phận Một cửa.",
        "số điện thoại 0292 3820 115",
        "Xin thông báo để Ông/Bà được biết./.",
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Lê Thị Mỹ Duyên",
    ],
    "06": [
        f"Mã hồ sơ: {CODE}",
        f"Kèm theo hồ sơ của Ông/Bà: {APPLICANT}",
        "Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 24 tháng 10 năm 2025",
        "Thời gian hẹn trả kết quả: 16 giờ 30 phút, ngày 24 tháng 10 năm 2025",
        "Cơ quan phối hợp giải quyết hồ sơ: Công an phường Cái Khế",
        "1. Giao: Bộ phận Một cửa",
        "Người giao",
        "Người nhận",
        "Phạm Quốc Huy",
        "08 giờ 45 phút",
        "14 giờ 00 phút",
        "Trước hạn",
        "Đúng hạn",
        "Ký duyệt",
        "24/10/2025",
    ],
    "07": [
        "Quyển số: 2025",
        "Cái Khế, ngày 31 tháng 10 năm 2025",
        CODE,
        "000.01.21.H13-251024-0002",
        "Thủ tục đăng ký kết hôn",
        "Võ Minh Tâm",
        "0939 456 789",
        "27/10/2025",
        "Đang giải quyết",
        "Trả kết quả cho cá nhân, tổ chức",
    ],
}


@pytest.mark.parametrize("form", FORMS)
def test_pdf_prints_header_title_and_fields_with_diacritics(pdfs, form):
    pdf = pdfs[form]
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in (
        "ỦY BAN NHÂN DÂN PHƯỜNG CÁI KHẾ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        FORM_TITLES[form].upper(),
        *EXPECTED[form],
    ):
        assert expected in text, f"form {form}: {expected!r} not in {text!r}"


@pytest.mark.parametrize("form", ["01", "02", "03", "04", "05", "06"])
def test_applicant_and_procedure_are_printed(pdfs, form):
    text = pdf_text(pdfs[form])
    assert APPLICANT in text
    assert "Thủ tục đăng ký khai sinh" in text


@pytest.mark.parametrize("form", FORMS)
def test_pdf_embeds_only_the_bundled_liberation_serif(pdfs, form):
    reader = pypdf.PdfReader(io.BytesIO(pdfs[form]))
    faces: dict[str, str] = {}  # PDF font name → full name inside the embedded font program
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            program = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object()
            names = TTFont(io.BytesIO(program.get_data()))["name"]
            faces[str(font["/BaseFont"]).split("+")[-1]] = names.getDebugName(4)
    # "Motcua Serif" is the family the @font-face rules declare: a system fallback font would
    # show under its own name, so every glyph comes from the bundled files.
    allowed = {
        "Motcua-Serif",
        "Motcua-Serif-Bold",
        "Motcua-Serif-Italic",
        "Motcua-Serif-Bold-Italic",
    }
    assert set(faces) <= allowed, faces
    assert faces["Motcua-Serif"] == "Liberation Serif"
    assert faces["Motcua-Serif-Bold"] == "Liberation Serif Bold"
    assert faces["Motcua-Serif-Italic"] == "Liberation Serif Italic"


@pytest.mark.parametrize("form", FORMS)
def test_pdf_is_a4_with_the_form_title_in_metadata(pdfs, form):
    reader = pypdf.PdfReader(io.BytesIO(pdfs[form]))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    short, long = sorted((width, height))
    assert (round(short), round(long)) == (595, 842)  # A4 in points
    assert (width > height) == (form == "07")  # the log is landscape
    assert reader.metadata.title.startswith(f"Mẫu số {form} – {FORM_TITLES[form]}")


def test_html_is_a_complete_printable_page():
    html = render_html(sample_snapshot("01"))
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html
    assert "size: A4;" in html
    assert (FONTS_DIR / "LiberationSerif-Regular.ttf").as_uri() in html
    assert "http://" not in html and "https://" not in html


def test_user_input_is_escaped_in_html_and_printed_literally():
    snapshot = sample_snapshot("01")
    snapshot["dossier"]["applicant"]["name"] = '<script>alert("x")</script> Lê Văn Tám'
    snapshot["dossier"]["documents"][0]["name"] = "Tờ khai <b>giả</b> & bản sao"
    html = render_html(snapshot)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Lê Văn Tám" in html
    assert "Tờ khai &lt;b&gt;giả&lt;/b&gt; &amp; bản sao" in html
    text = pdf_text(render_pdf(snapshot))
    assert '<script>alert("x")</script> Lê Văn Tám' in text
    assert "Tờ khai <b>giả</b> & bản sao" in text


def test_same_snapshot_renders_identically_and_survives_json():
    snapshot = sample_snapshot("06")
    original = copy.deepcopy(snapshot)
    first, second = render_pdf(snapshot), render_pdf(snapshot)
    assert pdf_text(first) == pdf_text(second)
    # Page drawings, metadata (dates come from issued_at) and the content-derived /ID are
    # identical; only the embedded font subsets may differ (fontTools stamps them with the time).
    one, two = pypdf.PdfReader(io.BytesIO(first)), pypdf.PdfReader(io.BytesIO(second))
    assert [p.get_contents().get_data() for p in one.pages] == [
        p.get_contents().get_data() for p in two.pages
    ]
    assert one.metadata == two.metadata
    assert one.trailer["/ID"] == two.trailer["/ID"]
    assert snapshot == original  # rendering does not touch its input
    stored = json.loads(json.dumps(snapshot, ensure_ascii=False))
    assert render_html(stored) == render_html(snapshot)


def test_parent_agency_prints_above_the_agency_name():
    snapshot = sample_snapshot("05")
    snapshot["agency"].update(
        {
            "governing": "Ủy ban nhân dân thành phố Cần Thơ",
            "name": "Sở Tư pháp",
            "issuer": "Sở Tư pháp",
        }
    )
    text = pdf_text(render_pdf(snapshot))
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ SỞ TƯ PHÁP" in text
    assert "Sở Tư pháp thông báo dừng giải quyết hồ sơ nêu trên." in text


def test_optional_fields_print_as_dotted_blanks():
    snapshot = sample_snapshot("01")
    for key in ("email", "id_number", "phone"):
        del snapshot["dossier"]["applicant"][key]
    del snapshot["dossier"]["log"]
    html = render_html(snapshot)
    assert "Thư điện tử: ……………" in html
    # the register line always prints: blanks to fill by hand when the entry is unknown
    assert "Vào Sổ theo dõi hồ sơ, Quyển số: ……………, Số thứ tự: ……………." in html


def test_empty_log_prints_a_row_saying_so():
    snapshot = sample_snapshot("07")
    snapshot["rows"] = []
    assert "Không có hồ sơ trong kỳ." in pdf_text(render_pdf(snapshot))


def _drop(snapshot: dict, path: str) -> None:
    *parents, last = path.split(".")
    for part in parents:
        snapshot = snapshot[part]
    del snapshot[last]


@pytest.mark.parametrize(
    ("form", "path"),
    [
        ("01", "dossier.applicant.name"),
        ("01", "dossier.due_at"),
        ("01", "officer.name"),
        ("01", "issued_at"),
        ("02", "missing"),
        ("03", "reasons"),
        ("04", "new_due_at"),
        ("04", "reason"),
        ("05", "legal_basis"),
        ("06", "steps"),
        ("07", "period.start"),
        ("07", "rows"),
    ],
)
def test_validate_names_the_missing_key(form, path):
    snapshot = sample_snapshot(form)
    validate_snapshot(snapshot)  # the sample itself is valid
    _drop(snapshot, path)
    with pytest.raises(ValueError, match=re.escape(f"missing required key '{path}'")):
        validate_snapshot(snapshot)
    with pytest.raises(ValueError, match=re.escape(path)):
        render_html(snapshot)


@pytest.mark.parametrize(
    ("form", "change", "message"),
    [
        ("01", lambda s: s.update(form="08"), "'form' must be one of"),
        ("01", lambda s: s.update(template_version="TT01-2018.1"), "unsupported template_version"),
        ("01", lambda s: s["dossier"].update(channel="fax"), "'dossier.channel' must be one of"),
        ("01", lambda s: s["dossier"].update(received_at="24/01/2025"), "'dossier.received_at'"),
        ("01", lambda s: s["dossier"].update(documents=[]), "'dossier.documents' must not be"),
        ("01", lambda s: s["dossier"]["documents"][1].update(copies=-1), "documents[1].copies"),
        ("01", lambda s: s["dossier"]["applicant"].update(name="   "), "dossier.applicant.name"),
        ("03", lambda s: s["reasons"].append(""), "'reasons[2]' must be a non-empty string"),
        ("04", lambda s: s.update(new_due_at="2025-01-20"), "'new_due_at' must be later"),
        ("06", lambda s: s["steps"][1].pop("handed_at"), "'steps[1].handed_at'"),
        ("06", lambda s: s["steps"][0].update(result="Sớm"), "'steps[0].result' must be one"),
        ("07", lambda s: s["rows"][0].update(due_at="hôm qua"), "'rows[0].due_at' must be an ISO"),
    ],
)
def test_validate_rejects_malformed_values(form, change, message):
    snapshot = sample_snapshot(form)
    change(snapshot)
    with pytest.raises(ValueError, match=re.escape(message)):
        validate_snapshot(snapshot)


def test_every_sample_carries_the_current_template_version():
    assert all(sample_snapshot(f)["template_version"] == TEMPLATE_VERSION for f in FORMS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-24T08:30:00+07:00", "08 giờ 30 phút, ngày 24 tháng 01 năm 2025"),
        ("2025-01-24T01:30:00Z", "08 giờ 30 phút, ngày 24 tháng 01 năm 2025"),  # UTC → VN
        ("2025-03-05T14:05:00", "14 giờ 05 phút, ngày 05 tháng 3 năm 2025"),  # naive = VN
        ("2025-02-28", "ngày 28 tháng 02 năm 2025"),
        ("2025-10-15T16:00:00+07:00", "16 giờ 00 phút, ngày 15 tháng 10 năm 2025"),
    ],
)
def test_vietnamese_date_wording(value, expected):
    assert long_moment(parse_moment(value)) == expected


def test_long_date_crosses_midnight_into_vietnam_time():
    assert long_date(parse_moment("2025-01-31T18:00:00+00:00")) == "ngày 01 tháng 02 năm 2025"


def test_fetcher_serves_bundled_fonts_only(tmp_path):
    fetcher = local_fonts_fetcher()
    font = fetcher((FONTS_DIR / "LiberationSerif-Bold.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font program
    font.close()
    outside = tmp_path / "secret.css"
    outside.write_text("body{}")
    for url in ("https://example.com/font.ttf", "data:text/css,body{}", outside.as_uri()):
        with pytest.raises(ValueError, match="Refusing"):
            fetcher(url)
