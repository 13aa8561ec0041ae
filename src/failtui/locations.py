"""Where failtui keeps its data: one directory holding the database, user decks and backups."""

from __future__ import annotations

import contextlib
import os
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


def ensure_data_dir(path: Path) -> Path:
    """Create the data dir with its ``decks/`` and ``backups/`` folders, private to the user.

    Raises:
        OSError: the data dir itself cannot be created. A sub-folder that cannot be is left to
            the code that uses it (a backup reports it; no deck folder means no user decks).
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    for folder in (path / "decks", path / "backups"):
        with contextlib.suppress(OSError):
            folder.mkdir(exist_ok=True, mode=0o700)
    return path


def db_path(path: Path) -> Path:
    """The SQLite file inside a data dir."""
    return path / "failtui.db"


def user_decks_dir(path: Path) -> Path:
    """The folder of the user's own deck files inside a data dir."""
    return path / "decks"


def builtin_decks_dir() -> Path:
    """The folder of the built-in decks: inside the installed wheel, or ``decks/`` in a checkout."""
    packaged = Path(__file__).parent / "builtin_decks"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "decks"
