"""The default wording of every event on every channel, Vietnamese and English.

The ``notifications.Template`` table is seeded from here (migration 0002, and
``services.seed_templates`` for events added later); administrators edit the table, not this
file. Django template syntax; the variables each event offers are listed in
docs/notifications.md. SMS and Zalo texts receive only ``code`` and ``status``.
"""

from __future__ import annotations

from motcua.notifications import rules as R

_SIGN_VI = "\n\nTrân trọng,\nHệ thống một cửa điện tử"
_SIGN_EN = "\n\nRegards,\nThe one-stop e-government system"

# event -> (email subject vi, email body vi, email subject en, email body en, status vi, status en)
EMAIL: dict[str, tuple[str, str, str, str]] = {
    R.RECEIVED: (
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được {{ agency }} tiếp "
        "nhận. Ngày hẹn trả kết quả: {{ due_date }}.\nTheo dõi hồ sơ: {{ tracking_url }}"
        + _SIGN_VI,
        "Your dossier {{ code }} has been received",
        "Dear {{ name }},\n\nYour dossier {{ code }} ({{ procedure }}) has been received by "
        "{{ agency }}. Results are due on {{ due_date }}.\nTrack it: {{ tracking_url }}" + _SIGN_EN,
    ),
    R.SUPPLEMENT_REQUESTED: (
        "Hồ sơ {{ code }} cần bổ sung, hoàn thiện",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) cần bổ sung, hoàn thiện:\n"
        "{{ missing }}{% if reason %}\nGhi chú: {{ reason }}{% endif %}\n"
        "Xem chi tiết: {{ tracking_url }}" + _SIGN_VI,
        "Your dossier {{ code }} needs more documents",
        "Dear {{ name }},\n\nYour dossier {{ code }} ({{ procedure }}) needs the following:\n"
        "{{ missing }}{% if reason %}\nNote: {{ reason }}{% endif %}\n"
        "Details: {{ tracking_url }}" + _SIGN_EN,
    ),
    R.PAYMENT_REQUESTED: (
        "Hồ sơ {{ code }}: đề nghị nộp phí, lệ phí",
        "Kính gửi {{ name }},\n\nĐề nghị nộp các khoản phí, lệ phí của hồ sơ {{ code }}:\n"
        "{{ fees }}\nTổng cộng: {{ total }} đồng.\nNộp trực tuyến: {{ tracking_url }}" + _SIGN_VI,
        "Dossier {{ code }}: fees to pay",
        "Dear {{ name }},\n\nPlease pay the fees of dossier {{ code }}:\n{{ fees }}\n"
        "Total: {{ total }} VND.\nPay online: {{ tracking_url }}" + _SIGN_EN,
    ),
    R.RESULT_READY: (
        "Hồ sơ {{ code }} đã có kết quả",
        "Kính gửi {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã có kết quả: {{ status }}."
        "\nXem chi tiết và cách nhận kết quả: {{ tracking_url }}" + _SIGN_VI,
        "The result of dossier {{ code }} is ready",
        "Dear {{ name }},\n\nThe result of your dossier {{ code }} ({{ procedure }}) is ready: "
        "{{ status }}.\nDetails and how to collect it: {{ tracking_url }}" + _SIGN_EN,
    ),
    R.RESULT_RETURNED: (
        "Hồ sơ {{ code }} đã trả kết quả",
        "Kính gửi {{ name }},\n\nKết quả hồ sơ {{ code }} đã được trả ngày {{ date }}. Mời ông/bà "
        "đánh giá sự hài lòng: {{ tracking_url }}" + _SIGN_VI,
        "Dossier {{ code }}: result handed over",
        "Dear {{ name }},\n\nThe result of dossier {{ code }} was handed over on {{ date }}. "
        "Please rate the service: {{ tracking_url }}" + _SIGN_EN,
    ),
    R.APOLOGY: (
        "Thư xin lỗi: hồ sơ {{ code }} trả kết quả chậm",
        "Kính gửi {{ name }},\n\n{{ agency }} thành thật xin lỗi vì hồ sơ {{ code }} không trả "
        "kết quả đúng hẹn.\nLý do: {{ reason }}\nNgày hẹn trả mới: {{ new_due_date }}.\n"
        "Theo dõi hồ sơ: {{ tracking_url }}" + _SIGN_VI,
        "Apology: dossier {{ code }} will be late",
        "Dear {{ name }},\n\n{{ agency }} apologises: dossier {{ code }} will not be ready on the "
        "date given.\nReason: {{ reason }}\nNew date: {{ new_due_date }}.\n"
        "Track it: {{ tracking_url }}" + _SIGN_EN,
    ),
    R.DEADLINE_AT_RISK: (
        "Hồ sơ {{ code }} sắp đến hạn ({{ due_date }})",
        "Hồ sơ {{ code }} ({{ procedure }}) tại {{ agency }} sắp đến hạn giải quyết: "
        "{{ due_date }}.\nXử lý: {{ desk_url }}",
        "Dossier {{ code }} is due soon ({{ due_date }})",
        "Dossier {{ code }} ({{ procedure }}) at {{ agency }} is due on {{ due_date }}.\n"
        "Handle it: {{ desk_url }}",
    ),
    R.OVERDUE: (
        "Hồ sơ {{ code }} đã quá hạn ({{ due_date }})",
        "Hồ sơ {{ code }} ({{ procedure }}) tại {{ agency }} đã quá hạn giải quyết từ "
        "{{ due_date }}.\nXử lý: {{ desk_url }}",
        "Dossier {{ code }} is overdue (due {{ due_date }})",
        "Dossier {{ code }} ({{ procedure }}) at {{ agency }} has been overdue since "
        "{{ due_date }}.\nHandle it: {{ desk_url }}",
    ),
    R.FEEDBACK_ANSWERED: (
        "Phản ánh {{ code }} đã được trả lời",
        "Kính gửi {{ name }},\n\nPhản ánh, kiến nghị {{ code }} của ông/bà đã được trả lời.\n"
        "Xem câu trả lời: {{ tracking_url }}" + _SIGN_VI,
        "Your feedback {{ code }} has been answered",
        "Dear {{ name }},\n\nYour feedback {{ code }} has been answered.\n"
        "Read the answer: {{ tracking_url }}" + _SIGN_EN,
    ),
}

