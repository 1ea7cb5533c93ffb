"""Backup and restore of a whole installation: the database plus every file under MEDIA_ROOT.

One ``.tar`` archive holds

- ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3`` (SQLite, a copy made
  with sqlite3's online backup API, consistent while the server keeps writing);
- ``media/…``: the whole MEDIA_ROOT tree, whatever its layout;
- ``manifest.json`` (last): format, motcua version, date, database vendor, applied migrations,
  and each member's size and SHA-256.

The database is dumped first and the media copied after it, so that every file a dumped row
refers to is already on disk when the tree is copied (files are written before their row
commits); a file written meanwhile only adds an unreferenced file, never a row without its file.

Restore checks every checksum before it touches anything, refuses a database that already has
tables or a non-empty MEDIA_ROOT unless forced, and restores the media tree beside the old one
before swapping it in.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.db import connection, connections

FORMAT = "motcua-backup/1"
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message says why (shown to the operator)."""


@dataclass(frozen=True)
class Result:
    path: Path
    manifest: dict


# --- helpers -----------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_stream(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: from PATH, else the newest Debian-installed version (a newer
    client reads and writes dumps of older servers; an older one refuses a newer server)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
        reverse=True,
    )
    if not candidates:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools")
    return candidates[0]


def _pg_env(alias: str = "default") -> dict[str, str]:
    """The connection settings as libpq environment variables (no password on a command line)."""
    s = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if s.get(key):
            env[var] = str(s[key])
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own argument list
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _migrations() -> dict[str, str]:
    """The latest applied migration of each app, for the manifest (what code the dump expects)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return dict(cursor.fetchall())


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


def default_name(now: dt.datetime) -> str:
    return f"motcua-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar"


# --- backup ------------------------------------------------------------------------------------


def dump_database(target: Path) -> str:
    """Write a consistent copy of the default database to ``target``; its member name."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        _run(
            [pg_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(target)],
            _pg_env(),
        )
        return PG_DUMP
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:  # the backup would wait for this very transaction
            raise BackupError("cannot back up SQLite from inside a transaction")
        # the online backup API copies page by page under a read transaction: consistent even
        # while other processes write (a plain file copy of a WAL database is not)
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
        return SQLITE_COPY
    raise BackupError(f"unsupported database: {connection.vendor}")


def backup(destination: str | Path, *, now: dt.datetime | None = None) -> Result:
    """Write the archive; ``destination`` is a file name, or a directory: existing, or
    written with a trailing slash."""
    now = now or dt.datetime.now(dt.UTC)
    output = Path(destination)
    if output.is_dir() or str(destination).endswith(os.sep):
        output.mkdir(parents=True, exist_ok=True)
        output = output / default_name(now)
    if output.exists():
        raise BackupError(f"{output} already exists; choose another name")
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    files: dict[str, dict] = {}
    # written under a temporary name and renamed when complete: a backup that died half-way
    # never looks like a finished one
    partial = output.with_name(f".{output.name}.partial")
    with tempfile.TemporaryDirectory(prefix="motcua-backup-") as tmp:
        dump = Path(tmp) / "db"
        member = dump_database(dump)
        partial.unlink(missing_ok=True)  # the remains of a backup that died
        partial.touch(mode=0o600)  # personal data: readable by the service account only
        with tarfile.open(partial, "w") as tar:
            files[member] = {"size": dump.stat().st_size, "sha256": _sha256_file(dump)}
            tar.add(dump, arcname=member, recursive=False)
            dump.unlink()
            for path in _media_files(media_root):
                name = str(PurePosixPath(MEDIA, *path.relative_to(media_root).parts))
                info = tar.gettarinfo(path, arcname=name)
                with path.open("rb") as f:
                    # hashed from the bytes actually archived, even if the file changes meanwhile
                    reader = _HashingReader(f)
                    tar.addfile(info, reader)
                files[name] = {"size": info.size, "sha256": reader.hexdigest()}
            manifest = {
                "format": FORMAT,
                "motcua_version": metadata.version("motcua"),
                "created_at": now.isoformat(timespec="seconds"),
                "database": {"vendor": connection.vendor, "member": member},
                "migrations": _migrations(),
                "files": files,
            }
            data = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o644
            tar.addfile(info, _BytesReader(data))
        with partial.open("rb+") as f:
            os.fsync(f.fileno())
    os.replace(partial, output)
    return Result(output, manifest)


