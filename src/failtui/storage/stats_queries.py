"""The SQL behind the statistics: every figure is aggregated by SQLite, over indexes.

Each function takes the filters already resolved to stored values (a study day, a UTC instant,
a deck id or None) and returns rows; :mod:`failtui.stats` turns them into dataclasses. Key point
and red flag counts read ``item_tally`` (kept by triggers, see migration 0002), because scanning
``attempt_items`` takes seconds at a million reviews.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from failtui.storage.db import Store
from failtui.storage.queries import STATE_COLUMNS


def _deck_clause(deck_id: str | None, column: str = "deck_id") -> tuple[str, tuple[str, ...]]:
    return ("", ()) if deck_id is None else (f" AND {column} = ?", (deck_id,))


def item_totals(
    store: Store, kind: str, first_day: str | None, deck_id: str | None
) -> list[sqlite3.Row]:
    """Per item id: times expected, times missed (or raised), and the last study day seen."""
    deck_sql, deck_args = _deck_clause(deck_id)
    return store.query(
        "SELECT item_id, sum(expected) AS expected, sum(missed) AS missed, "
        "max(study_day) AS last_day FROM item_tally WHERE kind = ? AND study_day >= ?"
        f"{deck_sql} GROUP BY item_id",
        (kind, first_day or "", *deck_args),
    )


def item_recent_days(
    store: Store,
    kind: str,
    first_day: str | None,
    deck_id: str | None,
    per_item: int,
    item_ids: Iterable[str],
) -> list[sqlite3.Row]:
    """For each of ``item_ids``, its last ``per_item`` study days with attempts: expected and
    missed, oldest first, items in the order given.

    One index seek per item (``idx_item_tally_days``, migration 0003) that stops after
    ``per_item`` days: ranking every tally row by day in one window query read them all.
    """
    deck_sql, deck_args = _deck_clause(deck_id)
    sql = (
        "SELECT item_id, study_day, sum(expected) AS expected, sum(missed) AS missed "
        f"FROM item_tally WHERE kind = ? AND item_id = ? AND study_day >= ?{deck_sql} "
        "GROUP BY study_day ORDER BY study_day DESC LIMIT ?"
    )
    rows: list[sqlite3.Row] = []
    for item_id in item_ids:
        newest_first = store.query(sql, (kind, item_id, first_day or "", *deck_args, per_item))
        rows.extend(reversed(newest_first))
    return rows


def latest_label(store: Store, kind: str, item_id: str) -> str | None:
    """The label an item had in its most recent attempt (labels can be edited in a deck)."""
    rows = store.query(
        "SELECT label FROM attempt_items WHERE kind = ? AND item_id = ? "
        "ORDER BY answered_at DESC LIMIT 1",
        (kind, item_id),
    )
    return rows[0]["label"] if rows else None


def item_sample_cards(store: Store, kind: str, item_ids: Iterable[str]) -> dict[str, str]:
    """For each item id, the card of its most recent attempt (one index seek per item)."""
    found = {}
    for item_id in item_ids:
        rows = store.query(
            "SELECT a.card_key FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id "
            "WHERE i.kind = ? AND i.item_id = ? ORDER BY i.answered_at DESC LIMIT 1",
            (kind, item_id),
        )
        if rows:
            found[item_id] = rows[0][0]
    return found


def card_rows(store: Store, deck_id: str | None, recent: int) -> list[sqlite3.Row]:
    """Every reviewed, not deleted card: its state (:data:`~failtui.storage.queries.
    STATE_COLUMNS`, read with :func:`~failtui.storage.queries.state_from_row`) and deck.

    The latest coverage and the Again count among the last ``recent`` ratings are index seeks
    per card.
    """
    deck_sql, deck_args = _deck_clause(deck_id, "c.deck_id")
    return store.query(
        f"SELECT {', '.join(f'c.{column}' for column in STATE_COLUMNS)}, c.deck_id, "
        "(SELECT a.coverage FROM attempts a WHERE a.card_key = c.card_key "
        " ORDER BY a.answered_at DESC LIMIT 1) AS last_coverage, "
        "(SELECT count(*) FROM (SELECT r.rating FROM reviews r WHERE r.card_key = c.card_key "
        " ORDER BY r.reviewed_at DESC LIMIT :recent) WHERE rating = 1) AS recent_again "
        "FROM card_state c WHERE c.deleted = 0 AND c.stability IS NOT NULL"
        f"{deck_sql.replace('?', ':deck')}",
        {"recent": recent, **({"deck": deck_args[0]} if deck_args else {})},
    )


def reviews_per_day(store: Store, first_day: str, deck_id: str | None) -> list[sqlite3.Row]:
    """Reviews per study day from ``first_day`` on (days without reviews are absent)."""
    deck_sql, deck_args = _deck_clause(deck_id)
    return store.query(
        "SELECT study_day, count(*) AS reviews FROM reviews "
        f"WHERE study_day >= ?{deck_sql} GROUP BY study_day ORDER BY study_day",
        (first_day, *deck_args),
    )


def due_per_day(
    store: Store, day_start_iso: str, horizon_iso: str, deck_id: str | None
) -> list[sqlite3.Row]:
    """Cards due before ``horizon_iso``, by study day counted from the one starting at
    ``day_start_iso`` (0 = today; overdue cards count for today). Suspended and deleted cards
    are left out."""
    deck_sql, deck_args = _deck_clause(deck_id)
    return store.query(
        "SELECT max(0, CAST(floor(julianday(due) - julianday(?)) AS INTEGER)) AS day_offset, "
        "count(*) AS cards FROM card_state "
        f"WHERE suspended = 0 AND deleted = 0 AND due < ?{deck_sql} "
        "GROUP BY day_offset ORDER BY day_offset",
        (day_start_iso, horizon_iso, *deck_args),
    )


def retention_per_month(store: Store, first_day: str, deck_id: str | None) -> list[sqlite3.Row]:
    """Per month (``YYYY-MM`` of the study day): reviews of cards in review state, and how
    many of them were recalled (rated anything but Again)."""
    deck_sql, deck_args = _deck_clause(deck_id)
    return store.query(
        "SELECT substr(study_day, 1, 7) AS month, count(*) AS reviews, "
        "sum(rating > 1) AS recalled FROM reviews "
        f"WHERE state_before = 'review' AND study_day >= ?{deck_sql} "
        "GROUP BY month ORDER BY month",
        (first_day, *deck_args),
    )


def answers_per_day(
    store: Store,
    first_day: str,
    deck_ids: tuple[str, ...] | None,
    advised_seconds: tuple[float, float],
) -> list[sqlite3.Row]:
    """Per study day: rated answers, the mean words and estimated speaking seconds of those
    typed, the mean seconds of those said aloud, coverage, and how many were within the advised
    speaking time. ``deck_ids`` None means every deck."""
    deck_sql = ""
    if deck_ids is not None:
        deck_sql = f" AND r.deck_id IN ({', '.join('?' * len(deck_ids))})"
    low, high = advised_seconds
    return store.query(
        # Typed answers' words and estimated time; answers said aloud (speak mode) have no
        # words and a measured time, averaged apart.
        "SELECT r.study_day, count(*) AS answers, "
        "avg(CASE WHEN a.spoken = 0 THEN a.words END) AS words, "
        "avg(CASE WHEN a.spoken = 0 THEN a.speaking_seconds END) AS seconds, "
        "avg(a.coverage) AS coverage, "
        "sum(a.speaking_seconds BETWEEN ? AND ?) AS within_advice, "
        "sum(a.spoken) AS spoken, "
        "avg(CASE WHEN a.spoken = 1 THEN a.speaking_seconds END) AS spoken_seconds "
        # The answer and grade text fill each attempt row (mostly in overflow pages); this
        # index (migration 0003) holds the four numbers read here. The planner prefers the
        # row id, so it is named.
        "FROM reviews r JOIN attempts a INDEXED BY idx_attempts_figures ON a.id = r.attempt_id "
        f"WHERE r.study_day >= ?{deck_sql} GROUP BY r.study_day ORDER BY r.study_day",
        (low, high, first_day, *(deck_ids or ())),
    )


def answers_by_deck(store: Store, first_day: str) -> dict[str, int]:
    """Per deck, the rated answers from ``first_day`` on (counted as :func:`answers_per_day`
    counts them)."""
    rows = store.query(
        "SELECT r.deck_id, count(*) FROM reviews r "
        "JOIN attempts a INDEXED BY idx_attempts_figures ON a.id = r.attempt_id "
        "WHERE r.study_day >= ? GROUP BY r.deck_id",
        (first_day,),
    )
    return {row[0]: row[1] for row in rows}


def deck_has_history(store: Store, deck_id: str) -> bool:
    """True when the store holds a card state (so a rating) for a card of ``deck_id``."""
    return bool(store.query("SELECT 1 FROM card_state WHERE deck_id = ? LIMIT 1", (deck_id,)))