SMS: dict[str, tuple[str, str]] = {
    R.RECEIVED: ("Ho so {{ code }}: {{ status }}.", "Dossier {{ code }}: {{ status }}."),
    R.SUPPLEMENT_REQUESTED: (
        "Ho so {{ code }}: {{ status }}. Xem chi tiet tren Cong dich vu cong.",
        "Dossier {{ code }}: {{ status }}. Details on the public service portal.",
    ),
    R.PAYMENT_REQUESTED: (
        "Ho so {{ code }}: {{ status }}. Xem chi tiet tren Cong dich vu cong.",
        "Dossier {{ code }}: {{ status }}. Details on the public service portal.",
    ),
    R.RESULT_READY: ("Ho so {{ code }}: {{ status }}.", "Dossier {{ code }}: {{ status }}."),
    R.RESULT_RETURNED: ("Ho so {{ code }}: {{ status }}.", "Dossier {{ code }}: {{ status }}."),
    R.APOLOGY: (
        "Ho so {{ code }}: {{ status }}. Co quan xin loi vi tre hen.",
        "Dossier {{ code }}: {{ status }}. We apologise for the delay.",
    ),
    R.DEADLINE_AT_RISK: ("Ho so {{ code }}: {{ status }}.", "Dossier {{ code }}: {{ status }}."),
    R.OVERDUE: ("Ho so {{ code }}: {{ status }}.", "Dossier {{ code }}: {{ status }}."),
    R.FEEDBACK_ANSWERED: (
        "Phan anh {{ code }}: {{ status }}.",
        "Feedback {{ code }}: {{ status }}.",
    ),
}

# the status words SMS and Zalo messages carry (the only thing they say besides the code)
STATUS: dict[str, tuple[str, str]] = {
    R.RECEIVED: ("da tiep nhan", "received"),
    R.SUPPLEMENT_REQUESTED: ("can bo sung", "documents missing"),
    R.PAYMENT_REQUESTED: ("can nop phi", "fees to pay"),
    R.RESULT_READY: ("da co ket qua", "result ready"),
    R.RESULT_RETURNED: ("da tra ket qua", "result handed over"),
    R.APOLOGY: ("hen lai ngay tra", "new date set"),
    R.DEADLINE_AT_RISK: ("sap den han", "due soon"),
    R.OVERDUE: ("qua han", "overdue"),
    R.FEEDBACK_ANSWERED: ("da tra loi", "answered"),
}

# the Zalo Official Account's approved ZNS template ids (set per deployment in the admin)
ZALO_TEMPLATE_ID = ""


def rows() -> list[dict]:
    """Every default template, as field values of ``notifications.Template``."""
    out = []
    for event, (subject_vi, body_vi, subject_en, body_en) in EMAIL.items():
        out.append(
            dict(
                event=event,
                channel=R.EMAIL,
                subject_vi=subject_vi,
                body_vi=body_vi,
                subject_en=subject_en,
                body_en=body_en,
            )
        )
        sms_vi, sms_en = SMS[event]
        out.append(dict(event=event, channel=R.SMS, body_vi=sms_vi, body_en=sms_en))
        out.append(
            dict(
                event=event,
                channel=R.ZALO,
                body_vi=sms_vi,
                body_en=sms_en,
                zns_template_id=ZALO_TEMPLATE_ID,
            )
        )
    return out