class _HashingReader:
    """A file wrapper hashing what tarfile reads (exactly ``size`` bytes)."""

    def __init__(self, f: IO[bytes]):
        self._f, self._digest = f, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        chunk = self._f.read(n)
        self._digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


class _BytesReader:
    def __init__(self, data: bytes):
        self._data, self._pos = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self._data) if n < 0 else self._pos + n
        chunk, self._pos = self._data[self._pos : end], min(end, len(self._data))
        return chunk


# --- restore -----------------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def verify(archive: Path) -> dict:
    """The manifest, after checking that every member is listed, safe and intact."""
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    try:
        tar = tarfile.open(archive, "r:")  # noqa: SIM115 - closed by the with below
    except tarfile.TarError as exc:
        raise BackupError(f"{archive}: not a backup archive ({exc})") from exc
    with tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError) as exc:
            raise BackupError(f"{archive}: missing or unreadable {MANIFEST}") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive}: unknown format {manifest.get('format')!r}")
        expected: dict[str, dict] = manifest["files"]
        seen: set[str] = set()
        for member in tar:
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_member(member.name):
                raise BackupError(f"{archive}: unexpected member {member.name!r}")
            if member.name not in expected:
                raise BackupError(f"{archive}: {member.name} is not in the manifest")
            digest, size = _sha256_stream(tar.extractfile(member))  # type: ignore[arg-type]
            want = expected[member.name]
            if (digest, size) != (want["sha256"], want["size"]):
                raise BackupError(f"{archive}: checksum mismatch for {member.name}")
            seen.add(member.name)
        missing = set(expected) - seen
        if missing:
            raise BackupError(f"{archive}: missing members: {', '.join(sorted(missing))}")
        if manifest["database"]["member"] not in seen:
            raise BackupError(f"{archive}: no database dump")
    return manifest


def database_has_tables() -> bool:
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


def _media_in_use(root: Path) -> bool:
    return root.is_dir() and any(root.iterdir())


def restore(archive: Path, *, force: bool = False) -> dict:
    """Restore the archive into the configured database and MEDIA_ROOT; the manifest."""
    manifest = verify(archive)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"the backup holds a {vendor} database; this installation uses {connection.vendor}"
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if database_has_tables():
            raise BackupError(
                "the database is not empty; restore into a new database or use --force"
            )
        if _media_in_use(media_root):
            raise BackupError(f"MEDIA_ROOT {media_root} is not empty; use --force to replace it")
    with tempfile.TemporaryDirectory(prefix="motcua-restore-") as tmp, tarfile.open(archive) as tar:
        dump = Path(tmp) / "db"
        with tar.extractfile(manifest["database"]["member"]) as src, dump.open("wb") as dst:  # type: ignore[union-attr]
            shutil.copyfileobj(src, dst, CHUNK)
        _restore_database(dump, force=force)
        _restore_media(tar, media_root)
    return manifest


def _restore_database(dump: Path, *, force: bool) -> None:
    if connection.vendor == "postgresql":
        connection.close()  # pg_restore --clean drops tables this session may have touched
        cmd = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        cmd += ["--single-transaction"]  # all or nothing
        if force:
            cmd += ["--clean", "--if-exists"]
        _run([*cmd, "-d", connection.settings_dict["NAME"], str(dump)], _pg_env())
        return
    # SQLite: the backup API again, from the copy into the live database file; it replaces
    # every page in one write transaction
    connection.ensure_connection()
    src = sqlite3.connect(dump)
    try:
        src.backup(connection.connection)
    finally:
        src.close()
    connection.close()


def _restore_media(tar: tarfile.TarFile, media_root: Path) -> None:
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    prefix = f"{MEDIA}/"
    for member in tar:
        if not member.name.startswith(prefix):
            continue
        target = staging / PurePosixPath(member.name[len(prefix) :])
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as src, target.open("wb") as dst:  # type: ignore[union-attr]
            shutil.copyfileobj(src, dst, CHUNK)
        os.utime(target, (member.mtime, member.mtime))
    staging.chmod(0o755)
    old = None
    if media_root.exists():
        old = media_root.with_name(f".{media_root.name}.replaced")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(media_root, old)
    os.replace(staging, media_root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
