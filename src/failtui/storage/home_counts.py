"""Each deck's card counts for home, read from the per-deck tallies the database keeps.

The tables and the triggers that keep them are made by migration ``0007_home_counts``: every
change of a card state updates them in its own transaction. They count the cards a deck had
when home last listed it (``home_cards``); a deck whose card ids changed since (edited, a card
added or deleted, a story paused) is counted again from ``card_state`` first. What makes the
counts depend on the moment is kept in the tallies' keys (the suspension, the moment a card is
buried until, the UTC day it is due), so they never go stale at midnight: the reads here apply
"now" and "the end of the study day" to a few rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from failtui.storage.db import BUSY_TIMEOUT_MS, Store, WriteError

#: How long home waits for another process's write lock to count a changed deck again (ms):
#: home runs on the UI thread, and without the kept counts it counts the slow way at once.
RECOUNT_WAIT_MS = 50

#: A card's kind in the tallies: 0 new, 1 in its learning steps, 2 any other (due by its date).
_KIND = (
    "CASE WHEN c.state = 'new' THEN 0 WHEN c.state IN ('learning', 'relearning') THEN 1 ELSE 2 END"
)
#: Per deck: cards that are not available as new (rated, or hidden now), and learning now.
_TALLY = (
    "SELECT deck_id,"
    " sum(CASE WHEN kind != 0 OR suspended OR buried_until > :now THEN n ELSE 0 END),"
    " sum(CASE WHEN kind = 1 AND NOT (suspended OR buried_until > :now) THEN n ELSE 0 END) "
    "FROM home_tally GROUP BY deck_id"
)
#: Per deck: cards due on a UTC day before the study day's end's own day, not buried now.
_DUE_BEFORE_DAY = (
    "SELECT deck_id, sum(n) FROM home_due WHERE due_day < :end_day AND NOT buried_until > :now "
    "GROUP BY deck_id"
)
#: Per deck: cards due on the study day's end's own UTC day, before that end; read through
#: ``idx_card_state_due`` (suspended, deleted, due), as the drill's queue reads it: the two
#: flags hold 0 or 1.
_DUE_ON_END_DAY = (
    "SELECT h.deck_id, count(*) FROM card_state c JOIN home_cards h ON h.card_key = c.card_key "
    "WHERE c.suspended = 0 AND c.deleted IN (0, 1) AND c.due >= :end_day AND c.due < :end "
    f"AND {_KIND} = 2 AND NOT ifnull(c.buried_until > :now, 0) GROUP BY h.deck_id"
)


class DeckTally:
    """A deck's cards for today: how many it has, how many are not new, learning and due."""

    __slots__ = ("cards", "due", "learning", "not_new")

    def __init__(self, cards: int, not_new: int = 0, learning: int = 0, due: int = 0):
        self.cards = cards
        self.not_new = not_new
        self.learning = learning
        self.due = due


def deck_tallies(
    store: Store, ids_by_deck: Mapping[str, Iterable[str]], now_iso: str, end_iso: str
) -> dict[str, DeckTally] | None:
    """Per deck: its cards, and those not new, learning and due before ``end_iso``.

    A card counts as learning in its learning steps and as due when due before ``end_iso``
    (the end of the study day), unless it is hidden (suspended, or buried past ``now_iso``);
    hidden or rated, it is not new. Decks whose card ids changed are counted again first.

    Returns None when the counts cannot be brought up to date here (a read-only connection,
    another process busy, a transaction already open): the caller counts without them.
    """
    if store.conn.in_transaction:
        return None
    # Card ids hold no line break (a deck's ids are checked when it is read).
    listed = {deck_id: "\n".join(ids) for deck_id, ids in ids_by_deck.items()}
    tallies = _read(store, listed, now_iso, end_iso)
    if tallies is not None:
        return tallies
    try:
        with _waiting_at_most(store.conn, RECOUNT_WAIT_MS):
            _count_again(store, listed)
    except (WriteError, sqlite3.Error):
        return None
    return _read(store, listed, now_iso, end_iso)


