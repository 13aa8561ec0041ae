"""Where failtui keeps its data: one directory holding the database, user decks and backups."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from pathlib import Path

ENV_VAR = "FAILTUI_HOME"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the data dir: ``override``, else ``$FAILTUI_HOME``, else the platform's user data dir.

    Nothing is created here; callers that write use :func:`ensure_data_dir`.
    """
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    # platformdirs is imported lazily: it is only needed when no override is given.
    from platformdirs import user_data_path

    return user_data_path("failtui", appauthor=False)


#: A temporary file this old was left by a killed write (a write takes well under a second).
STALE_AFTER_SECONDS = 3600


class UnsafeDataDir(OSError):
    """The data dir (or a folder in it) could be changed by another user: failtui refuses it."""

    def __init__(self, message: str):
        super().__init__(errno.EPERM, message)

    def __str__(self) -> str:
        return self.strerror or ""


def ensure_data_dir(path: Path) -> Path:
    """Create the data dir with its ``decks/`` and ``backups/`` folders, private to the user.

    Temporary files left by a write that was killed are removed (see
    :func:`clean_stale_temporaries`).

    Raises:
        UnsafeDataDir: the data dir, ``decks/`` or ``backups/`` belongs to another user or is
            writable by others (see :func:`check_data_dir`).
        OSError: the data dir itself cannot be created. A sub-folder that cannot be is left to
            the code that uses it (a backup reports it; no deck folder means no user decks).
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    check_data_dir(path)
    for folder in (user_decks_dir(path), backups_dir(path)):
        with contextlib.suppress(OSError):
            folder.mkdir(exist_ok=True, mode=0o700)
    clean_stale_temporaries(path)
    return path


def check_data_dir(path: Path) -> None:
    """Refuse a data dir that another user could change.

    In a folder others may write to, another user can plant a symlink under the name of a
    file failtui is about to write and redirect the write onto a file of theirs, or swap the
    database. So the data dir and its ``decks/`` and ``backups/`` must belong to the user
    running failtui and be writable by no one else (group or others). A folder that does not
    exist yet is fine.

    Raises:
        UnsafeDataDir: with one line naming the folder and what to do.
    """
    if os.name != "posix":  # pragma: no cover - the permission bits mean something else there
        return
    me = os.geteuid()
    for folder in (path, user_decks_dir(path), backups_dir(path)):
        try:
            info = folder.stat()
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode):
            continue
        if info.st_uid != me:
            raise UnsafeDataDir(
                f"{folder}: belongs to another user (uid {info.st_uid}), so failtui will not "
                "keep your data there. Choose a folder of your own with --home."
            )
        if info.st_mode & 0o022:
            mode = stat.S_IMODE(info.st_mode)
            raise UnsafeDataDir(
                f"{folder}: other users may write to it (mode {mode:04o}), so failtui will not "
                f"keep your data there. Run 'chmod 700 {folder}', or choose another with --home."
            )


def clean_stale_temporaries(path: Path) -> list[Path]:
    """Remove temporary files left by a deck or index write that was killed, an hour old or more.

    Younger ones may belong to a write another failtui is making right now. (What a killed
    restore leaves is handled when the database is opened; half-made backups when backups
    are pruned.) Returns what was removed.
    """
    removed = []
    now = time.time()
    for folder, pattern in (
        (user_decks_dir(path), ".*.toml.*.tmp"),
        (path, ".deck-index.json.*.tmp"),
    ):
        with contextlib.suppress(OSError):
            for leftover in folder.glob(pattern):
                with contextlib.suppress(OSError):
                    info = leftover.lstat()
                    if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER_SECONDS:
                        leftover.unlink()
                        removed.append(leftover)
    return removed


def db_path(path: Path) -> Path:
    """The SQLite file inside a data dir."""
    return path / "failtui.db"


def restore_incoming(db_file: Path) -> Path:
    """Where a restore copies the backup before it replaces the database file, beside it."""
    return db_file.with_name(f".{db_file.name}.restoring")


def restore_ready_marker(db_file: Path) -> Path:
    """The file that says a restore is committed: the next open must finish it."""
    return db_file.with_name(f".{db_file.name}.restore-ready")


def user_decks_dir(path: Path) -> Path:
    """The folder of the user's own deck files inside a data dir."""
    return path / "decks"


def backups_dir(path: Path) -> Path:
    """The folder of backups inside a data dir: the database's, and ``decks/`` for deck files."""
    return path / "backups"


#: The name of a database backup in :func:`backups_dir`: its UTC time, and a number when two
#: were taken in the same second.
BACKUP_NAME = re.compile(r"^failtui-(\d{8}T\d{6})Z(?:-\d{1,6})?\.db$")


def has_backups(data_dir: Path) -> bool:
    """Whether the data dir's backups folder holds a database backup (a backup is only ever
    taken of a database holding the user's data)."""
    try:
        return any(BACKUP_NAME.match(entry.name) for entry in backups_dir(data_dir).iterdir())
    except OSError:
        return False


def deck_backups_dir(path: Path) -> Path:
    """Where copies of deck files go before they are overwritten or deleted."""
    return backups_dir(path) / "decks"


def builtin_decks_dir() -> Path:
    """The folder of the built-in decks: inside the installed wheel, or ``decks/`` in a checkout."""
    packaged = Path(__file__).parent / "builtin_decks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "decks"
