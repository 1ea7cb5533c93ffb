"""``motcua sync SUBCOMMAND``: the national-portal outbox from the shell.

- ``status [--dossier CODE] [--format json|table]``: totals by state, and per dossier its
  items (state, attempts, last error);
- ``push``: deliver everything due (the sweep; cron or the scheduler runs it);
- ``requeue CODE``: send a dossier again (dead items get a fresh attempt budget);
- ``reconcile --from YYYY-MM-DD --to YYYY-MM-DD [--dry-run] [--format …]``: compare with the
  portal (``TraCuuHoSo``) and re-queue what differs;
- ``catalog pull|show|apply|discard``: the reviewed import from the national catalog.

Bad input prints a Vietnamese message and exits with status 2."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import CommandError, CommandParser

from motcua.core.management.base import OneShotCommand
from motcua.dossiers.models import Dossier
from motcua.natsync import catalog_pull, client, queries, reconcile, services


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise CommandError(
            f"Ngày {what} “{text}” không hợp lệ (YYYY-MM-DD).", returncode=2
        ) from None


def _dossier(code: str) -> Dossier:
    dossier = Dossier.objects.filter(code=code).first()
    if dossier is None:
        raise CommandError(f"Không tìm thấy hồ sơ “{code}”.", returncode=2)
    return dossier


def _need_portal() -> None:
    if not client.enabled():
        raise CommandError("Chưa cấu hình kết nối Cổng DVCQG (NATSYNC_URL).", returncode=2)


def _table(rows: list[dict], columns: list[str]) -> str:
    widths = {c: max([len(c), *(len(str(r.get(c, ""))) for r in rows)]) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns)]
    lines += ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join(lines)


class Command(OneShotCommand):
    help = "Đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, parser_class=CommandParser)
        p = sub.add_parser("status", help="tình trạng hàng đợi đồng bộ")
        p.add_argument("--dossier", help="mã hồ sơ")
        p.add_argument("--format", choices=["json", "table"], default="table")
        sub.add_parser("push", help="gửi các mục đến hạn")
        p = sub.add_parser("requeue", help="gửi lại một hồ sơ")
        p.add_argument("code")
        p = sub.add_parser("reconcile", help="đối soát với Cổng DVCQG")
        p.add_argument("--from", dest="start", required=True)
        p.add_argument("--to", dest="end", required=True)
        p.add_argument("--dry-run", action="store_true", help="chỉ báo cáo, không gửi lại")
        p.add_argument("--format", choices=["json", "table"], default="table")
        p = sub.add_parser("catalog", help="lấy TTHC từ CSDL quốc gia (có duyệt)")
        p.add_argument("action", choices=["pull", "show", "apply", "discard"])
        p.add_argument("--id", type=int, help="đợt lấy về (mặc định: đợt mới nhất)")
        p.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, **o) -> None:
        getattr(self, "_" + o["subcommand"])(o)

    def _status(self, o: dict) -> None:
        dossier = _dossier(o["dossier"]) if o.get("dossier") else None
        totals = queries.counts(dossier.pk if dossier else None)
        data: dict = {"totals": totals}
        if dossier:
            services.materialise(dossier.pk)
            data["dossier"] = dossier.code
            data["items"] = [
                {
                    "id": i.pk,
                    "event": i.event_id,
                    "action": i.event.action,
                    "status": i.event.national_status,
                    "state": i.state,
                    "attempts": i.attempts,
                    "synced_at": i.synced_at.isoformat() if i.synced_at else "",
                    "last_error": i.last_error,
                }
                for i in queries.items_of(dossier)
            ]
        else:
            data["problems"] = [
                {"dossier": d.code, "failed": d.failed, "dead": d.dead}
                for d in queries.dossiers_with_problems()
            ]
        if o["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_table([totals], list(totals)))
        if dossier:
            self.stdout.write(f"\nHồ sơ {dossier.code}:")
            cols = ["id", "action", "status", "state", "attempts", "synced_at", "last_error"]
            self.stdout.write(_table(data["items"], cols))
        elif data["problems"]:
            self.stdout.write("\nHồ sơ có lỗi đồng bộ:")
            self.stdout.write(_table(data["problems"], ["dossier", "failed", "dead"]))

    def _push(self, o: dict) -> None:
        _need_portal()
        totals = services.deliver_due()
        self.stdout.write(
            f"Đã xét {totals['dossiers']} hồ sơ: gửi {totals['sent']} mục, "
            f"{totals['failed']} hồ sơ lỗi, {totals['blocked']} hồ sơ đang chặn."
        )

    def _requeue(self, o: dict) -> None:
        dossier = _dossier(o["code"])
        n = services.requeue(dossier.pk)
        from motcua.natsync import hooks

        hooks.enqueue_delivery(dossier.pk, reason="requeue")
        self.stdout.write(f"Đã đưa lại {n} mục của hồ sơ {dossier.code} vào hàng đợi.")

    def _reconcile(self, o: dict) -> None:
        _need_portal()
        start, end = _date(o["start"], "bắt đầu"), _date(o["end"], "kết thúc")
        if end < start:
            raise CommandError("Ngày kết thúc trước ngày bắt đầu.", returncode=2)
        try:
            rows = reconcile.reconcile(start, end, apply_changes=not o["dry_run"])
        except client.PortalError as exc:
            raise CommandError(f"Lỗi khi tra cứu Cổng DVCQG: {exc.message}", returncode=1) from None
        differing = [r for r in rows if r["differences"]]
        if o["format"] == "json":
            out = {"checked": len(rows), "differing": differing}
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Đã đối soát {len(rows)} hồ sơ, {len(differing)} hồ sơ khác biệt.")
        if differing:
            shown = [{**r, "differences": ",".join(r["differences"])} for r in differing]
            self.stdout.write(_table(shown, ["code", "differences", "requeued"]))

    def _catalog(self, o: dict) -> None:
        action = o["action"]
        if action == "pull":
            _need_portal()
            try:
                pull = catalog_pull.pull()
            except client.PortalError as exc:
                raise CommandError(f"Lỗi khi lấy TTHC: {exc.message}", returncode=1) from None
        else:
            pull = catalog_pull.get(o.get("id"))
            if pull is None:
                raise CommandError("Không có đợt lấy TTHC nào.", returncode=2)
            try:
                if action == "apply":
                    catalog_pull.apply(pull)
                elif action == "discard":
                    catalog_pull.discard(pull)
            except catalog_pull.PullError as exc:
                raise CommandError(exc.message, returncode=2) from None
            pull.refresh_from_db()
        if o["format"] == "json":
            out = {"id": pull.pk, "status": pull.status, "diff": pull.diff}
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Đợt lấy TTHC số {pull.pk} ({pull.get_status_display()}):")
        rows = [
            {"code": d["code"], "change": d["change"], "fields": ",".join(d["fields"])}
            for d in pull.diff
        ]
        self.stdout.write(
            _table(rows, ["code", "change", "fields"]) if rows else "Không có khác biệt."
        )
