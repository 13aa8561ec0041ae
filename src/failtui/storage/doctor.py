"""``failtui doctor``: check the database and repair what can be repaired without losing anything.

The check is SQLite's ``integrity_check`` plus failtui's own rules. A damaged file is never
written to: the report says so and points at ``failtui doctor --restore``. Repairs run in one
transaction after a backup, so what they remove (stale drafts) can still be found there:

- key-point rows of an attempt that no longer exists are deleted (they are derived data);
- a review pointing at a missing attempt keeps its rating, with the link cleared;
- a card with reviews but no scheduling state gets its state back from its newest review;
- drafts that are empty, that repeat an answer already stored for the card (with no answer to
  its follow-up typed), or that belong to a card no longer in any deck are removed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from failtui.storage import home_counts
from failtui.storage.backup import BackupError, take_backup
from failtui.storage.db import Store, WriteError
from failtui.textclean import is_empty_answer
from failtui.words import count

if TYPE_CHECKING:
    from failtui.models import Deck, DeckError


class LoadedDecks(Protocol):
    """What the doctor needs of the loaded decks (the deck catalog is one)."""

    @property
    def errors(self) -> list[DeckError]: ...

    def deck(self, deck_id: str) -> Deck | None: ...


@dataclass
class DoctorReport:
    """What the doctor found and did."""

    database: Path | None
    problems: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    backup: Path | None = None

    @property
    def healthy(self) -> bool:
        """No problem is left that the doctor could not repair."""
        return not self.problems


def _integrity(store: Store) -> list[str]:
    try:
        found = [row[0] for row in store.query("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:  # damage bad enough that the check itself stops
        return [f"integrity check failed: {exc}"]
    return [] if found == ["ok"] else found


def _missing_card(card_key: str, catalog: LoadedDecks) -> bool:
    """Whether a card is surely gone: its deck loaded without it, or no deck failed to load."""
    deck_id, _, card_id = card_key.partition("/")
    deck = catalog.deck(deck_id)
    if deck is not None:
        return deck.card(card_id) is None
    # A deck that failed to load (a typo being fixed) may be the card's: keep its drafts.
    return not catalog.errors


def _plan(store: Store, catalog: LoadedDecks | None) -> dict[str, list[str]]:
    """The repairs needed, as lists of row keys, found with reads only."""
    orphan_items = store.query(
        "SELECT DISTINCT attempt_id FROM attempt_items "
        "WHERE attempt_id NOT IN (SELECT id FROM attempts)"
    )
    dangling_reviews = store.query(
        "SELECT id FROM reviews WHERE attempt_id IS NOT NULL "
        "AND attempt_id NOT IN (SELECT id FROM attempts)"
    )
    stateless = store.query(
        "SELECT DISTINCT card_key FROM reviews "
        "WHERE card_key NOT IN (SELECT card_key FROM card_state)"
    )
    empty, repeated, gone = [], [], []
    for row in store.query("SELECT card_key, text, followup FROM drafts"):
        key, text = row["card_key"], row["text"]
        # A follow-up's answer typed after the answer was submitted is stored nowhere else.
        followup_typed = not is_empty_answer(row["followup"])
        if is_empty_answer(text) and not followup_typed:
            empty.append(key)
        elif not followup_typed and store.query(
            "SELECT 1 FROM attempts WHERE card_key = ? AND answer = ? LIMIT 1", (key, text)
        ):
            repeated.append(key)
        elif catalog is not None and _missing_card(key, catalog):
            gone.append(key)
    return {
        "orphan_items": [r[0] for r in orphan_items],
        "dangling_reviews": [r[0] for r in dangling_reviews],
        "stateless": [r[0] for r in stateless],
        "empty": empty,
        "repeated": repeated,
        "gone": gone,
    }


def run_doctor(
    store: Store, backups_folder: Path, now: datetime, catalog: LoadedDecks | None = None
) -> DoctorReport:
    """Check the open database and repair what can be repaired (after taking a backup).

    ``catalog`` (the loaded decks) lets the doctor recognise drafts of deleted cards; without
    it those are left alone.
    """
    report = DoctorReport(store.path)
    report.problems = _integrity(store)
    if report.problems:
        from failtui.storage.backup import newest_good_backup

        good, skipped = newest_good_backup(backups_folder, now)
        damaged = f" ({len(skipped)} newer backup(s) are damaged too and are skipped)"
        if good is not None:
            report.problems.append(
                "The file is damaged; nothing was changed. Run 'failtui doctor --restore' to "
                f"put back the newest good backup, {good.name}"
                + (damaged if skipped else "")
                + " (the damaged file is kept aside)."
            )
        else:
            report.problems.append(
                "The file is damaged; nothing was changed, and there is no good backup to "
                "restore. Copy the file somewhere safe before anything else, then run "
                "'sqlite3 failtui.db .recover' to save what can be read."
            )
        return report
    try:
        # Counts kept by triggers miss what another tool wrote past them: count afresh.
        home_counts.forget_counts(store)
    except WriteError as exc:
        report.problems.append(str(exc))
        return report
    plan = _plan(store, catalog)
    if not any(plan.values()):
        return report
    if store.path is not None:
        try:
            report.backup = take_backup(store, backups_folder, now)
        except BackupError as exc:
            report.problems.append(f"{exc}; nothing was repaired")
            return report
    with store.write() as db:
        if plan["orphan_items"]:
            db.conn.executemany(
                "DELETE FROM attempt_items WHERE attempt_id = ?",
                [(i,) for i in plan["orphan_items"]],
            )
            report.repairs.append(
                "removed the key-point rows of "
                f"{count(len(plan['orphan_items']), 'missing attempt')}"
            )
        if plan["dangling_reviews"]:
            db.conn.executemany(
                "UPDATE reviews SET attempt_id = NULL WHERE id = ?",
                [(i,) for i in plan["dangling_reviews"]],
            )
            report.repairs.append(
                f"kept {count(len(plan['dangling_reviews']), 'review')} whose attempt is missing, "
                "without the link"
            )
        for key in plan["stateless"]:
            _rebuild_state(store, key)
        if plan["stateless"]:
            report.repairs.append(
                "rebuilt the scheduling state of "
                f"{count(len(plan['stateless']), 'card')} from their "
                "newest review"
            )
        for name, noun, what in (
            ("empty", "empty draft", ""),
            ("repeated", "draft", " already stored as an answer"),
            ("gone", "draft", " of cards no longer in any deck (kept in the backup)"),
        ):
            if plan[name]:
                db.conn.executemany(
                    "DELETE FROM drafts WHERE card_key = ?", [(k,) for k in plan[name]]
                )
                report.repairs.append(f"removed {count(len(plan[name]), noun)}{what}")
    return report


def _rebuild_state(store: Store, card_key: str) -> None:
    """Recreate a card's state row from its newest review (inside the caller's transaction)."""
    reviews = store.query(
        "SELECT * FROM reviews WHERE card_key = ? ORDER BY reviewed_at DESC, id DESC", (card_key,)
    )
    newest = reviews[0]
    lapses = sum(1 for r in reviews if r["rating"] == 1 and r["state_before"] == "review")
    # The review does not store the learning step reached; starting the steps again is safe.
    step = 0 if newest["state_after"] in ("learning", "relearning") else None
    store.conn.execute(
        "INSERT INTO card_state (card_key, deck_id, state, step, stability, difficulty, due, "
        "last_review, reps, lapses, first_seen_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            card_key,
            newest["deck_id"],
            newest["state_after"],
            step,
            newest["stability_after"],
            newest["difficulty_after"],
            newest["due_after"],
            newest["reviewed_at"],
            len(reviews),
            lapses,
            reviews[-1]["study_day"],
        ),
    )
