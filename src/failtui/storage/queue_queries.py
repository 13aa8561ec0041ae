"""The reads that build a drill's queue: indexed, and only as many rows as the next card needs.

A collection of ten thousand cards has thousands of rated ones; reading them all into objects
for every card shown took most of the time of a rating. These read the ``card_state`` rows in
due order through ``idx_card_state_due`` and stop as soon as the caller has its card.

This is where the queue's times cross into the database: callers pass and get aware datetimes,
and the ISO text the table stores (fixed width, so it sorts as time) stays in here.
"""

from __future__ import annotations

import heapq
from collections.abc import Container, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

from failtui.storage.db import Store
from failtui.studyday import format_utc, read_stored_utc

#: The scheduler states of cards still in their learning steps.
LEARNING_STATES = ("learning", "relearning")


#: One rated card as the queue reads it: (card_key, state, due, buried_until). A plain tuple, not
#: a named one: a queue may read thousands of rows between two cards, and a named tuple costs ten
#: times as much to make.
QueueRow = tuple[str, str, datetime, datetime | None]


class NewCardRow(NamedTuple):
    """The stored flags of a card that may still be new."""

    state: str
    suspended: bool
    buried_until: datetime | None


@contextmanager
def _rows_by_due(
    store: Store, within: Container[str], condition: str, params: tuple[Any, ...] = ()
) -> Iterator[Iterator[QueueRow]]:
    """Unsuspended rated cards of ``within`` matching ``condition`` (SQL over card_state),
    earliest due first.

    Read lazily, so a caller that stops at its first card reads a handful of rows. The rows
    flagged deleted are merged in too (the flag is only refreshed when decks are reloaded; the
    caller decides by its own cards), one ordered index range per flag value, so SQLite never
    sorts. The cursors are closed on leaving the block: an unfinished read would hold its
    snapshot of the database.
    """
    sql = (
        "SELECT card_key, state, due, buried_until FROM card_state "
        f"WHERE suspended = 0 AND deleted = ? AND due IS NOT NULL AND due != '' "
        f"AND ({condition}) ORDER BY due"
    )
    cursors = []
    try:
        for deleted in (0, 1):
            cursor = store.conn.cursor()
            cursor.row_factory = None  # plain tuples: several times cheaper than sqlite3.Row
            cursors.append(cursor.execute(sql, (deleted, *params)))
        yield _read_times(heapq.merge(*cursors, key=itemgetter(2)), within)
    finally:
        for cursor in cursors:
            cursor.close()


def _read_times(rows: Iterable[tuple[Any, ...]], within: Container[str]) -> Iterator[QueueRow]:
    """The rows of ``within`` with their times read; a row whose due time cannot be read (the
    database edited by hand) is left out, as a card that is never due."""
    for key, state, due_text, buried_text in rows:
        if key not in within:
            continue  # the others' times are never needed: not made
        due = read_stored_utc(due_text)
        if due is not None:
            yield key, state, due, read_stored_utc(buried_text)


def learning_by_due(
    store: Store, within: Container[str], until: datetime
) -> AbstractContextManager[Iterator[QueueRow]]:
    """Cards in their learning steps due at or before ``until`` (see :func:`_rows_by_due`)."""
    return _rows_by_due(
        store, within, "state IN ('learning', 'relearning') AND due <= ?", (format_utc(until),)
    )


def reviews_by_due(
    store: Store, within: Container[str], before: datetime
) -> AbstractContextManager[Iterator[QueueRow]]:
    """Cards past their learning steps due before ``before`` (see :func:`_rows_by_due`)."""
    return _rows_by_due(
        store,
        within,
        "state NOT IN ('new', 'learning', 'relearning') AND due < ?",
        (format_utc(before),),
    )


def ahead_by_due(
    store: Store, within: Container[str]
) -> AbstractContextManager[Iterator[QueueRow]]:
    """Cards to study ahead: every rated card (see :func:`_rows_by_due`).

    Asked only once the drill has nothing to show, so a review due today is here only when a
    daily review limit holds it back: being due soonest, it comes before tomorrow's.
    """
    return _rows_by_due(store, within, "state != 'new'")


def rated_by_due(
    store: Store, within: Container[str]
) -> AbstractContextManager[Iterator[QueueRow]]:
    """Every rated card (see :func:`_rows_by_due`)."""
    return _rows_by_due(store, within, "1")


def rated_keys(store: Store) -> set[str]:
    """Keys of every card rated at least once (its state is no longer ``new``)."""
    cursor = store.conn.cursor()
    cursor.row_factory = None
    try:
        return {
            row[0] for row in cursor.execute("SELECT card_key FROM card_state WHERE state != 'new'")
        }
    finally:
        cursor.close()


def new_card_rows(store: Store, keys: Iterable[str]) -> dict[str, NewCardRow]:
    """The stored state and flags of those of ``keys`` that have a row."""
    keys = list(keys)
    if not keys:
        return {}
    cursor = store.conn.cursor()
    cursor.row_factory = None
    try:
        rows = cursor.execute(
            "SELECT card_key, state, suspended, buried_until FROM card_state "
            f"WHERE card_key IN ({', '.join('?' * len(keys))})",
            keys,
        ).fetchall()
    finally:
        cursor.close()
    return {
        key: NewCardRow(state, bool(suspended), read_stored_utc(buried))
        for key, state, suspended, buried in rows
    }


def data_version(store: Store) -> int:
    """A number that changes whenever another connection commits to the database.

    The connection's own commits leave it unchanged (SQLite's ``PRAGMA data_version``).
    """
    return int(store.conn.execute("PRAGMA data_version").fetchone()[0])
