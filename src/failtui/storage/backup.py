"""Automatic backups of the database, kept in the data dir's ``backups/`` folder, and restoring one.

A backup is a consistent copy made with SQLite's online backup API (a read transaction, so a
drill in another process may go on writing). failtui takes one when the app or a plain drill
opens, at most once a day and only if the data changed since the newest backup; it keeps the
newest ``backups_keep`` (a setting, default
:data:`~failtui.user_settings.DEFAULT_BACKUPS_KEPT`). Taking it on open rather than on close
means it also happens after a crash, a SIGKILL or a closed terminal, when no close handler
runs, and it holds the state from before the session that is about to start.

The database is checked (``PRAGMA quick_check``) before it is copied: a damaged file is never
backed up (it would push the good backups out), and pruning never deletes the newest backup
that passes the check. Files in the folder that are not backups (stray names, impossible or
future dates, directories, symlinks) are ignored or sorted last; they never stop anything.

Backups are files ``failtui-YYYYMMDDTHHMMSSZ.db`` (UTC), readable by the user only.

A restore is a sequence that is safe to interrupt at every step (see
:mod:`failtui.storage.restoring`): until it is committed the database is untouched, and once it
is, the next start finishes it.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from failtui import locations
from failtui.safefiles import is_regular_file, shown
from failtui.storage import home_queries
from failtui.storage.db import (
    KNOWN_MIGRATIONS,
    Store,
    _applied_migrations,
    check_database,
    foreign_reason,
)
from failtui.storage.restoring import RestoreError, replace_database
from failtui.user_settings import DEFAULT_BACKUPS_KEPT, MAX_BACKUPS_KEPT

#: At most one automatic backup per this interval.
BACKUP_INTERVAL = timedelta(days=1)
#: A backup dated later than now plus this was taken while the clock was ahead.
CLOCK_SLACK = timedelta(minutes=5)
#: Longest name accepted for a backup to restore (a file name cannot be longer).
MAX_NAME = 255


class BackupError(Exception):
    """A backup could not be taken or restored; the message says which file and why."""


class DatabaseDamaged(BackupError):
    """The database failed its check, so no backup was taken; the message says what to do."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was taken (UTC), how large it is."""

    path: Path
    taken_at: datetime
    size: int
    #: Dated after the time it was listed: taken while the clock was ahead. Sorted last.
    future: bool = False


def backups_dir(data_dir: Path) -> Path:
    """The backups folder of a data dir (see :func:`failtui.locations.backups_dir`)."""
    return locations.backups_dir(data_dir)


def list_backups(folder: Path, now: datetime | None = None) -> list[BackupInfo]:
    """The backups in ``folder``, newest first.

    Files of other names, impossible dates (month 13), symlinks and anything but regular files
    are ignored. With ``now``, backups dated after it (a clock that was ahead) come last: they
    are never taken for the newest, and they are the first pruned.
    """
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    limit = None if now is None else now + CLOCK_SLACK
    for path in entries:
        match = locations.BACKUP_NAME.match(path.name)
        if match is None or not is_regular_file(path):
            continue
        try:
            taken = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            size = path.lstat().st_size
        except (ValueError, OverflowError, OSError):
            continue
        found.append(BackupInfo(path, taken, size, limit is not None and taken > limit))
    return sorted(found, key=lambda b: (not b.future, b.taken_at, b.path.name), reverse=True)


def keep_count(store: Store) -> int:
    """How many backups to keep (the ``backups_keep`` setting, 1 to
    :data:`~failtui.user_settings.MAX_BACKUPS_KEPT`).

    A setting that is not a number (edited by hand) counts as the default.
    """
    try:
        value = home_queries.get_setting(store, "backups_keep", DEFAULT_BACKUPS_KEPT)
    except (ValueError, RecursionError):
        return DEFAULT_BACKUPS_KEPT
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return DEFAULT_BACKUPS_KEPT
    return int(min(max(value, 1), MAX_BACKUPS_KEPT))


def damaged_message(path: Path | None, problems: list[str], has_backups: bool) -> str:
    """What to tell the user when the database failed its check (one line); ``has_backups``:
    whether there are backups to restore, so the advice never promises one that is not there."""
    first = problems[0] if problems else "unknown damage"
    more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
    damaged = f"{shown(path or 'the database')} is damaged ({shown(first)}{more})."
    if not has_backups:
        return (
            f"{damaged} It was not copied, and there is no backup yet to put back. Run "
            "'failtui doctor' to see the damage."
        )
    return (
        f"{damaged} No backup was taken, so your good backups are kept. Run 'failtui doctor' "
        "to see it, then 'failtui doctor --restore' to put back the newest good backup (the "
        "damaged file is kept aside)."
    )


