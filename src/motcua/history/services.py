"""``import_file``: one history import, all or nothing, audited as one event.

Every row is validated before anything is written; one bad row and nothing is written, with
every problem reported (line, column, message). Rows whose old-system code is already in the
database are skipped and counted, so importing the same file twice adds nothing. The
dossiers the import changes are queued for the statistics engine in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.audit import record_change
from motcua.feedback.models import FeedbackItem
from motcua.history import dossiers, feedback, ratings
from motcua.history.models import HistoryImport
from motcua.history.parsing import Problem, read_table
from motcua.ratings.models import Rating
from motcua.stats import services as stats_services

KINDS: dict[str, ModuleType] = {"dossiers": dossiers, "feedback": feedback, "ratings": ratings}
LABELS = {"dossiers": "hồ sơ", "feedback": "phản ánh, kiến nghị", "ratings": "đánh giá"}


class HistoryImportError(Exception):
    """The file was refused: nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} lỗi")
        self.problems = problems


@dataclass
class ImportResult:
    kind: str
    file_name: str
    sha256: str
    rows: int
    created: int
    skipped: int
    dry_run: bool
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)  # read, validate, write (seconds)
    ids: list[int] = field(default_factory=list)  # the records created (dossier ids, …)
    ignored_columns: list[str] = field(default_factory=list)
    previous: HistoryImport | None = None  # an earlier import of the same file
    event: HistoryImport | None = None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _touched_dossiers(kind: str, ids: list[int]) -> list[int]:
    """The dossiers whose statistics the imported records change: the dossiers themselves,
    or those a rating or a feedback item is about (a dissatisfied rating or a complaint makes
    a dossier count as negative in the 766 index). The ids were reserved as one block, so a
    range reads them; a concurrent writer's row inside it is only refreshed once more."""
    if not ids or kind == "dossiers":
        return ids
    model = Rating if kind == "ratings" else FeedbackItem
    return list(
        model.objects.filter(pk__gte=min(ids), pk__lte=max(ids), dossier__isnull=False)
        .values_list("dossier_id", flat=True)
        .distinct()
    )


def import_file(
    kind: str,
    path: Path,
    *,
    by=None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Import ``path`` as ``kind`` ("dossiers", "feedback" or "ratings")."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    module = KINDS[kind]
    started = time.perf_counter()
    now = now or timezone.now()
    digest = sha256_of(path)
    table = read_table(path, module.COLUMNS)
    read_at = time.perf_counter()
    prepared = module.prepare(table, now=now)
    validated_at = time.perf_counter()
    if prepared.problems:
        raise HistoryImportError(prepared.problems)
    result = ImportResult(
        kind=kind,
        file_name=path.name,
        sha256=digest,
        rows=len(table.rows),
        created=len(prepared.rows),
        skipped=prepared.skipped,
        dry_run=dry_run,
        seconds=0.0,
        ignored_columns=table.ignored,
        phases={"read": read_at - started, "validate": validated_at - read_at},
        previous=HistoryImport.objects.filter(kind=kind, sha256=digest).order_by("at").first(),
    )
    if dry_run:
        result.seconds = time.perf_counter() - started
        return result
    try:
        with transaction.atomic():
            result.ids = module.write(prepared.rows)
            stats_services.mark_dirty(_touched_dossiers(kind, result.ids))
            result.phases["write"] = time.perf_counter() - validated_at
            result.seconds = time.perf_counter() - started
            result.event = HistoryImport.objects.create(
                kind=kind,
                at=now,
                by=by if getattr(by, "pk", None) else None,
                os_user=_os_user(),
                file_name=path.name[:255],
                sha256=digest,
                rows=result.rows,
                created=result.created,
                skipped=result.skipped,
                seconds=round(result.seconds, 3),
            )
            record_change(
                "history_import",
                result.event,
                f"Nhập {result.created} {LABELS[kind]} từ {path.name} "
                f"({result.skipped} đã có, bỏ qua)",
                actor=by,
                data={
                    "kind": kind,
                    "file": path.name,
                    "sha256": digest,
                    "rows": result.rows,
                    "created": result.created,
                    "skipped": result.skipped,
                },
            )
    except dossiers.ReferenceGone as exc:  # deleted between the validation and the write
        ids = ", ".join(str(pk) for pk in sorted(exc.ids)[:10])
        raise HistoryImportError(
            [Problem(0, "", f"Không ghi được: {exc.what} (id {ids}) vừa bị xóa; nhập lại tệp.")]
        ) from None
    except IntegrityError as exc:  # a concurrent import wrote some of the same codes
        raise HistoryImportError(
            [Problem(0, "", f"Không ghi được (dữ liệu vừa bị thay đổi đồng thời): {exc}")]
        ) from None
    return result


def _os_user() -> str:
    try:
        return getpass.getuser()[:100]
    except (KeyError, OSError):
        return ""
