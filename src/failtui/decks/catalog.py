"""All decks available to a user: the built-in ones and those in the data dir's ``decks/``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from failtui.decks.reader import DeckLoadError, load_deck
from failtui.decks.sources import (  # noqa: F401  (re-exported)
    BUILTIN_ORDER,
    deck_files,
    deck_order,
    deck_sources,
)
from failtui.models import Card, Deck, DeckError


class CardLookupError(LookupError):
    """A card id names no card, or more than one."""


@dataclass
class DeckCatalog:
    """The loaded decks, and the errors of the files that failed to load."""

    decks: list[Deck] = field(default_factory=list)
    errors: list[DeckError] = field(default_factory=list)

    def deck(self, deck_id: str) -> Deck | None:
        """The deck with this id, or None."""
        return next((d for d in self.decks if d.id == deck_id), None)

    def cards(self, deck_id: str | None = None) -> list[Card]:
        """Every card, or those of one deck, in file order."""
        decks = self.decks if deck_id is None else [d for d in self.decks if d.id == deck_id]
        return [card for deck in decks for card in deck.cards]

    def card_ids_by_deck(self) -> dict[str, list[str]]:
        """The ids of every deck's cards, by deck id, in deck order."""
        return {deck.id: [card.id for card in deck.cards] for deck in self.decks}

    def card_by_key(self, key: str) -> Card | None:
        """The card whose ``deck/card`` key this is, or None."""
        deck_id, _, card_id = key.partition("/")
        deck = self.deck(deck_id)
        return deck.card(card_id) if deck else None

    def find_card(self, card_id: str, deck_id: str | None = None) -> Card:
        """Find a card by id (or ``DECK/CARD``), in one deck or in all of them.

        Raises:
            CardLookupError: no such card, or the id is ambiguous (the message lists candidates).
        """
        if deck_id is None and "/" in card_id:  # DECK/CARD, the form `failtui cards` prints
            deck_id, _, card_id = card_id.partition("/")
        if deck_id is not None:
            deck = self.deck(deck_id)
            if deck is None:
                known = ", ".join(d.id for d in self.decks) or "none"
                raise CardLookupError(f"no deck '{deck_id}' (decks: {known})")
            card = deck.card(card_id)
            if card is None:
                raise CardLookupError(f"no card '{card_id}' in deck '{deck_id}'")
            return card
        matches = [c for c in self.cards() if c.id == card_id]
        if not matches:
            raise CardLookupError(f"no card '{card_id}' in any deck")
        if len(matches) > 1:
            keys = ", ".join(c.key for c in matches)
            raise CardLookupError(
                f"card id '{card_id}' is in several decks ({keys}); name it as DECK/CARD, "
                f"such as {matches[0].key}"
            )
        return matches[0]


def load_catalog(
    data_dir: Path | None,
    *,
    include_builtin: bool = True,
    read_deck: Callable[[Path, bool], Deck] | None = None,
) -> DeckCatalog:
    """Load the built-in decks and the user's, collecting errors instead of stopping at one.

    A user deck whose id is already taken (by a built-in deck or an earlier file) is an error.
    ``read_deck(path, builtin)`` reads one file (default: :func:`load_deck`; the deck index
    passes one that reuses decks it has just parsed).
    """
    catalog = DeckCatalog()
    seen: dict[str, Path] = {}
    for path, builtin in deck_sources(data_dir, include_builtin=include_builtin):
        try:
            deck = read_deck(path, builtin) if read_deck else load_deck(path, builtin=builtin)
        except DeckLoadError as exc:
            catalog.errors.append(exc.error)
            continue
        if deck.id in seen:
            catalog.errors.append(duplicate_id_error(path, deck.id, seen[deck.id]))
            continue
        seen[deck.id] = path
        catalog.decks.append(deck)
    catalog.decks.sort(key=_deck_order)
    return catalog


def duplicate_id_error(path: Path, deck_id: str, first: Path) -> DeckError:
    """The error of a deck file whose id an earlier file already uses."""
    return DeckError(path, f"deck id '{deck_id}' is already used by {first}", line=1)


def _deck_order(deck: Deck) -> tuple[int, int]:
    return deck_order(deck.id, deck.builtin)