def take_backup(store: Store, folder: Path, now: datetime) -> Path:
    """Copy the database into ``folder`` now, whatever the last backup was; returns its path.

    Raises:
        BackupError: the folder cannot be written or the disk is full (nothing is left behind).
    """
    partial = _copy_to_partial(store, folder, now)
    return _finish(partial, folder, now)


def backup_if_due(store: Store, folder: Path, now: datetime) -> Path | None:
    """Take a backup if the newest is a day old (or dated in the future) and the data changed.

    The database is checked first (``quick_check``): a damaged one is never copied. Returns
    the new backup's path, or None when none was needed. Older backups beyond the
    ``backups_keep`` setting are deleted, but never the newest good one.

    Raises:
        DatabaseDamaged: the database failed the check (nothing was copied or deleted).
        BackupError: the folder cannot be written or the disk is full.
    """
    try:
        if not _has_user_data(store):
            return None  # a new, empty database: nothing worth a file yet
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(
            damaged_message(store.path, [str(exc)], bool(list_backups(folder, now)))
        ) from None
    backups = list_backups(folder, now)
    newest = backups[0] if backups and not backups[0].future else None
    # A newest backup dated after now means the clock was set back: do not wait for it.
    if newest is not None and timedelta(0) <= now - newest.taken_at < BACKUP_INTERVAL:
        return None
    problems = check_database(store)
    if problems:
        raise DatabaseDamaged(damaged_message(store.path, problems, bool(backups)))
    partial = _copy_to_partial(store, folder, now)
    # The backup API copies pages as they are, so unchanged data gives an identical file.
    if newest is not None and _same_file(partial, newest.path):
        partial.unlink()
        return None
    path = _finish(partial, folder, now)
    prune(folder, keep_count(store), now=now, known_good=path)
    return path


#: The page cache (KiB) of each connection that checks, copies or writes the database behind
#: the app: the check and the copy read every page once, so a larger cache would only hold
#: memory while the app runs beside them (SQLite's default is 2 MiB).
BACKUP_CACHE_KIB = 256


def backup_in_background(
    db_file: Path, folder: Path, now: datetime, report: Callable[[str, bool], None]
) -> threading.Thread:
    """Check the database and take the backup if due, in a thread with its own connection.

    Meant for just after the app's first frame, so the check (which reads the whole file) is
    never on the start-up path. ``report(message, damaged)`` is called from the thread when
    something must be said: ``damaged`` is true when the database failed its check.
    """

    def run() -> None:
        try:
            store = _reading_store(db_file)
            try:
                backup_if_due(store, folder, now)
            finally:
                store.close()
        except DatabaseDamaged as exc:
            report(str(exc), True)
        except BackupError as exc:
            report(f"No backup was taken: {exc}", False)
        except sqlite3.Error as exc:
            report(damaged_message(db_file, [str(exc)], bool(list_backups(folder, now))), True)
        except Exception as exc:  # a thread has no one to raise to: say it, never crash
            report(f"No backup was taken: {shown(db_file)}: {exc}", False)

    thread = threading.Thread(target=run, name="failtui-backup", daemon=True)
    thread.start()
    return thread


