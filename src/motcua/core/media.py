"""Stored files that a dying transaction cannot leave in the wrong place.

A database transaction can roll back; a file written to disk cannot. So files are never
written *as part of* the transaction that saves the row pointing to them:

- ``store(data)`` writes the bytes as a new, immutable *blob* with a random name
  (``blobs/<2 hex>/<32 hex>``), first under ``staging/`` and then renamed into place (a rename
  is atomic: a blob is either absent or complete). Call it before the row is saved; the row
  keeps the name. Every row gets its own blob, so no blob is ever shared between rows, between
  dossiers or between applicants, and there is no per-dossier folder an orphan could end up in.
- When the transaction dies (exception, ``kill -9``, power loss) the blob is left without a
  row: an *orphan*, harmless (nothing links to it) and collected by ``collect`` (``motcua media
  check --fix``) once older than ``MEDIA_ORPHAN_GRACE_HOURS``. The grace period protects a
  blob written by a transaction that is still running.
- A row being deleted gives its blob to ``discard_after_commit``: removed only once the
  deletion is committed (a rollback keeps row and file); a process killed in between leaves an
  orphan for ``collect``, never a row without its file.

Files stored before this scheme (``dossiers/%Y/%m/<code>/…``, ``drafts/…``, ``feedback/…``)
keep working: a row holds a storage name, whatever its shape; ``collect`` treats every file
under ``MEDIA_ROOT`` alike. See docs/deployment.md, "Stored files".
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

log = logging.getLogger(__name__)

BLOBS = "blobs"
STAGING = "staging"


def store(data: bytes) -> str:
    """Write ``data`` as a new blob and return its storage name (for the row's file field)."""
    token = uuid.uuid4().hex
    name = f"{BLOBS}/{token[:2]}/{token}"
    try:
        final = Path(default_storage.path(name))
    except NotImplementedError:  # a remote storage: its own upload is all or nothing
        return default_storage.save(name, ContentFile(data))
    staging = Path(default_storage.location) / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = staging / f"{token}.part"
    with open(partial, "xb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())  # the bytes are on disk before any row can point to them
    if settings.FILE_UPLOAD_PERMISSIONS is not None:
        os.chmod(partial, settings.FILE_UPLOAD_PERMISSIONS)
    os.replace(partial, final)
    _fsync_dir(final.parent)  # and so is its name, before the row that names it commits
    return name


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def discard(name: str) -> None:
    """Remove a blob nothing refers to (best effort: ``collect`` gets what is left)."""
    if not name:
        return
    try:
        default_storage.delete(name)
    except OSError:
        log.warning("could not remove stored file %s; media check will collect it", name)


def discard_after_commit(names: Iterable[str]) -> None:
    """Remove the files of rows being deleted, once (and only if) the deletion commits."""
    pending = [n for n in names if n]
    if pending:
        transaction.on_commit(lambda: [discard(n) for n in pending])


# --- checking and collecting -----------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    modified: str  # ISO 8601


@dataclass(frozen=True)
class MissingFile:
    model: str  # app_label.ModelName
    pk: int | str
    field: str
    name: str


@dataclass
class Report:
    orphans: list[StoredFile] = field(default_factory=list)  # no row, past the grace period
    recent: list[StoredFile] = field(default_factory=list)  # no row yet, within the grace period
    missing: list[MissingFile] = field(default_factory=list)  # a row whose file is gone
    removed: list[StoredFile] = field(default_factory=list)  # orphans removed by --fix

    @property
    def ok(self) -> bool:
        return not self.orphans and not self.missing

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "counts": {
                "orphans": len(self.orphans),
                "recent": len(self.recent),
                "missing": len(self.missing),
                "removed": len(self.removed),
            },
            "orphans": [asdict(f) for f in self.orphans],
            "recent": [asdict(f) for f in self.recent],
            "missing": [asdict(m) for m in self.missing],
            "removed": [asdict(f) for f in self.removed],
        }


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    """Every file field of every installed model stored in the default storage."""
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField) and f.storage is default_storage:
                yield model, f


def _references() -> dict[str, list[tuple[type[models.Model], models.FileField, object]]]:
    refs: dict[str, list[tuple[type[models.Model], models.FileField, object]]] = {}
    for model, f in _file_fields():
        rows = model._base_manager.exclude(**{f.attname: ""}).exclude(**{f.attname: None})
        for pk, name in rows.values_list("pk", f.attname).iterator():
            refs.setdefault(name, []).append((model, f, pk))
    return refs


def _walk(path: str = "") -> Iterator[str]:
    try:
        dirs, files = default_storage.listdir(path)
    except FileNotFoundError:
        return
    for d in sorted(dirs):
        yield from _walk(f"{path}/{d}" if path else d)
    for name in sorted(files):
        yield f"{path}/{name}" if path else name


def collect(*, grace: dt.timedelta, fix: bool = False) -> Report:
    """Files without rows and rows without files; with ``fix``, remove the orphans.

    The files are listed *before* the rows are read: a file written after the listing is not
    looked at, and one written before it but whose row is not committed yet is younger than
    the grace period (unless its transaction ran longer than that), so it is only "recent".
    """
    now = timezone.now()
    on_disk = [(n, default_storage.get_modified_time(n)) for n in _walk()]
    refs = _references()
    report = Report()
    for name, modified in on_disk:
        if name in refs:
            continue
        item = StoredFile(name, default_storage.size(name), modified.isoformat())
        if now - modified < grace:
            report.recent.append(item)
        elif fix and _still_unreferenced(name):
            discard(name)
            report.removed.append(item)
        else:
            report.orphans.append(item)
    listed = {n for n, _ in on_disk}
    for name, rows in refs.items():
        if name in listed or default_storage.exists(name):
            continue
        for model, f, pk in rows:
            # a row deleted (and its file removed) since the rows were read is not missing
            if model._base_manager.filter(pk=pk, **{f.attname: name}).exists():
                report.missing.append(MissingFile(model._meta.label, pk, f.name, name))
    return report


def _still_unreferenced(name: str) -> bool:
    return not any(
        model._base_manager.filter(**{f.attname: name}).exists() for model, f in _file_fields()
    )
