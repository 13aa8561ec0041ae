"""Which deck files there are, and the order their decks are listed in.

Apart from :mod:`failtui.decks.catalog` (which re-exports it) so that the deck index can list
the files without importing the reader.
"""

from __future__ import annotations

from pathlib import Path

from failtui.locations import builtin_decks_dir, user_decks_dir

#: The user deck holding the user's own failure stories (decks/story.py writes it).
STORY_DECK_ID = "my-stories"
#: Built-in decks in the order a new user should meet them: the question, then advice, then traps.
BUILTIN_ORDER = ("failure-question", "failure-tips", "failure-pitfalls")


def deck_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files of a folder, sorted by name; none if it does not exist."""
    try:
        return sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError:
        return []


def deck_sources(data_dir: Path | None, *, include_builtin: bool = True) -> list[tuple[Path, bool]]:
    """Every deck file to load, in load order, each with whether it is a built-in deck."""
    sources: list[tuple[Path, bool]] = []
    if include_builtin:
        sources += [(p, True) for p in deck_files(builtin_decks_dir())]
    if data_dir is not None:
        sources += [(p, False) for p in deck_files(user_decks_dir(data_dir))]
    return sources


def deck_order(deck_id: str, builtin: bool) -> tuple[int, int]:
    """Sort key: built-in decks first in BUILTIN_ORDER; the user's keep their file order."""
    if builtin and deck_id in BUILTIN_ORDER:
        return (0, BUILTIN_ORDER.index(deck_id))
    return (1 if builtin else 2, 0)