def _reading_store(db_file: Path) -> Store:
    """A second connection on a failtui database already opened (and checked) by open_db."""
    from failtui.storage.db import BUSY_TIMEOUT_MS

    conn = sqlite3.connect(
        db_file, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    _small_cache(conn)
    return Store(conn, db_file)


def _small_cache(conn: sqlite3.Connection) -> None:
    """Keep a connection's page cache at :data:`BACKUP_CACHE_KIB` and its reads out of mmap."""
    conn.execute(f"PRAGMA cache_size = -{BACKUP_CACHE_KIB}")
    # Mapped pages count in the process's resident memory: a whole-file read would show as
    # the file's size (SQLite's default is no mmap, but a build may set one).
    conn.execute("PRAGMA mmap_size = 0")


def _same_file(one: Path, other: Path) -> bool:
    try:
        return filecmp.cmp(one, other, shallow=False)
    except OSError:
        return False


def _has_user_data(store: Store) -> bool:
    return any(
        store.query(f"SELECT 1 FROM {table} LIMIT 1")
        for table in ("reviews", "attempts", "drafts", "card_state", "settings")
    )


def prune(
    folder: Path, keep: int, *, now: datetime | None = None, known_good: Path | None = None
) -> list[Path]:
    """Delete all but the newest ``keep`` backups, and copies left half-made by a crash.

    The newest backup that passes the check is never deleted: if none of the kept ones does
    (``known_good`` names one known to, such as the copy just taken), the newest good one of
    the rest is kept too.

    Returns the deleted backups.
    """
    with contextlib.suppress(OSError):
        for partial in folder.glob(".failtui-*.partial"):
            # An hour old: surely not being written by another failtui opening right now.
            if time.time() - partial.lstat().st_mtime > 3600:
                partial.unlink()
    backups = list_backups(folder, now)
    kept, doomed = backups[: max(keep, 1)], backups[max(keep, 1) :]
    kept_one_good = any(b.path == known_good for b in kept) or any(
        backup_problem(b.path, quick=True) is None for b in kept
    )
    if doomed and not kept_one_good:
        for backup in doomed:
            if backup_problem(backup.path, quick=True) is None:
                doomed.remove(backup)
                break
    removed = []
    for old in doomed:
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
            # The copy's pages pass through the target's cache too: keep it as small.
            _small_cache(target)
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


# -- restoring -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup put in place and where the replaced file was kept."""

    restored_from: Path
    kept_aside: Path | None
    #: Newer backups passed over because they failed the check, with the reason.
    skipped: tuple[tuple[Path, str], ...] = ()


def backup_problem(path: Path, *, quick: bool = False) -> str | None:
    """Why the file at ``path`` cannot be restored, or None if it is a good failtui backup.

    Only reads, and never through anything but a regular file (a FIFO would block the open).
    """
    try:
        if not path.is_file():
            return "not a regular file"
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True)
        try:
            check = "quick_check" if quick else "integrity_check"
            result = conn.execute(f"PRAGMA {check}").fetchall()
            if result != [("ok",)]:
                return f"damaged: {result[0][0]}"
            foreign = foreign_reason(conn)
            if foreign is not None:
                return f"not a failtui backup: {foreign}"
            newer = _applied_migrations(conn) - set(KNOWN_MIGRATIONS)
            if newer:
                return f"written by a newer failtui (schema {sorted(newer)[-1]})"
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError) as exc:
        return f"not a usable database: {exc}"
    return None


def newest_good_backup(
    folder: Path, now: datetime | None = None
) -> tuple[Path | None, list[tuple[Path, str]]]:
    """The newest backup that passes the integrity check, and the newer ones that did not."""
    skipped: list[tuple[Path, str]] = []
    for info in list_backups(folder, now):
        problem = backup_problem(info.path)
        if problem is None:
            return info.path, skipped
        skipped.append((info.path, problem))
    return None, skipped


def find_backup(data_dir: Path, name: str | None, now: datetime | None = None) -> Path:
    """The newest good backup, or the one named (a file name in ``backups/`` or any path).

    Raises:
        BackupError: there is no good backup, or none of that name (the message lists them).
    """
    folder = backups_dir(data_dir)
    if name is None:
        found, skipped = newest_good_backup(folder, now)
        if found is not None:
            return found
        if skipped:
            raise BackupError(
                f"{shown(folder)}: no good backup to restore ({len(skipped)} damaged: "
                f"{', '.join(shown(p.name) for p, _ in skipped[:5])})"
            )
        raise BackupError(f"{shown(folder)}: there is no backup to restore")
    candidates = []
    if 0 < len(name) <= MAX_NAME * 16 and "\x00" not in name:
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            candidates.append(Path(name).expanduser())
        if len(name) <= MAX_NAME and "/" not in name:
            candidates.append(folder / name)
    for candidate in candidates:
        try:
            if candidate.is_file():
                return candidate
        except (OSError, ValueError):
            continue
    known = ", ".join(shown(b.path.name) for b in list_backups(folder, now)[:20]) or "none"
    wanted = shown(name if len(name) <= 80 else name[:80] + "...")
    raise BackupError(f"no backup '{wanted}' (in {shown(folder)}: {known})")


def restore_backup(data_dir: Path, db_file: Path, backup: Path, now: datetime) -> RestoreResult:
    """Put ``backup`` in place of ``db_file``, keeping the current file (and its WAL) aside.

    The backup is checked first; the steps that replace the file are each safe to be killed
    at (see :mod:`failtui.storage.restoring`).

    Raises:
        BackupError: another failtui is open on the data dir, the backup is damaged or not a
            failtui backup, or the files cannot be written. Nothing is changed then.
    """
    problem = backup_problem(backup)
    if problem is not None:
        raise BackupError(f"{shown(backup)}: not a usable backup ({problem}); choose another")
    try:
        aside = replace_database(data_dir, db_file, backup, now)
    except RestoreError as exc:
        raise BackupError(str(exc)) from None
    return RestoreResult(backup, aside)
