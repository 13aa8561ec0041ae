"""Numbered schema migrations. Append new ones; never edit one that has shipped."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATION_SET = "failtui"
migrations = Migrations(MIGRATION_SET)


def _run_script(db: Database, script: str) -> None:
    # Not executescript(): it commits first, which would end the migration's transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    """Card state, reviews (with state before and after), attempts, their key points, drafts."""
    _run_script(
        db,
        """
        CREATE TABLE card_state (
            card_key TEXT PRIMARY KEY,        -- deck_id/card_id
            deck_id TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'new', -- new | learning | review | relearning
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due TEXT,                          -- ISO 8601 UTC
            last_review TEXT,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            buried_until TEXT,
            suspended INTEGER NOT NULL DEFAULT 0,
            deleted INTEGER NOT NULL DEFAULT 0,
            first_seen_day TEXT               -- study day the card was first rated
        );
        CREATE INDEX idx_card_state_due ON card_state (suspended, deleted, due);
        CREATE INDEX idx_card_state_deck ON card_state (deck_id, state);

        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            card_key TEXT NOT NULL,
            deck_id TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            answer TEXT NOT NULL,
            coverage REAL NOT NULL,
            words INTEGER NOT NULL,
            speaking_seconds REAL NOT NULL,
            lesson_share REAL NOT NULL,
            suggested_rating TEXT NOT NULL,
            rating TEXT,
            grade_json TEXT NOT NULL
        );
        CREATE INDEX idx_attempts_card ON attempts (card_key, answered_at);
        CREATE INDEX idx_attempts_time ON attempts (answered_at);

        CREATE TABLE attempt_items (
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,               -- key_point | red_flag
            item_id TEXT NOT NULL,
            label TEXT NOT NULL,
            hit INTEGER NOT NULL,             -- key point covered / red flag raised
            score REAL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (attempt_id, kind, item_id)
        );
        CREATE INDEX idx_attempt_items_item ON attempt_items (kind, item_id, answered_at);

        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_key TEXT NOT NULL,
            deck_id TEXT NOT NULL,
            attempt_id INTEGER REFERENCES attempts(id) ON DELETE SET NULL,
            reviewed_at TEXT NOT NULL,
            study_day TEXT NOT NULL,          -- local study day (after the rollover hour)
            rating INTEGER NOT NULL,          -- 1 again, 2 hard, 3 good, 4 easy
            suggested_rating TEXT,
            duration_ms INTEGER,
            state_before TEXT NOT NULL,
            state_after TEXT NOT NULL,
            stability_before REAL,
            stability_after REAL,
            difficulty_before REAL,
            difficulty_after REAL,
            due_before TEXT,
            due_after TEXT NOT NULL,
            interval_before_days REAL,        -- days between last review and this one
            interval_after_days REAL NOT NULL,-- days until the new due date
            card_state_before TEXT NOT NULL   -- JSON of the card_state row, for an exact undo
        );
        CREATE INDEX idx_reviews_time ON reviews (reviewed_at);
        CREATE INDEX idx_reviews_day ON reviews (study_day);
        CREATE INDEX idx_reviews_card ON reviews (card_key, reviewed_at);

        CREATE TABLE drafts (
            card_key TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL               -- JSON
        );
        """,
    )
