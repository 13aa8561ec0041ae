"""The reads the home screen makes for its first frame, and the settings.

Kept apart from :mod:`failtui.storage.queries` (which re-exports them) because that module
builds the models' dataclasses on import, which the home screen's first frame does not need.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from failtui.storage.db import Store

#: What one stored card state does to its deck's counts today (see :func:`card_tallies`).
NOT_NEW, LEARNING, DUE = 0, 1, 2


@contextmanager
def card_tallies(
    store: Store, now_iso: str, day_end_iso: str
) -> Iterator[Iterator[tuple[str, int]]]:
    """(card_key, what it counts as) for every stored card that changes today's counts.

    A card counts as ``LEARNING`` in its learning steps, ``DUE`` when due before the study day
    ends, and otherwise ``NOT_NEW`` (rated, or hidden: suspended or buried past ``now_iso``),
    which only takes it off the new cards. A new card that is not hidden has no row here.
    SQLite decides each row's kind, so two plain columns are read, streamed.
    """
    cursor = store.conn.cursor()
    cursor.row_factory = None
    try:
        yield cursor.execute(
            "SELECT card_key, CASE"
            " WHEN suspended OR ifnull(buried_until > ?1, 0) THEN 0"
            " WHEN state IN ('learning', 'relearning') THEN 1"
            " WHEN due < ?2 THEN 2 ELSE 0 END "
            "FROM card_state WHERE state != 'new' OR suspended OR buried_until > ?1",
            (now_iso, day_end_iso),
        )
    finally:
        cursor.close()


def count_reviews_on(store: Store, day: str) -> int:
    """How many ratings were given on a study day."""
    return int(store.query("SELECT count(*) FROM reviews WHERE study_day = ?", (day,))[0][0])


def counts_by_deck_on(store: Store, day: str) -> dict[str, tuple[int, int]]:
    """Per deck, (new cards first rated, reviews of cards seen before) on a study day."""
    rows = store.query(
        "SELECT deck_id, sum(state_before = 'new'), sum(state_before != 'new') FROM reviews "
        "WHERE study_day = ? GROUP BY deck_id",
        (day,),
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def study_days_desc(store: Store) -> list[str]:
    """The distinct study days with a review, newest first (for the streak)."""
    return [
        r[0] for r in store.query("SELECT DISTINCT study_day FROM reviews ORDER BY study_day DESC")
    ]


@contextmanager
def study_days_to(store: Store, day: str) -> Iterator[Iterator[str]]:
    """The distinct study days with a review up to ``day``, newest first, streamed.

    The streak stops reading at its first gap instead of reading years of history.
    """
    cursor = store.conn.cursor()
    cursor.row_factory = None
    try:
        rows = cursor.execute(
            "SELECT DISTINCT study_day FROM reviews WHERE study_day <= ? ORDER BY study_day DESC",
            (day,),
        )
        yield (row[0] for row in rows)
    finally:
        cursor.close()


def get_setting(store: Store, key: str, default: Any = None) -> Any:
    """A setting's value (JSON-decoded), or ``default``."""
    rows = store.query("SELECT value FROM settings WHERE key = ?", (key,))
    if not rows:
        return default
    try:
        return json.loads(rows[0]["value"])
    except (TypeError, ValueError, RecursionError):  # edited by hand: not JSON, or nested deep
        return default


def set_setting(store: Store, key: str, value: Any) -> None:
    """Store a setting (any JSON value)."""
    with store.write() as db:
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )
