"""The argument parser of ``motcua dossier``: one sub-command per service, plus reads."""

from __future__ import annotations

from django.core.management.base import CommandParser

from motcua.dossiers.models import Channel, Delivery, FeeCharge

# sub-commands that change something (they act --as a user) and those that only read
WRITES = {
    "submit": "Nộp (đăng ký) hồ sơ mới.",
    "receive": "Tiếp nhận hồ sơ (Mẫu 01).",
    "request-completion": "Hướng dẫn hoàn thiện hồ sơ khi tiếp nhận (Mẫu 02).",
    "complete": "Ghi nhận người nộp đã hoàn thiện hồ sơ.",
    "refuse-reception": "Từ chối tiếp nhận (Mẫu 03).",
    "hand-over": "Chuyển bước xử lý tiếp theo.",
    "forward": "Chuyển cơ quan liên thông.",
    "request-supplement": "Yêu cầu bổ sung hồ sơ trong khi xử lý (Mẫu 02, tạm dừng hạn).",
    "supplement": "Ghi nhận hồ sơ đã được bổ sung.",
    "apologise": "Xin lỗi và hẹn lại ngày trả (Mẫu 04).",
    "stop": "Dừng giải quyết (Mẫu 05).",
    "withdraw": "Rút hồ sơ.",
    "approve": "Phê duyệt kết quả.",
    "refuse": "Từ chối giải quyết.",
    "request-payment": "Yêu cầu thực hiện nghĩa vụ tài chính.",
    "confirm-payment": "Xác nhận đã nộp phí, lệ phí.",
    "return": "Trả kết quả.",
    "log": "Lập sổ theo dõi hồ sơ của cơ quan (Mẫu 07).",
}
READS = {
    "show": "Xem chi tiết hồ sơ.",
    "list": "Liệt kê hồ sơ.",
    "form": "Xuất biểu mẫu đã lập của hồ sơ (HTML/PDF) từ bản lưu.",
}


def build(parser: CommandParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, parser_class=CommandParser)
    p = {name: sub.add_parser(name, help=text) for name, text in {**WRITES, **READS}.items()}
    for name in WRITES:
        p[name].add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        p[name].add_argument("--at", metavar="ISO", help="Thời điểm thực hiện (demo).")
        if name not in ("submit", "log"):
            p[name].add_argument("code", metavar="CODE", help="Mã hồ sơ.")
            p[name].add_argument("--expect-version", type=int, metavar="N")
    for name in ("show", "form"):
        p[name].add_argument("code", metavar="CODE", help="Mã hồ sơ.")
    for name in READS:
        p[name].add_argument("--as", dest="as_user", metavar="USERNAME", help="Chỉ trong phạm vi.")

    s = p["submit"]
    s.add_argument("--procedure", required=True, metavar="CODE")
    s.add_argument("--agency", required=True, metavar="CODE", help="Nơi tiếp nhận.")
    s.add_argument("--deciding-agency", metavar="CODE")
    s.add_argument("--name", required=True)
    s.add_argument("--kind", choices=["individual", "organisation"], default="individual")
    s.add_argument("--id-number", default="")
    s.add_argument("--tax-code", default="")
    s.add_argument("--phone", default="")
    s.add_argument("--email", default="")
    s.add_argument("--address", default="")
    s.add_argument("--channel", choices=Channel.values, default=Channel.DESK)
    s.add_argument("--idempotency-key")
    s.add_argument(
        "--receive",
        action="store_true",
        help="Tiếp nhận ngay trong cùng giao dịch (tại Bộ phận Một cửa; cấp Mẫu 01).",
    )
    for name in ("submit", "receive", "complete", "supplement"):
        p[name].add_argument(
            "--document", action="append", default=[], metavar="NAME", help="Thành phần hồ sơ."
        )
    for name in ("request-completion", "request-supplement"):
        p[name].add_argument("--missing", action="extend", nargs="+", required=True)
        p[name].add_argument("--note", default="")
    for name in ("refuse-reception", "refuse"):
        p[name].add_argument("--reason", action="extend", nargs="+", required=True)
    for name in ("hand-over", "forward"):
        p[name].add_argument("--note", default="")
    p["forward"].add_argument("--to", required=True, metavar="AGENCY_CODE")
    p["apologise"].add_argument("--reason", required=True)
    p["apologise"].add_argument("--new-due", required=True, metavar="ISO")
    p["stop"].add_argument("--reason", required=True)
    p["stop"].add_argument("--legal-basis", default="")
    for name in ("apologise", "stop"):
        p[name].add_argument("--signer", type=int, default=None, metavar="SIGNER_ID")
    p["withdraw"].add_argument("--reason", default="")
    p["approve"].add_argument("--result", action="extend", nargs="+", required=True)
    p["approve"].add_argument("--electronic", action="store_true")
    p["approve"].add_argument("--note", default="")
    p["request-payment"].add_argument("--fee", action="append", required=True, metavar="N=AMOUNT")
    cp = p["confirm-payment"]
    cp.add_argument("--channel", choices=FeeCharge.PaymentChannel.values, default="cash")
    cp.add_argument("--gateway", default="")
    cp.add_argument("--ref", default="")
    p["return"].add_argument("--delivery", choices=Delivery.values, default=Delivery.DESK)
    log = p["log"]
    log.add_argument("agency", metavar="AGENCY_CODE")
    log.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    log.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    log.add_argument("--pdf", metavar="FILE")
    log.add_argument("--html", metavar="FILE")
    lst = p["list"]
    lst.add_argument("--agency", metavar="CODE")
    lst.add_argument("--state", metavar="S")
    lst.add_argument("--limit", type=int, default=50)
    f = p["form"]
    f.add_argument("form", metavar="FORM", help="Số mẫu: 01 … 06.")
    out = f.add_mutually_exclusive_group()
    out.add_argument("--pdf", metavar="FILE")
    out.add_argument("--html", metavar="FILE")
    f.add_argument(
        "--issue", action="store_true", help="Lập Mẫu 06 mới (phiếu kiểm soát), cần --as."
    )
    f.add_argument("--at", metavar="ISO", help="Thời điểm lập Mẫu 06 (demo).")
