"""Deck files: reading and validating (reader), listing the available decks (catalog)."""

from failtui.decks.reader import DeckLoadError, load_deck, parse_deck
from failtui.decks.catalog import DeckCatalog, load_catalog

__all__ = ["DeckCatalog", "DeckLoadError", "load_catalog", "load_deck", "parse_deck"]
