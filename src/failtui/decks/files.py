"""Deck files on disk: reading with a content hash, atomic writes, and backups before a file is
overwritten or deleted.

A file may change on disk while it is open in the editor. :class:`DeckSource` remembers the
content hash of what was read, and :func:`write_deck` refuses to overwrite a file whose hash has
changed (:class:`DeckChangedOnDisk`), so the caller can offer overwrite, merge or keep-both.
Every text is validated with :func:`~failtui.decks.reader.parse_deck` before it is written, so a
file that is written always loads.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from failtui.decks.reader import MAX_DECK_BYTES, DeckLoadError, deck_text, parse_deck
from failtui.models import Deck
from failtui.safefiles import FileRefused, read_regular_file, shown, write_private_new


class DeckWriteError(Exception):
    """A deck could not be written; the message says which file and why (one line)."""


class DeckChangedOnDisk(DeckWriteError):
    """The file changed on disk since it was read; writing now would lose those changes."""

    def __init__(self, path: Path):
        super().__init__(f"{path}: the file changed on disk since it was opened")
        self.path = path


def digest(data: bytes) -> str:
    """The content hash used to notice a file changed on disk."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class DeckSource:
    """A deck file's text as read, with the hash that tells whether it changed since."""

    path: Path
    text: str
    digest: str

    @classmethod
    def read(cls, path: Path) -> DeckSource:
        """Read a deck file (UTF-8, a byte-order mark dropped: it is written back without).

        Raises:
            DeckWriteError: the file cannot be read or is not UTF-8 text.
        """
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DeckWriteError(f"{path}: cannot read file: {exc.strerror or exc}") from None
        try:
            text = deck_text(raw, path)
        except DeckLoadError as exc:
            raise DeckWriteError(str(exc.error)) from None
        return cls(path, text, digest(raw))

    def changed_on_disk(self) -> bool:
        """Whether the file on disk is no longer what was read (missing counts as changed)."""
        try:
            return digest(self.path.read_bytes()) != self.digest
        except OSError:
            return True

    def deck(self, *, builtin: bool = False) -> Deck:
        """The deck this text holds.

        Raises:
            DeckLoadError: the text is not a valid deck.
        """
        return parse_deck(self.text, self.path, builtin=builtin)


def write_deck(
    source: DeckSource, new_text: str, *, force: bool = False, backups: Path | None = None
) -> DeckSource:
    """Write ``new_text`` over the file ``source`` was read from, if it is a valid deck.

    Args:
        source: what was read (its hash tells whether the file changed on disk since).
        new_text: the whole new file.
        force: write even if the file changed on disk; the version on disk is first copied to
            ``backups`` (when given), so nothing anyone wrote is lost.
        backups: folder for those copies (:func:`failtui.locations.deck_backups_dir`).

    Returns:
        The source for the written text (for the next save).

    Raises:
        DeckLoadError: ``new_text`` is not a valid deck (nothing is written).
        DeckChangedOnDisk: the file changed on disk and ``force`` is false (nothing is written).
        DeckWriteError: the file cannot be written.
    """
    parse_deck(new_text, source.path)
    if source.changed_on_disk() and source.path.exists():
        if not force:
            raise DeckChangedOnDisk(source.path)
        if backups is not None:
            backup_file(source.path, backups)
    atomic_write(source.path, new_text)
    return DeckSource(source.path, new_text, digest(new_text.encode("utf-8")))


def write_new_deck_file(folder: Path, text: str, file_stem: str) -> Path:
    """Write a new deck file ``folder/STEM.toml`` (validated first; never over an existing file).

    Raises:
        DeckLoadError, DeckWriteError
    """
    path = folder / f"{file_stem}.toml"
    if path.exists():
        raise DeckWriteError(f"{path}: a deck file with this name already exists")
    parse_deck(text, path)
    atomic_write(path, text, exclusive=True)
    return path


def backup_file(path: Path, folder: Path) -> Path:
    """Copy a deck file into ``folder`` with a timestamp; returns the copy's path.

    ``folder`` is the data dir's :func:`~failtui.locations.deck_backups_dir`. It is made
    ``0700`` and the copy ``0600``, under a new name (never over another file, never through a
    symlink).
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{path.stem}.{stamp}.toml"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = read_regular_file(path, MAX_DECK_BYTES, "deck file")
        for number in range(2, 1000):
            try:
                write_private_new(target, data)
                return target
            except FileExistsError:
                target = folder / f"{path.stem}.{stamp}-{number}.toml"
        raise OSError(0, "no free name for the copy")
    except FileRefused as exc:
        raise DeckWriteError(f"{exc}; no backup was made") from None
    except OSError as exc:
        raise DeckWriteError(
            f"{shown(target)}: cannot write a backup: {exc.strerror or exc}"
        ) from None


def delete_deck_file(path: Path, backups: Path) -> Path:
    """Delete a user deck by moving its file into ``backups`` (so it can be restored).

    Returns:
        Where the file went (in :func:`~failtui.locations.deck_backups_dir`, given as
        ``backups``).
    """
    target = backup_file(path, backups)
    try:
        path.unlink()
    except OSError as exc:
        raise DeckWriteError(f"{path}: cannot delete: {exc.strerror or exc}") from None
    return target


def atomic_write(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write through a temporary file and a rename, so a crash never leaves half a deck."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if exclusive and path.exists():
            raise DeckWriteError(f"{path}: a file with this name already exists")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise DeckWriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
