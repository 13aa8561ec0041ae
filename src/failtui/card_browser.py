"""Every card of every deck with its learning state, and the actions that change that state.

Shared by the card browser screen and ``failtui cards``: list and filter cards, suspend,
unsuspend, bury, unbury and forget them. Nothing here is final: a suspended card can be
unsuspended, a buried one unburied, and forgetting keeps the card's review history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from failtui import scheduling
from failtui.decks.catalog import CardLookupError
from failtui.drill_queue import LEARN_AHEAD
from failtui.models import Card
from failtui.scheduling import DEFAULT_ROLLOVER_HOUR, format_utc, parse_utc
from failtui.storage.db import Store

if TYPE_CHECKING:
    from failtui.decks.catalog import DeckCatalog
    from failtui.decks.index import LazyCatalog

#: A card's state as the browser shows it; suspended and buried win over the learning state.
STATES = ("new", "learning", "review", "due", "suspended", "buried")
ACTIONS = ("suspend", "unsuspend", "bury", "unbury", "forget")


class CardActionError(ValueError):
    """A card name that names no card (or several); the message is one line for the user."""


@dataclass(frozen=True)
class CardRow:
    """One card as the browser lists it."""

    deck: str
    card: str
    kind: str
    state: str
    due: datetime | None
    last_rating: str | None
    lapses: int
    last_coverage: float | None
    prompt: str
    tags: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.deck}/{self.card}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``failtui cards --json``."""
        return {
            "deck": self.deck,
            "card": self.card,
            "kind": self.kind,
            "state": self.state,
            "due": self.due.strftime("%Y-%m-%dT%H:%M:%SZ") if self.due else None,
            "last_rating": self.last_rating,
            "lapses": self.lapses,
            "last_coverage": self.last_coverage,
            "prompt": self.prompt,
        }

    def matches(self, text: str) -> bool:
        """Whether every word of ``text`` is in the card's id, deck, prompt or tags."""
        haystack = " ".join((self.key, self.prompt, *self.tags)).lower()
        return all(word in haystack for word in text.lower().split())


def browser_state(
    state: str, due: str | None, buried_until: str | None, suspended: bool, now_iso: str,
    day_end: str,
) -> str:  # fmt: skip
    """The state shown for a stored card (see :data:`STATES`)."""
    if suspended:
        return "suspended"
    if buried_until and buried_until > now_iso:
        return "buried"
    if state == "new":
        return "new"
    if state in ("learning", "relearning"):
        return "learning"
    return "due" if due is not None and due < day_end else "review"


def in_state(shown: str, state: str, due: str | None, learn_ahead: str) -> bool:
    """Whether a card shown in state ``shown`` is listed under ``state``.

    ``due`` lists what the drill shows now as due: the reviews due today and the cards in
    their learning steps whose step is due (by ``learn_ahead``, as the drill's queue takes them),
    which keep the state ``learning``.
    """
    if state == "due" and shown == "learning":
        return due is not None and due <= learn_ahead
    return shown == state


def card_rows(
    store: Store,
    cards: list[Card],
    now: datetime,
    *,
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR,
    tz: tzinfo | None = None,
    deck_id: str | None = None,
    state: str | None = None,
    text: str = "",
) -> list[CardRow]:
    """The cards (of ``deck_id``, in ``state``, matching ``text``) with their learning state."""
    now_iso = format_utc(now)
    day_end = format_utc(scheduling.next_day_start(now, rollover_hour, tz))
    learn_ahead = format_utc(now + LEARN_AHEAD)
    stored = {
        row[0]: row[1:]
        for row in store.conn.execute(
            "SELECT card_key, state, due, buried_until, suspended, lapses FROM card_state"
        )
    }
    last = {
        row[0]: (row[1], row[2])
        for row in store.conn.execute(
            "SELECT a.card_key, a.rating, a.coverage FROM attempts a JOIN ("
            "SELECT card_key, max(id) AS id FROM attempts WHERE rating IS NOT NULL "
            "GROUP BY card_key) m ON m.id = a.id"
        )
    }
    rows = []
    for card in cards:
        if deck_id is not None and card.deck_id != deck_id:
            continue
        learning, due, buried_until, suspended, lapses = stored.get(
            card.key, ("new", None, None, 0, 0)
        )
        shown = browser_state(learning, due, buried_until, bool(suspended), now_iso, day_end)
        if state is not None and not in_state(shown, state, due, learn_ahead):
            continue
        rating, coverage = last.get(card.key, (None, None))
        row = CardRow(
            deck=card.deck_id,
            card=card.id,
            kind=card.kind,
            state=shown,
            due=parse_utc(due) if learning != "new" else None,
            last_rating=rating,
            lapses=lapses or 0,
            last_coverage=coverage,
            prompt=card.prompt,
            tags=tuple(card.tags),
        )
        if text and not row.matches(text):
            continue
        rows.append(row)
    return rows


