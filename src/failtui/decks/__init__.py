"""Deck files: reading and validating (reader), listing the available decks (catalog).

The names below are imported on first use, so that importing one light module of the package
(the deck index, the file list) does not parse the reader and the models.
"""

from importlib import import_module
from typing import Any

_LAZY = {
    "DeckCatalog": "failtui.decks.catalog",
    "load_catalog": "failtui.decks.catalog",
    "DeckLoadError": "failtui.decks.reader",
    "load_deck": "failtui.decks.reader",
    "parse_deck": "failtui.decks.reader",
}

__all__ = ["DeckCatalog", "DeckLoadError", "load_catalog", "load_deck", "parse_deck"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
