"""Reading and writing files safely: bounded reads of regular files only, private new files that
never follow a symlink, and names cleaned before they are printed.

Files given on the command line may be anything: ``/dev/zero`` (endless, and its size says 0),
a FIFO (opening it for reading waits for a writer for ever), a directory. A read here opens
without blocking, refuses anything but a regular file, and reads at most ``limit + 1`` bytes, so
the size check never trusts ``st_size``.

Files failtui writes that hold the user's text (backups, kept-aside databases, exports, deck
copies) are created ``0600`` with ``O_EXCL`` and ``O_NOFOLLOW``: a symlink planted under the
name makes the create fail instead of writing through it.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

#: Flags of a new private file: never an existing file, never through a symlink.
NEW_FILE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)

# C0 and C1 controls, DEL, and the bidi overrides and isolates: what a terminal may act on.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class FileRefused(Exception):
    """A file cannot be read as asked; the message names it and says why (one line).

    ``too_large`` tells a file over the size limit from one that cannot be read at all.
    """

    def __init__(self, message: str, *, too_large: bool = False):
        super().__init__(message)
        self.too_large = too_large


def shown(name: object) -> str:
    """``name`` (a path, an id, any text from outside) fit to print on a terminal.

    Control characters, escape sequences and bidi overrides are written as ``\\x1b``-style
    escapes, so they are visible and inert; everything else is kept.
    """
    text = os.fspath(name) if isinstance(name, os.PathLike) else str(name)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def read_regular_file(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file at ``path``, refusing one larger than ``limit`` bytes.

    Raises:
        FileRefused: missing, unreadable, not a regular file (a device, FIFO, socket or
            directory), or over the limit. The message names the file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileRefused(f"{shown(path)}: cannot read {what}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"{shown(path)}: not a regular file ({_kind(info.st_mode)})")
        if info.st_size > limit:
            raise FileRefused(
                f"{shown(path)}: {what} is {info.st_size:,} bytes; the limit is {limit:,}",
                too_large=True,
            )
        with contextlib.suppress(OSError, AttributeError):
            os.set_blocking(fd, True)
        data = _read_at_most(fd, limit + 1)
    except OSError as exc:
        raise FileRefused(f"{shown(path)}: cannot read {what}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        # The file grew while it was read, or its size lied.
        raise FileRefused(
            f"{shown(path)}: {what} is over the limit of {limit:,} bytes", too_large=True
        )
    return data


def read_stream(stream: BinaryIO, limit: int, name: str = "standard input") -> bytes:
    """At most ``limit`` bytes of a binary stream; more is refused with one line."""
    chunks, size = [], 0
    while size <= limit:
        chunk = stream.read(min(1 << 16, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileRefused(f"{name}: over the limit of {limit:,} bytes", too_large=True)
    return data


def _read_at_most(fd: int, count: int) -> bytes:
    chunks, size = [], 0
    while size < count:
        chunk = os.read(fd, min(1 << 20, count - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` itself (not a symlink's target) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


def write_private_new(path: Path, data: bytes) -> None:
    """Create ``path`` (0600, never over an existing file or symlink) holding ``data``, synced.

    Raises:
        OSError: it exists, or cannot be written (a partial file is removed).
    """
    fd = os.open(path, NEW_FILE_FLAGS, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def copy_private_new(source: Path, target: Path) -> None:
    """Copy the regular file ``source`` to a new private ``target`` (see :func:`write_private_new`).

    Raises:
        OSError: ``source`` is not a regular file or cannot be read, or ``target`` exists or
            cannot be written (a partial target is removed).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    src = os.open(source, flags)
    try:
        if not stat.S_ISREG(os.fstat(src).st_mode):
            raise OSError(0, "not a regular file", str(source))
        with contextlib.suppress(OSError, AttributeError):
            os.set_blocking(src, True)
        fd = os.open(target, NEW_FILE_FLAGS, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := os.read(src, 1 << 20):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise
    finally:
        os.close(src)


def fsync_dir(folder: Path) -> None:
    """Make renames and creations in ``folder`` durable (best effort: not every system can)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``path`` whole (a new file, or in place of one), readable by the user only.

    Written to a new temporary file beside it and renamed over it, so the file is never half
    written, a symlink at ``path`` is replaced rather than followed, and an existing file the
    user could read more widely becomes private too.

    Raises:
        OSError: the folder cannot be written (nothing is left behind).
    """
    import tempfile

    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