def resolve(catalog: DeckCatalog | LazyCatalog, name: str) -> Card:
    """The card named ``DECK/CARD``, or by a card id that is unique.

    Raises:
        CardActionError: no such card, or the id is in several decks.
    """
    deck_id, slash, card_id = name.partition("/")
    try:
        if slash:
            if catalog.deck(deck_id) is None:
                raise CardActionError(f"{name}: no deck '{deck_id}'")
            return catalog.find_card(card_id, deck_id)
        return catalog.find_card(name)
    except CardLookupError as exc:
        raise CardActionError(f"{name}: {exc}") from None


#: What each action did, as the browser and ``failtui cards`` say it after the card's key.
DONE = {
    "suspend": "suspended",
    "unsuspend": "unsuspended",
    "bury": "buried until the next study day",
    "unbury": "unburied",
    "forget": "forgotten: new again (its history is kept)",
}


def apply(
    store: Store,
    card: Card,
    action: str,
    now: datetime,
    *,
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR,
    tz: tzinfo | None = None,
) -> str:
    """Suspend, unsuspend, bury (until the next study day), unbury or forget a card.

    Forget makes the card new again: its learning state goes, its reviews and answers stay.
    A suspended card is not buried (suspending lifts a bury, so unsuspending brings the card
    straight back), and undoing what was never done changes nothing.

    Returns:
        What happened, to show after the card's key: :data:`DONE`'s line, or why nothing
        changed ("was not buried").

    Raises:
        ValueError: ``action`` is not one of :data:`ACTIONS`.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: use {', '.join(ACTIONS)}")
    key, deck_id = card.key, card.deck_id
    now_iso = format_utc(now)
    with store.write() as db:
        db.execute(
            "INSERT INTO card_state (card_key, deck_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (key, deck_id),
        )
        suspended, buried_until = db.execute(
            "SELECT suspended, buried_until FROM card_state WHERE card_key = ?", (key,)
        ).fetchone()
        buried = bool(buried_until) and buried_until > now_iso
        if action == "suspend" and suspended:
            return "already suspended"
        if action == "unsuspend" and not suspended:
            return "was not suspended: nothing to do"
        if action == "bury" and suspended:
            return "is suspended, so not buried (unsuspend it to bring it back)"
        if action == "unbury" and not buried:
            return "was not buried: nothing to do"
        if action in ("suspend", "unsuspend"):
            db.execute(
                "UPDATE card_state SET suspended = ?, buried_until = NULL WHERE card_key = ?",
                (int(action == "suspend"), key),
            )
        elif action == "bury":
            until = scheduling.next_day_start(now, rollover_hour, tz)
            db.execute(
                "UPDATE card_state SET buried_until = ? WHERE card_key = ?",
                (format_utc(until), key),
            )
        elif action == "unbury":
            db.execute("UPDATE card_state SET buried_until = NULL WHERE card_key = ?", (key,))
        else:
            db.execute(
                "UPDATE card_state SET state = 'new', step = NULL, stability = NULL, "
                "difficulty = NULL, due = NULL, last_review = NULL, reps = 0, lapses = 0 "
                "WHERE card_key = ?",
                (key,),
            )
    return DONE[action]
