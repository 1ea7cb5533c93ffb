"""Realistic sample snapshots (Cần Thơ) for each form: used by the tests, by
``scripts/render_form_samples.py`` and as living documentation of the snapshot schema."""

from __future__ import annotations

import copy
from typing import Any

from motcua.dossiers.legalforms.schema import TEMPLATE_VERSION

AGENCY = {
    "name": "Ủy ban nhân dân phường Cái Khế",
    "code": "000.01.21.H13",
    "desk": "Bộ phận Một cửa",
    "phone": "0292 3820 115",
}
# Slips (01–03, 06, 07) are issued by the one-stop unit under its People's Committee; letters
# (04, 05) by the committee itself.
DESK_HEADER = {"governing": AGENCY["name"], "issuer": "Bộ phận Một cửa"}
LETTER_HEADER = {"issuer": AGENCY["name"]}
DOSSIER = {
    "code": "000.01.21.H13-251024-0001",
    "procedure_code": "1.001193",
    "procedure_name": "Thủ tục đăng ký khai sinh",
    "received_at": "2025-10-24T08:30:00+07:00",
    "due_at": "2025-10-24T16:30:00+07:00",
    "channel": "direct",
    "result_delivery": "desk",
    "legal_duration": "01 ngày làm việc",
    "handling_agency": "Ủy ban nhân dân phường Cái Khế (công chức Tư pháp - Hộ tịch)",
    "sets": 1,
    "log": {"book": "2025", "entry": "125"},
    "applicant": {
        "name": "Nguyễn Thị Hồng Nhung",
        "id_number": "092190001234",
        "address": "Số 12, đường Trần Văn Khéo, phường Cái Khế, thành phố Cần Thơ",
        "phone": "0907 123 456",
        "email": "hongnhung.nguyen@example.vn",
    },
    "documents": [
        {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
        {"name": "Giấy chứng sinh", "originals": 1, "copies": 0},
        {
            "name": "Giấy chứng nhận kết hôn của cha, mẹ",
            "originals": 0,
            "copies": 1,
            "note": "Bản sao có chứng thực",
        },
    ],
}
OFFICER = {"name": "Trần Văn Phúc", "phone": "0292 3820 116"}
SIGNER = {"title": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "name": "Lê Thị Mỹ Duyên"}


def _base(form: str, number: str | None, issued_at: str) -> dict[str, Any]:
    snapshot: dict[str, Any] = {
        "form": form,
        "template_version": TEMPLATE_VERSION,
        "place": "Cái Khế",
        "issued_at": issued_at,
        "agency": {
            **copy.deepcopy(AGENCY),
            **(LETTER_HEADER if form in {"04", "05"} else DESK_HEADER),
        },
    }
    if number:
        snapshot["number"] = number
    return snapshot


def sample_snapshot(form: str) -> dict[str, Any]:
    """A complete, valid snapshot of ``form`` ("01".."07"); a fresh copy on each call."""
    return _BUILDERS[form]()


def _form_01() -> dict[str, Any]:
    return {
        **_base("01", "125/GTN-BPMC", "2025-10-24T08:35:00+07:00"),
        "dossier": copy.deepcopy(DOSSIER),
        "officer": dict(OFFICER),
    }


def _form_02() -> dict[str, Any]:
    dossier = copy.deepcopy(DOSSIER)
    for key in ("code", "received_at", "due_at", "log"):
        dossier.pop(key)  # nothing is received yet
    return {
        **_base("02", "03/PYCBS-BPMC", "2025-10-23T09:10:00+07:00"),
        "dossier": dossier,
        "officer": dict(OFFICER),
        "missing": [
            {
                "name": "Giấy chứng sinh",
                "instruction": "Nộp bản chính do cơ sở khám bệnh, chữa bệnh nơi trẻ sinh ra cấp.",
            },
            {
                "name": "Tờ khai đăng ký khai sinh",
                "instruction": (
                    "Ghi đầy đủ quê quán của cha, mẹ; người đi đăng ký ký, ghi rõ họ tên."
                ),
            },
        ],
        "reason": "Giấy chứng sinh chưa có; tờ khai ghi thiếu quê quán của cha, mẹ.",
        "note": "Ông/Bà nộp lại đầy đủ một lần tại Bộ phận Một cửa.",
    }


def _form_03() -> dict[str, Any]:
    dossier = copy.deepcopy(DOSSIER)
    for key in ("code", "received_at", "due_at", "log"):
        dossier.pop(key)
    return {
        **_base("03", "02/PTC-BPMC", "2025-10-23T10:05:00+07:00"),
        "dossier": dossier,
        "officer": dict(OFFICER),
        "reasons": [
            "Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân xã Nhơn Ái ngày 10/01/2025.",
            "Việc cấp lại bản chính giấy khai sinh thuộc thủ tục khác.",
        ],
    }


def _form_04() -> dict[str, Any]:
    return {
        **_base("04", "07/VBXL-UBND", "2025-10-23T14:00:00+07:00"),
        "dossier": copy.deepcopy(DOSSIER),
        "signer": dict(SIGNER),
        "reason": "Cần xác minh thông tin về nơi cư trú của người mẹ với Công an phường Ninh Kiều.",
        "old_due_at": "2025-10-24T16:30:00+07:00",
        "new_due_at": "2025-11-05T10:00:00+07:00",
        "copies_to": ["Như trên", "Bộ phận Một cửa", "Lưu: VT"],
    }


def _form_05() -> dict[str, Any]:
    return {
        **_base("05", "08/TBDGQ-UBND", "2025-10-24T15:20:00+07:00"),
        "dossier": copy.deepcopy(DOSSIER),
        "signer": dict(SIGNER),
        "reason": "Người yêu cầu có văn bản đề nghị dừng giải quyết hồ sơ ngày 24/10/2025.",
        "legal_basis": (
            "Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025 của Chính phủ về thực hiện thủ"
            " tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng"
            " Dịch vụ công quốc gia"
        ),
        "note": "Giấy tờ đã nộp được trả lại tại Bộ phận Một cửa.",
    }


def _form_06() -> dict[str, Any]:
    return {
        **_base("06", None, "2025-10-24T08:40:00+07:00"),
        "dossier": {**copy.deepcopy(DOSSIER), "coordinating_agencies": ["Công an phường Cái Khế"]},
        "steps": [
            {
                "from_unit": "Bộ phận Một cửa",
                "from_name": "Trần Văn Phúc",
                "to_unit": "Công chức Tư pháp - Hộ tịch",
                "to_name": "Phạm Quốc Huy",
                "handed_at": "2025-10-24T08:45:00+07:00",
                "due_at": "2025-10-24T14:00:00+07:00",
                "done_at": "2025-10-24T11:15:00+07:00",
                "result": "Trước hạn",
            },
            {
                "from_unit": "Công chức Tư pháp - Hộ tịch",
                "from_name": "Phạm Quốc Huy",
                "to_unit": "Lãnh đạo Ủy ban nhân dân phường",
                "to_name": "Lê Thị Mỹ Duyên",
                "handed_at": "2025-10-24T11:15:00+07:00",
                "due_at": "2025-10-24T15:30:00+07:00",
                "done_at": "2025-10-24T15:30:00+07:00",
                "result": "Đúng hạn",
                "note": "Ký duyệt",
            },
            {
                "from_unit": "Lãnh đạo Ủy ban nhân dân phường",
                "from_name": "Lê Thị Mỹ Duyên",
                "to_unit": "Bộ phận Một cửa",
                "to_name": "Trần Văn Phúc",
                "handed_at": "2025-10-24T15:40:00+07:00",
                "due_at": "2025-10-24T16:30:00+07:00",
            },
        ],
    }


def _form_07() -> dict[str, Any]:
    return {
        **_base("07", None, "2025-10-31T17:00:00+07:00"),
        "book": "2025",
        "period": {"start": "2025-10-01", "end": "2025-10-31"},
        "officer": {"name": "Trần Văn Phúc"},
        "rows": [
            {
                "no": 125,
                "code": "000.01.21.H13-251024-0001",
                "procedure_name": "Thủ tục đăng ký khai sinh",
                "applicant_name": "Nguyễn Thị Hồng Nhung",
                "address": "Số 12, đường Trần Văn Khéo, phường Cái Khế",
                "phone": "0907 123 456",
                "handling_agency": "UBND phường Cái Khế",
                "received_at": "2025-10-24T08:30:00+07:00",
                "due_at": "2025-10-24T16:30:00+07:00",
                "forwarded_at": "2025-10-24T08:45:00+07:00",
                "result_at": "2025-10-24T15:40:00+07:00",
                "returned_at": "2025-10-24T16:10:00+07:00",
            },
            {
                "no": 126,
                "code": "000.01.21.H13-251024-0002",
                "procedure_name": "Thủ tục đăng ký kết hôn",
                "applicant_name": "Võ Minh Tâm",
                "address": "Hẻm 51, đường 3 Tháng 2, phường Ninh Kiều",
                "phone": "0939 456 789",
                "handling_agency": "UBND phường Cái Khế",
                "received_at": "2025-10-24T09:15:00+07:00",
                "due_at": "2025-10-27T09:15:00+07:00",
                "forwarded_at": "2025-10-24T09:30:00+07:00",
                "note": "Đang giải quyết",
            },
        ],
    }


_BUILDERS = {
    "01": _form_01,
    "02": _form_02,
    "03": _form_03,
    "04": _form_04,
    "05": _form_05,
    "06": _form_06,
    "07": _form_07,
}
