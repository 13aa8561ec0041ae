"""Deck files: reading and validating (reader), listing the available decks (catalog)."""

from failtui.decks.catalog import DeckCatalog, load_catalog
from failtui.decks.reader import DeckLoadError, load_deck, parse_deck

__all__ = ["DeckCatalog", "DeckLoadError", "load_catalog", "load_deck", "parse_deck"]
