"""A lock file in the data dir that says "a failtui is open here".

Two failtui processes on one database are safe (WAL, ``BEGIN IMMEDIATE``, a busy timeout), so the
lock never stops anyone: the app uses it to warn that another one is open, and
``failtui doctor --restore`` uses it to refuse replacing a database that is in use.

The lock is ``fcntl.flock`` on ``failtui.lock``: the kernel drops it when the process ends, even
after a SIGKILL, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no warning, restore is not guarded
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "failtui.lock"


def lock_path(data_dir: Path) -> Path:
    """The lock file of a data dir."""
    return data_dir / LOCK_NAME


class InstanceLock:
    """An exclusive, non-blocking lock on a data dir, held until :meth:`release`."""

    def __init__(self, data_dir: Path):
        self.path = lock_path(data_dir)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if no other process holds it.

        Returns:
            True if this process now holds the lock (or locks are not supported here), False if
            another failtui holds it. A data dir where the lock file cannot be created counts as
            free: the lock only guards against a second failtui, never against using the app.
        """
        if self._fd is not None:
            return True
        if fcntl is None:
            return True
        try:
            # Never through a symlink planted under the name.
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(self.path, flags, 0o600)
        except OSError:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        """Let the lock go (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def in_use(data_dir: Path) -> bool:
    """Whether another failtui holds the lock of this data dir right now."""
    probe = InstanceLock(data_dir)
    free = probe.acquire()
    probe.release()
    return not free
