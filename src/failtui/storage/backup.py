"""Automatic backups of the database, kept in the data dir's ``backups/`` folder, and restoring one.

A backup is a consistent copy made with SQLite's online backup API (a read transaction, so a
drill in another process may go on writing). failtui takes one when the app or a plain drill
opens, at most once a day and only if the data changed since the newest backup; it keeps the
newest ``backups_keep`` (a setting, default :data:`DEFAULT_KEEP`). Taking it on open rather
than on close means it also happens after a crash, a SIGKILL or a closed terminal, when no
close handler runs, and it holds the state from before the session that is about to start.

Backups are files ``failtui-YYYYMMDDTHHMMSSZ.db`` (UTC), readable by the user only.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from failtui.storage import queries
from failtui.storage.db import Store
from failtui.storage.lock import InstanceLock

#: How many backups are kept when the ``backups_keep`` setting is not set.
DEFAULT_KEEP = 10
#: At most one automatic backup per this interval.
BACKUP_INTERVAL = timedelta(days=1)
BACKUP_FOLDER = "backups"
_NAME = re.compile(r"^failtui-(\d{8}T\d{6})Z(?:-\d+)?\.db$")


class BackupError(Exception):
    """A backup could not be taken or restored; the message says which file and why."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was taken (UTC), how large it is."""

    path: Path
    taken_at: datetime
    size: int


def backups_dir(data_dir: Path) -> Path:
    """The backups folder of a data dir."""
    return data_dir / BACKUP_FOLDER


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first (files of other names are ignored)."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _NAME.match(path.name)
        if match is None:
            continue
        taken = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        try:
            size = path.stat().st_size
        except OSError:
            continue
        found.append(BackupInfo(path, taken, size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def keep_count(store: Store) -> int:
    """How many backups to keep (the ``backups_keep`` setting, at least 1)."""
    return max(1, int(queries.get_setting(store, "backups_keep", DEFAULT_KEEP)))


def take_backup(store: Store, folder: Path, now: datetime) -> Path:
    """Copy the database into ``folder`` now, whatever the last backup was; returns its path.

    Raises:
        BackupError: the folder cannot be written or the disk is full (nothing is left behind).
    """
    partial = _copy_to_partial(store, folder, now)
    return _finish(partial, folder, now)


def backup_if_due(store: Store, folder: Path, now: datetime) -> Path | None:
    """Take a backup if the newest is a day old (or dated in the future) and the data changed.

    Returns the new backup's path, or None when none was needed. Older backups beyond the
    ``backups_keep`` setting are deleted.

    Raises:
        BackupError: the folder cannot be written or the disk is full.
    """
    if not _has_user_data(store):
        return None  # a new, empty database: nothing worth a file yet
    backups = list_backups(folder)
    newest = backups[0] if backups else None
    # A newest backup dated after now means the clock was set back: do not wait for it.
    if newest is not None and timedelta(0) <= now - newest.taken_at < BACKUP_INTERVAL:
        return None
    partial = _copy_to_partial(store, folder, now)
    # The backup API copies pages as they are, so unchanged data gives an identical file.
    if newest is not None and filecmp.cmp(partial, newest.path, shallow=False):
        partial.unlink()
        return None
    path = _finish(partial, folder, now)
    prune(folder, keep_count(store))
    return path


def _has_user_data(store: Store) -> bool:
    return any(
        store.query(f"SELECT 1 FROM {table} LIMIT 1")
        for table in ("reviews", "attempts", "drafts", "card_state", "settings")
    )


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups, and copies left half-made by a crash.

    Returns the deleted backups.
    """
    with contextlib.suppress(OSError):
        for partial in folder.glob(".failtui-*.partial"):
            # An hour old: surely not being written by another failtui opening right now.
            if time.time() - partial.stat().st_mtime > 3600:
                partial.unlink()
    removed = []
    for old in list_backups(folder)[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
            removed.append(old.path)
    return removed


def _copy_to_partial(store: Store, folder: Path, now: datetime) -> Path:
    # The pid keeps two failtui processes opening at the same moment out of each other's way.
    partial = folder / f".failtui-{now.astimezone(UTC):%Y%m%dT%H%M%S}Z-{os.getpid()}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        # Created 0600 before SQLite opens it, so the copy is never readable by others.
        os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
        target = sqlite3.connect(partial)
        try:
            store.conn.backup(target)
        finally:
            target.close()
        return partial
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BackupError(f"{folder}: cannot write a backup ({reason})") from None


def _finish(partial: Path, folder: Path, now: datetime) -> Path:
    stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%S}Z"
    path = folder / f"failtui-{stamp}.db"
    counter = 1
    while path.exists():
        path = folder / f"failtui-{stamp}-{counter}.db"
        counter += 1
    try:
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise BackupError(f"{folder}: cannot write a backup ({exc.strerror})") from None
    return path


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup put in place and where the replaced file was kept."""

    restored_from: Path
    kept_aside: Path | None


def find_backup(data_dir: Path, name: str | None) -> Path:
    """The newest backup, or the one named (a file name in ``backups/`` or any path).

    Raises:
        BackupError: there is no backup, or none of that name (the message lists them).
    """
    folder = backups_dir(data_dir)
    backups = list_backups(folder)
    if name is None:
        if not backups:
            raise BackupError(f"{folder}: there is no backup to restore")
        return backups[0].path
    for candidate in (Path(name).expanduser(), folder / name):
        if candidate.is_file():
            return candidate
    known = ", ".join(b.path.name for b in backups) or "none"
    raise BackupError(f"no backup '{name}' (in {folder}: {known})")


def restore_backup(data_dir: Path, db_file: Path, backup: Path, now: datetime) -> RestoreResult:
    """Put ``backup`` in place of ``db_file``, keeping the current file (and its WAL) aside.

    Raises:
        BackupError: another failtui is open on the data dir, the backup is damaged, or the
            files cannot be written. Nothing is changed then.
    """
    _check_backup(backup)
    with InstanceLock(data_dir) as lock:
        if not lock.acquire():
            raise BackupError(
                f"{data_dir}: another failtui is open on this data folder; close it first"
            )
        stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%S}Z"
        incoming = db_file.with_name(f".{db_file.name}.restoring")
        try:
            fd = os.open(incoming, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out, backup.open("rb") as source:
                while chunk := source.read(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            with contextlib.suppress(OSError):
                incoming.unlink()
            raise BackupError(f"{db_file.parent}: cannot write ({exc.strerror})") from None
        aside = None
        if db_file.exists():
            aside = db_file.with_name(f"{db_file.stem}-before-restore-{stamp}{db_file.suffix}")
            # Kept under a second name first (a link, or a copy), so that a crash at any point
            # leaves a database under the usual name. Its WAL and shared-memory files move with
            # it: the kept copy opens as it was, and the old WAL is never replayed into the
            # restored file.
            try:
                os.link(db_file, aside)
            except OSError:
                shutil.copy2(db_file, aside)
            for suffix in ("-wal", "-shm"):
                source = Path(f"{db_file}{suffix}")
                if source.exists():
                    os.replace(source, Path(f"{aside}{suffix}"))
        os.replace(incoming, db_file)
    return RestoreResult(backup, aside)


def _check_backup(backup: Path) -> None:
    try:
        uri = f"{backup.resolve().as_uri()}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{backup}: not a usable backup ({exc}); choose another") from None
    if result != [("ok",)]:
        raise BackupError(f"{backup}: the backup is damaged ({result[0][0]}); choose another")
