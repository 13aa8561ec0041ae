"""Interview dates as stored: the day, a title, and the decks each one covers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from failtui.storage.db import Store
from failtui.textclean import clean_text

if TYPE_CHECKING:
    from failtui.models import CardState


@dataclass(frozen=True)
class Interview:
    """A date to be ready for. ``decks`` empty means every deck counts."""

    id: int
    day: str  # YYYY-MM-DD, a study day
    title: str
    decks: tuple[str, ...] = ()

    def covers(self, deck_id: str) -> bool:
        """Whether cards of ``deck_id`` are this interview's."""
        return not self.decks or deck_id in self.decks

    @property
    def name(self) -> str:
        """The title, or "the interview on DAY" when it has none."""
        return self.title or f"the interview on {self.day}"


#: The settings key that keeps the last interview id given (a JSON number).
LAST_ID_SETTING = "last_interview_id"


def add_interview(
    store: Store,
    day: str,
    title: str,
    decks: tuple[str, ...],
    created_at: str,
    due_moves: tuple[tuple[str, str, str], ...] | list[tuple[str, str, str]] = (),
) -> tuple[Interview, int]:
    """Store an interview and move due dates, in one transaction.

    Args:
        due_moves: (card key, due as read, new due); a card whose due changed since it was
            read (a rating in another window) is left alone.

    Returns:
        The interview with its id, and how many cards' due dates moved.
    """
    title = clean_text(title).strip()
    moved = 0
    with store.write() as db:
        # Never an id a removed interview had: `failtui interview remove 2` typed again from
        # the shell's history must not remove another interview. SQLite alone would give the
        # highest id again once that interview is gone, so the last id given is kept.
        last = store.query(
            "SELECT max(coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?), 0),"
            " coalesce((SELECT max(id) FROM interviews), 0))",
            (LAST_ID_SETTING,),
        )[0][0]
        interview_id = int(last) + 1
        db.execute(
            "INSERT INTO interviews (id, day, title, created_at) VALUES (?, ?, ?, ?)",
            (interview_id, day, title, created_at),
        )
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (LAST_ID_SETTING, str(interview_id)),
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO interview_decks (interview_id, deck_id) VALUES (?, ?)",
            [(interview_id, deck) for deck in decks],
        )
        for card_key, due, new_due in due_moves:
            moved += db.execute(
                "UPDATE card_state SET due = ? WHERE card_key = ? AND due = ?",
                (new_due, card_key, due),
            ).rowcount
    return Interview(interview_id, day, title, tuple(dict.fromkeys(decks))), moved


def remove_interview(store: Store, interview_id: int) -> bool:
    """Delete an interview; False when there is none with that id."""
    with store.write() as db:
        db.execute("DELETE FROM interview_decks WHERE interview_id = ?", (interview_id,))
        cursor = db.execute("DELETE FROM interviews WHERE id = ?", (interview_id,))
    return cursor.rowcount > 0


def interviews(store: Store, from_day: str | None = None) -> list[Interview]:
    """Every interview (or those on or after ``from_day``), soonest first."""
    where, params = ("WHERE day >= ?", (from_day,)) if from_day else ("", ())
    rows = store.query(f"SELECT id, day, title FROM interviews {where} ORDER BY day, id", params)
    if not rows:
        return []
    decks: dict[int, list[str]] = {}
    for interview_id, deck_id in store.query(
        "SELECT interview_id, deck_id FROM interview_decks ORDER BY deck_id"
    ):
        decks.setdefault(interview_id, []).append(deck_id)
    return [Interview(r["id"], r["day"], r["title"], tuple(decks.get(r["id"], ()))) for r in rows]


def interview_days(store: Store) -> set[str]:
    """The days that hold an interview (for the review calendar)."""
    return {row[0] for row in store.query("SELECT DISTINCT day FROM interviews")}


class StoredStates(NamedTuple):
    """The stored states of some decks' cards, by card key, and the keys flagged deleted."""

    states: dict[str, CardState]
    flagged_deleted: frozenset[str]


def card_states_flagged(store: Store, deck_ids: list[str]) -> StoredStates:
    """The stored states of the cards of these decks, those flagged deleted too, in one read.

    The flag is refreshed only when the app loads the decks: a caller that knows its cards
    decides whether a flagged one counts (the drill's queue counts it).
    """
    from failtui.storage.queries import STATE_COLUMNS, state_from_row

    if not deck_ids:
        return StoredStates({}, frozenset())
    marks = ", ".join("?" * len(deck_ids))
    rows = store.query(
        f"SELECT {', '.join(STATE_COLUMNS)}, deleted FROM card_state WHERE deck_id IN ({marks})",
        tuple(deck_ids),
    )
    return StoredStates(
        {row["card_key"]: state_from_row(row) for row in rows},
        frozenset(row["card_key"] for row in rows if row["deleted"]),
    )


def card_states_of_decks(store: Store, deck_ids: list[str]) -> dict[str, CardState]:
    """The stored states of the cards of these decks, by card key (cards never rated have none).

    Returns:
        dict of card key -> :class:`~failtui.models.CardState`.
    """
    from failtui.storage.queries import STATE_COLUMNS, state_from_row

    if not deck_ids:
        return {}
    marks = ", ".join("?" * len(deck_ids))
    rows = store.query(
        f"SELECT {', '.join(STATE_COLUMNS)} FROM card_state "
        f"WHERE deck_id IN ({marks}) AND deleted = 0",
        tuple(deck_ids),
    )
    return {row["card_key"]: state_from_row(row) for row in rows}
