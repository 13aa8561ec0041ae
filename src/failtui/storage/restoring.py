"""Putting a backup in place of the database, in steps that are each safe to be killed at.

:func:`replace_database` takes these steps:

1. the backup is copied to ``.failtui.db.restoring`` (private, synced): a kill leaves the
   database as it was, and the copy is removed at the next start;
2. the current file and its WAL are *copied* (never linked: the live file goes on being
   written) to ``failtui-before-restore-<time>.db`` and ``...db-wal``, under a name no other
   file has (a second restore in the same second gets ``-2``): a kill leaves the database as it
   was, plus a complete copy;
3. the restore is committed by writing ``.failtui.db.restore-ready``;
4. the old WAL and shared-memory files are removed and the copy renamed over the database,
   then the marker is removed. A kill in this step is finished by the next failtui that opens
   the database (:func:`finish_interrupted_restore`, called by ``open_db``), so the database is
   never the restored file with the old WAL, nor the old file without it.

This module works on files and the data dir's lock only, never through the database code, so
opening the database can finish a restore without importing the backups (which open it).
Which backup to restore, and checking it, is :func:`failtui.storage.backup.restore_backup`.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

from failtui import locations
from failtui.safefiles import copy_private_new, fsync_dir, shown, write_private_new
from failtui.storage.lock import InstanceLock


class RestoreError(Exception):
    """A restore cannot be made or finished; the message says which file and why."""


def replace_database(data_dir: Path, db_file: Path, source: Path, now: datetime) -> Path | None:
    """Put the checked backup ``source`` in place of ``db_file`` (the steps above), holding
    the data dir's lock; return where the current file was kept, or None if there was none.

    Raises:
        RestoreError: another failtui is open on the data dir, or the files cannot be
            written. Nothing is changed then.
    """
    with InstanceLock(data_dir) as lock:
        if not lock.acquire():
            raise RestoreError(
                f"{shown(data_dir)}: another failtui is open on this data folder; close it first"
            )
        _finish_under_lock(db_file)
        incoming = locations.restore_incoming(db_file)
        try:
            copy_private_new(source, incoming)
        except OSError as exc:
            with contextlib.suppress(OSError):
                incoming.unlink()
            raise RestoreError(
                f"{shown(db_file.parent)}: cannot write ({exc.strerror or exc})"
            ) from None
        try:
            aside = _keep_aside(db_file, now) if os.path.lexists(db_file) else None
            _write_marker(db_file, aside)
        except OSError as exc:
            with contextlib.suppress(OSError):
                incoming.unlink()
            raise RestoreError(
                f"{shown(db_file.parent)}: cannot keep the current file aside "
                f"({exc.strerror or exc}); nothing was changed"
            ) from None
        _complete(db_file)
    return aside


def _aside_temporaries(db_file: Path) -> list[Path]:
    return list(db_file.parent.glob(f".{db_file.name}.aside-*.tmp"))


def _keep_aside(db_file: Path, now: datetime) -> Path:
    """Copy the database and its WAL to a new, unique ``...-before-restore-<time>`` name."""
    pid = os.getpid()
    tmp_db = db_file.with_name(f".{db_file.name}.aside-{pid}.tmp")
    tmp_wal = db_file.with_name(f".{db_file.name}.aside-wal-{pid}.tmp")
    for stale in (tmp_db, tmp_wal):
        stale.unlink(missing_ok=True)
    wal = Path(f"{db_file}-wal")
    try:
        copy_private_new(db_file, tmp_db)
        has_wal = os.path.lexists(wal) and wal.lstat().st_size > 0
        if has_wal:
            copy_private_new(wal, tmp_wal)
        stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%S}Z"
        for number in range(1, 10_000):
            suffix = "" if number == 1 else f"-{number}"
            name = f"{db_file.stem}-before-restore-{stamp}{suffix}{db_file.suffix}"
            aside = db_file.with_name(name)
            aside_wal = Path(f"{aside}-wal")
            if os.path.lexists(aside) or os.path.lexists(aside_wal):
                continue
            # Linked in, never renamed over: an existing file (or symlink) of that name stays.
            try:
                if has_wal:
                    _link_new(tmp_wal, aside_wal)
            except FileExistsError:
                continue
            try:
                _link_new(tmp_db, aside)
            except FileExistsError:
                if has_wal:
                    aside_wal.unlink(missing_ok=True)
                continue
            fsync_dir(db_file.parent)
            return aside
        raise OSError(0, "no free name to keep the current file aside")
    finally:
        tmp_db.unlink(missing_ok=True)
        tmp_wal.unlink(missing_ok=True)


def _link_new(source: Path, target: Path) -> None:
    """Give ``source`` the new name ``target``; FileExistsError if that name is taken."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: the lock keeps other failtuis out meanwhile.
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.rename(source, target)


def _write_marker(db_file: Path, aside: Path | None) -> None:
    marker = locations.restore_ready_marker(db_file)
    temporary = marker.with_name(f"{marker.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    write_private_new(temporary, (aside.name if aside else "").encode("utf-8"))
    os.replace(temporary, marker)
    fsync_dir(db_file.parent)


def _complete(db_file: Path) -> None:
    """Step 4 of a committed restore; safe to repeat after a kill at any point in it."""
    incoming = locations.restore_incoming(db_file)
    if os.path.lexists(incoming):
        for suffix in ("-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        os.replace(incoming, db_file)
        fsync_dir(db_file.parent)
    locations.restore_ready_marker(db_file).unlink(missing_ok=True)


def _finish_under_lock(db_file: Path) -> str | None:
    """Finish a committed restore, or remove what an uncommitted one left (lock held)."""
    message = None
    marker = locations.restore_ready_marker(db_file)
    if os.path.lexists(marker):
        try:
            aside = marker.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            aside = ""
        if os.path.lexists(locations.restore_incoming(db_file)):
            message = f"finished a restore that was interrupted in {shown(db_file)}" + (
                f"; the file it replaced is kept as {shown(db_file.with_name(aside))}"
                if aside
                else ""
            )
        _complete(db_file)
    else:
        locations.restore_incoming(db_file).unlink(missing_ok=True)
    for stale in [*_aside_temporaries(db_file), *db_file.parent.glob(f"{marker.name}.*.tmp")]:
        stale.unlink(missing_ok=True)
    return message


def finish_interrupted_restore(db_file: Path) -> str | None:
    """Finish or clean up a restore killed part-way, before the database is opened.

    Returns a message when a restore was finished. Does nothing (and costs two ``lstat`` and a
    look at the folder) when there is nothing to do.

    Raises:
        RestoreError: a committed restore is waiting, but another failtui holds the data dir,
            or its files cannot be moved.
    """
    marker, incoming = locations.restore_ready_marker(db_file), locations.restore_incoming(db_file)
    if not (os.path.lexists(marker) or os.path.lexists(incoming) or _aside_temporaries(db_file)):
        return None
    with InstanceLock(db_file.parent) as lock:
        if not lock.acquire():
            if os.path.lexists(marker):
                raise RestoreError(
                    f"{shown(db_file)}: a restore was interrupted and another failtui is open "
                    "on this data folder; close it and try again"
                )
            return None  # perhaps a restore running right now: leave its files alone
        try:
            return _finish_under_lock(db_file)
        except OSError as exc:
            raise RestoreError(
                f"{shown(db_file)}: cannot finish an interrupted restore ({exc.strerror or exc})"
            ) from None
