"""The tables officials export, built from the query layer's figures (``stats.types``).

- ``form06a_table``: the periodic report on TTHC processing results, in the columns of Form 06a
  (Biểu số 06a/VPCP/KSTT) of Circular 01/2020/TT-VPCP — one row per agency, field or procedure
  (docs/dashboards.md, "Exports", says what was checked about the form and where we deviate);
- ``kpis_table``: every §2 dossier figure, one row per agency/field/procedure/officer;
- ``index766_table``: the Decision 766 index, groups and indicators with numerator,
  denominator, ratio, score and maximum;
- ``satisfaction_table``: ratings by level, one row per agency/officer/procedure/desk.

Labels are translated at build time (Vietnamese first, English when that language is active).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from motcua.stats.types import DossierFigures, IndexResult, Row, SatisfactionFigures

from .tables import Column, Table, percent, ratio

# dossiers.Channel values grouped as the form's "newly received" columns: online, direct, post
ONLINE = ("city_portal", "national_portal")
DIRECT = ("desk", "kiosk")  # a kiosk is at the counter: national channel code 1 (direct)
POST = ("post",)
LEVELS = ("very_satisfied", "satisfied", "not_satisfied")


def _sum(by_channel: dict[str, int], channels: Sequence[str]) -> int:
    return sum(by_channel.get(c, 0) for c in channels)


def row_label(row: Row, language: str) -> str:
    return row.label_en if language.startswith("en") and row.label_en else row.label_vi


def form06a_columns() -> list[Column]:
    received = _("Số hồ sơ nhận giải quyết")
    new = _("Số mới tiếp nhận")
    result = _("Kết quả giải quyết")
    settled = _("Số hồ sơ đã giải quyết")
    pending = _("Số hồ sơ đang giải quyết")
    return [
        Column("no", (_("STT"),), "text"),
        Column("label", (_("Lĩnh vực, cơ quan giải quyết"),), "text"),
        Column("received_total", (received, _("Tổng số"))),
        Column("received_online", (received, new, _("Trực tuyến"))),
        Column("received_direct", (received, new, _("Trực tiếp"))),
        Column("received_post", (received, new, _("Dịch vụ bưu chính"))),
        Column("carried_over", (received, _("Từ kỳ trước chuyển qua"))),
        Column("settled_total", (result, settled, _("Tổng số"))),
        Column("settled_early", (result, settled, _("Trước hạn"))),
        Column("settled_on_time", (result, settled, _("Đúng hạn"))),
        Column("settled_late", (result, settled, _("Quá hạn"))),
        Column("pending_total", (result, pending, _("Tổng số"))),
        Column("pending_within", (result, pending, _("Trong hạn"))),
        Column("pending_overdue", (result, pending, _("Quá hạn"))),
    ]


def form06a_values(f: DossierFigures) -> list[object]:
    by = f.received_by_channel
    return [
        f.received + f.carried_over,
        _sum(by, ONLINE),
        _sum(by, DIRECT),
        _sum(by, POST),
        f.carried_over,
        f.settled,
        f.settled_early,
        f.settled_on_time,
        f.settled_late,
        f.in_progress_within + f.in_progress_overdue,
        f.in_progress_within,
        f.in_progress_overdue,
    ]


def form06a_table(
    rows: Sequence[Row],
    total: DossierFigures,
    *,
    unit: str,
    period_label: str,
    language: str = "vi",
) -> Table:
    """Form 06a: received (total; newly received online / direct / post; carried over),
    settled (total; early / on time / late), in progress (total; within / past deadline)."""
    table = Table(
        key="form06a",
        title=_("Tình hình, kết quả giải quyết thủ tục hành chính"),
        subtitle=_("Kỳ báo cáo: %(period)s — Đơn vị báo cáo: %(unit)s")
        % {"period": period_label, "unit": unit},
        columns=form06a_columns(),
        numbered=True,
        notes=[
            _("Đơn vị tính: số hồ sơ thủ tục hành chính."),
            _("Theo Biểu số 06a/VPCP/KSTT, Thông tư số 01/2020/TT-VPCP."),
        ],
    )
    for i, row in enumerate(rows, start=1):
        table.rows.append([str(i), row_label(row, language), *form06a_values(row.figures)])
    table.total = ["", _("Tổng cộng"), *form06a_values(total)]
    return table


def kpis_columns() -> list[Column]:
    rec = pgettext("stats", "Tiếp nhận")
    done = _("Đã giải quyết")
    pend = _("Đang giải quyết")
    share = _("Tỷ lệ (%)")
    return [
        Column("key", (_("Mã"),), "text"),
        Column("label", (_("Tên"),), "text"),
        Column("received", (rec, _("Trong kỳ"))),
        Column("received_desk", (rec, _("Trực tiếp tại Bộ phận Một cửa"))),
        Column("received_post", (rec, _("Qua dịch vụ bưu chính công ích"))),
        Column("received_city_portal", (rec, _("Cổng Dịch vụ công của tỉnh"))),
        Column("received_national_portal", (rec, _("Cổng Dịch vụ công quốc gia"))),
        Column("received_kiosk", (rec, _("Ki-ốt thông minh"))),
        Column("carried_over", (rec, _("Từ kỳ trước chuyển qua"))),
        Column("settled_early", (done, _("Trước hạn"))),
        Column("settled_on_time", (done, _("Đúng hạn"))),
        Column("settled_late", (done, _("Quá hạn"))),
        Column("refused", (done, pgettext("stats", "Từ chối giải quyết"))),
        Column("withdrawn", (pgettext("stats", "Rút hồ sơ"),)),
        Column("stopped", (_("Dừng xử lý"),)),
        Column("in_progress_within", (pend, _("Trong hạn"))),
        Column("in_progress_overdue", (pend, _("Quá hạn"))),
        Column(
            "avg_processing_wd", (_("Thời gian xử lý (ngày làm việc)"), _("Trung bình")), "decimal"
        ),
        Column(
            "median_processing_wd", (_("Thời gian xử lý (ngày làm việc)"), _("Trung vị")), "decimal"
        ),
        Column("on_time_rate", (share, _("Đúng hạn")), "percent"),
        Column("online_share", (share, _("Trực tuyến")), "percent"),
        Column("paid_online_share", (share, _("Thanh toán trực tuyến")), "percent"),
        Column("digitised_share", (share, _("Số hóa")), "percent"),
        Column("electronic_results", (_("Kết quả điện tử"),)),
    ]


def on_time_rate(f: DossierFigures) -> object:
    """Settled early or on time, over all settled; None when nothing was settled."""
    return ratio(f.settled_early + f.settled_on_time, f.settled)


def online_share(f: DossierFigures) -> object:
    return ratio(f.online_received, f.received)


def kpis_values(f: DossierFigures) -> list[object]:
    by = f.received_by_channel
    return [
        f.received,
        by.get("desk", 0),
        by.get("post", 0),
        by.get("city_portal", 0),
        by.get("national_portal", 0),
        by.get("kiosk", 0),
        f.carried_over,
        f.settled_early,
        f.settled_on_time,
        f.settled_late,
        f.refused,
        f.withdrawn,
        f.stopped,
        f.in_progress_within,
        f.in_progress_overdue,
        f.avg_processing_wd,
        f.median_processing_wd,
        percent(on_time_rate(f)),
        percent(online_share(f)),
        percent(ratio(f.paid_online, f.fee_bearing)),
        percent(ratio(f.digitised, f.received)),
        f.electronic_results,
    ]


def kpis_table(
    rows: Sequence[Row],
    total: DossierFigures,
    *,
    unit: str,
    period_label: str,
    language: str = "vi",
) -> Table:
    table = Table(
        key="kpis",
        title=_("Số liệu giải quyết hồ sơ"),
        subtitle=_("Kỳ báo cáo: %(period)s — Đơn vị báo cáo: %(unit)s")
        % {"period": period_label, "unit": unit},
        columns=kpis_columns(),
    )
    for row in rows:
        table.rows.append([row.key, row_label(row, language), *kpis_values(row.figures)])
    table.total = ["", _("Tổng cộng"), *kpis_values(total)]
    return table


def index766_table(result: IndexResult, *, unit: str, language: str = "vi") -> Table:
    """Every group, then its indicators: numerator, denominator, ratio (%), score, maximum and
    the inputs motcua does not record yet (shown, never invented)."""
    en = language.startswith("en")
    table = Table(
        key="index766",
        title=_("Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"),
        subtitle=_("Kỳ: %(period)s — Đơn vị: %(unit)s")
        % {
            "period": result.period.label or f"{result.period.start}..{result.period.end}",
            "unit": unit,
        },
        columns=[
            Column("code", (_("Mã"),), "text"),
            Column("name", (_("Nhóm chỉ số, chỉ số"),), "text"),
            Column("numerator", (_("Tử số"),)),
            Column("denominator", (_("Mẫu số"),)),
            Column("ratio", (_("Tỷ lệ (%)"),), "decimal"),
            Column("score", (_("Điểm"),), "decimal"),
            Column("max", (_("Điểm tối đa"),), "decimal"),
            Column("note", (_("Ghi chú"),), "text"),
        ],
    )
    for group in result.groups:
        table.rows.append(
            ["", group.name_en if en and group.name_en else group.name_vi, None, None, None,
             group.score, group.max, ""]
        )  # fmt: skip
        for ind in group.indicators:
            notes = []
            if ind.missing:
                notes.append(_("Thiếu dữ liệu: %(inputs)s") % {"inputs": ", ".join(ind.missing)})
            if not ind.scored:
                notes.append(_("Chỉ số tham khảo, không tính điểm"))
            if ind.note:
                notes.append(ind.note)
            table.rows.append(
                [
                    ind.code,
                    ind.name_en if en and ind.name_en else ind.name_vi,
                    ind.numerator,
                    ind.denominator,
                    percent(ind.ratio),
                    ind.score,
                    ind.max,
                    "; ".join(notes),
                ]
            )
    table.total = ["", _("Tổng điểm"), None, None, None, result.total, result.max, ""]
    if result.provisional:
        table.notes.append(_("Số liệu tạm tính: kỳ báo cáo chưa kết thúc."))
    if result.received_only:
        table.notes.append(_("Không tính hồ sơ từ kỳ trước chuyển qua."))
    return table


def level_labels() -> dict[str, str]:
    return {
        "very_satisfied": _("Rất hài lòng"),
        "satisfied": _("Hài lòng"),
        "not_satisfied": _("Không hài lòng"),
    }


def satisfaction_values(f: SatisfactionFigures) -> list[object]:
    good = f.by_level.get("very_satisfied", 0) + f.by_level.get("satisfied", 0)
    return [
        f.total,
        *(f.by_level.get(level, 0) for level in LEVELS),
        percent(ratio(good, f.total)),
    ]


def satisfaction_table(
    rows: Sequence[Row],
    total: SatisfactionFigures,
    *,
    unit: str,
    period_label: str,
    language: str = "vi",
) -> Table:
    labels = level_labels()
    table = Table(
        key="satisfaction",
        title=_("Mức độ hài lòng của người dân, doanh nghiệp"),
        subtitle=_("Kỳ báo cáo: %(period)s — Đơn vị báo cáo: %(unit)s")
        % {"period": period_label, "unit": unit},
        columns=[
            Column("key", (_("Mã"),), "text"),
            Column("label", (_("Tên"),), "text"),
            Column("total", (_("Số lượt đánh giá"),)),
            *(Column(level, (_("Mức độ"), labels[level])) for level in LEVELS),
            Column("satisfied_rate", (_("Tỷ lệ hài lòng (%)"),), "decimal"),
        ],
    )
    for row in rows:
        table.rows.append([row.key, row_label(row, language), *satisfaction_values(row.figures)])
    table.total = ["", _("Tổng cộng"), *satisfaction_values(total)]
    return table
