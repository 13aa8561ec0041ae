"""The reads that build a drill's queue: indexed, and only as many rows as the next card needs.

A collection of ten thousand cards has thousands of rated ones; reading them all into objects
for every card shown took most of the time of a rating. These read the ``card_state`` rows in
due order through ``idx_card_state_due`` and stop as soon as the caller has its card.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

from failtui.storage.db import Store

#: The scheduler states of cards still in their learning steps.
LEARNING_STATES = ("learning", "relearning")

#: One ``card_state`` row as the queue reads it: (card_key, state, due, buried_until).
QueueRow = tuple[str, str, str, str | None]


@contextmanager
def rows_by_due(
    store: Store, condition: str, params: tuple[Any, ...] = ()
) -> Iterator[Iterator[QueueRow]]:
    """Unsuspended rated cards matching ``condition`` (SQL over card_state), earliest due first.

    Read lazily, so a caller that stops at its first card reads a handful of rows. The rows
    flagged deleted are merged in too (the flag is only refreshed when decks are reloaded; the
    caller decides by its own cards), one ordered index range per flag value, so SQLite never
    sorts. The cursors are closed on leaving the block: an unfinished read would hold its
    snapshot of the database.
    """
    sql = (
        "SELECT card_key, state, due, buried_until FROM card_state "
        f"WHERE suspended = 0 AND deleted = ? AND due IS NOT NULL AND ({condition}) ORDER BY due"
    )
    cursors = []
    try:
        for deleted in (0, 1):
            cursor = store.conn.cursor()
            cursor.row_factory = None  # plain tuples: several times cheaper than sqlite3.Row
            cursors.append(cursor.execute(sql, (deleted, *params)))
        yield heapq.merge(*cursors, key=itemgetter(2))
    finally:
        for cursor in cursors:
            cursor.close()


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


def new_card_rows(store: Store, keys: Iterable[str]) -> dict[str, tuple[str, int, str | None]]:
    """The stored (state, suspended, buried_until) of those of ``keys`` that have a row."""
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
    return {key: (state, suspended, buried) for key, state, suspended, buried in rows}


def data_version(store: Store) -> int:
    """A number that changes whenever another connection commits to the database.

    The connection's own commits leave it unchanged (SQLite's ``PRAGMA data_version``).
    """
    return int(store.conn.execute("PRAGMA data_version").fetchone()[0])