@contextmanager
def _waiting_at_most(conn: sqlite3.Connection, milliseconds: int) -> Iterator[None]:
    """Wait at most this long for another writer's lock, then the connection's usual limit."""
    conn.execute(f"PRAGMA busy_timeout = {milliseconds}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def forget_counts(store: Store) -> None:
    """Have home count every deck again from ``card_state`` the next time it lists them.

    For when the card states may have been changed by something the triggers do not see (a
    REPLACE from another tool): the doctor calls it.
    """
    with store.write() as db:
        db.conn.execute("DELETE FROM home_decks")


def _read(
    store: Store, listed: dict[str, str], now_iso: str, end_iso: str
) -> dict[str, DeckTally] | None:
    """The tallies of these decks in one snapshot, or None if any deck's card ids differ."""
    conn = store.conn
    params = {"now": now_iso, "end": end_iso, "end_day": end_iso[:10]}
    cursor = conn.cursor()
    cursor.row_factory = None
    try:
        cursor.execute("BEGIN")
        tallies = {}
        for deck_id, card_ids in listed.items():
            row = cursor.execute(
                "SELECT cards FROM home_decks WHERE deck_id = ? AND card_ids = ?",
                (deck_id, card_ids),
            ).fetchone()
            if row is None:
                return None
            tallies[deck_id] = DeckTally(row[0])
        for deck_id, not_new, learning in cursor.execute(_TALLY, params):
            if deck_id in tallies:
                tallies[deck_id].not_new = not_new
                tallies[deck_id].learning = learning
        for query in (_DUE_BEFORE_DAY, _DUE_ON_END_DAY):
            for deck_id, due in cursor.execute(query, params):
                if deck_id in tallies:
                    tallies[deck_id].due += due
        return tallies
    finally:
        if conn.in_transaction:
            cursor.execute("COMMIT")
        cursor.close()


def _count_again(store: Store, listed: dict[str, str]) -> None:
    """Count again, from ``card_state``, the decks whose stored card ids differ from these."""
    with store.write() as db:
        conn = db.conn
        stored = dict(conn.execute("SELECT deck_id, card_ids FROM home_decks").fetchall())
        for deck_id, card_ids in listed.items():
            if stored.get(deck_id) == card_ids:
                continue  # another process counted it meanwhile
            for table in ("home_cards", "home_tally", "home_due"):
                conn.execute(f"DELETE FROM {table} WHERE deck_id = ?", (deck_id,))
            ids = card_ids.split("\n") if card_ids else []
            keys = {f"{deck_id}/{card_id}" for card_id in ids}
            conn.executemany(
                "INSERT INTO home_cards (card_key, deck_id) VALUES (?, ?)",
                ((key, deck_id) for key in keys),
            )
            conn.execute(
                "INSERT INTO home_tally (deck_id, suspended, buried_until, kind, n) "
                f"SELECT h.deck_id, c.suspended, ifnull(c.buried_until, ''), {_KIND}, count(*) "
                "FROM card_state c JOIN home_cards h ON h.card_key = c.card_key "
                "WHERE h.deck_id = ? GROUP BY 1, 2, 3, 4",
                (deck_id,),
            )
            conn.execute(
                "INSERT INTO home_due (due_day, deck_id, buried_until, n) "
                "SELECT substr(c.due, 1, 10), h.deck_id, ifnull(c.buried_until, ''), count(*) "
                "FROM card_state c JOIN home_cards h ON h.card_key = c.card_key "
                f"WHERE h.deck_id = ? AND {_KIND} = 2 AND c.due IS NOT NULL AND NOT c.suspended "
                "GROUP BY 1, 2, 3",
                (deck_id,),
            )
            conn.execute(
                "INSERT INTO home_decks (deck_id, card_ids, cards) VALUES (?, ?, ?) "
                "ON CONFLICT (deck_id) DO UPDATE SET card_ids = excluded.card_ids, "
                "cards = excluded.cards",
                (deck_id, card_ids, len(keys)),
            )
