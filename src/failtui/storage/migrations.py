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


@migrations(name="0002_statistics")
def m0002_statistics(db: Database) -> None:
    """Indexes and a per-day tally of key points and red flags, so statistics stay fast.

    ``item_tally`` counts, per deck, study day, kind and item id, how often a key point was
    expected and missed (or a red flag raised). Scanning ``attempt_items`` takes seconds at a
    million reviews; the tally holds one row per item per day. Triggers keep it equal to
    ``attempt_items`` of rated attempts: an attempt counts once its review exists (the review
    holds the deck and study day), whichever of the two rows is written first, and stops
    counting when its review or its item rows are deleted (undo deletes the review first).
    """
    # Trigger bodies hold semicolons, so the statements are split on blank lines instead.
    script = """
        CREATE TABLE item_tally (
            kind TEXT NOT NULL,               -- key_point | red_flag
            item_id TEXT NOT NULL,
            deck_id TEXT NOT NULL,
            study_day TEXT NOT NULL,
            expected INTEGER NOT NULL,        -- attempts that graded this item
            missed INTEGER NOT NULL,          -- key point not covered / red flag raised
            PRIMARY KEY (kind, item_id, deck_id, study_day)
        ) WITHOUT ROWID;

        CREATE INDEX idx_reviews_attempt ON reviews (attempt_id);

        CREATE INDEX idx_reviews_retention ON reviews (state_before, study_day, rating);

        CREATE INDEX idx_reviews_deck_day ON reviews (deck_id, study_day, state_before, rating);

        CREATE INDEX idx_attempts_deck_time ON attempts (deck_id, answered_at);

        CREATE TRIGGER item_tally_review_added AFTER INSERT ON reviews
        WHEN NEW.attempt_id IS NOT NULL
        BEGIN
            INSERT INTO item_tally (kind, item_id, deck_id, study_day, expected, missed)
            SELECT kind, item_id, NEW.deck_id, NEW.study_day, count(*),
                   sum(CASE WHEN kind = 'key_point' THEN hit = 0 ELSE hit END)
            FROM attempt_items WHERE attempt_id = NEW.attempt_id
            GROUP BY kind, item_id
            ON CONFLICT (kind, item_id, deck_id, study_day) DO UPDATE
            SET expected = expected + excluded.expected, missed = missed + excluded.missed;
        END;

        CREATE TRIGGER item_tally_review_removed BEFORE DELETE ON reviews
        WHEN OLD.attempt_id IS NOT NULL
        BEGIN
            UPDATE item_tally SET
                expected = expected - (SELECT count(*) FROM attempt_items i
                    WHERE i.attempt_id = OLD.attempt_id AND i.kind = item_tally.kind
                    AND i.item_id = item_tally.item_id),
                missed = missed - (SELECT coalesce(sum(CASE WHEN i.kind = 'key_point'
                    THEN i.hit = 0 ELSE i.hit END), 0) FROM attempt_items i
                    WHERE i.attempt_id = OLD.attempt_id AND i.kind = item_tally.kind
                    AND i.item_id = item_tally.item_id)
            WHERE deck_id = OLD.deck_id AND study_day = OLD.study_day
              AND (kind, item_id) IN (SELECT kind, item_id FROM attempt_items
                                      WHERE attempt_id = OLD.attempt_id);
            DELETE FROM item_tally WHERE deck_id = OLD.deck_id AND study_day = OLD.study_day
              AND expected <= 0;
        END;

        CREATE TRIGGER item_tally_item_added AFTER INSERT ON attempt_items
        WHEN EXISTS (SELECT 1 FROM reviews WHERE attempt_id = NEW.attempt_id)
        BEGIN
            INSERT INTO item_tally (kind, item_id, deck_id, study_day, expected, missed)
            SELECT NEW.kind, NEW.item_id, r.deck_id, r.study_day, 1,
                   CASE WHEN NEW.kind = 'key_point' THEN NEW.hit = 0 ELSE NEW.hit END
            FROM reviews r WHERE r.attempt_id = NEW.attempt_id
            ON CONFLICT (kind, item_id, deck_id, study_day) DO UPDATE
            SET expected = expected + excluded.expected, missed = missed + excluded.missed;
        END;

        CREATE TRIGGER item_tally_item_removed AFTER DELETE ON attempt_items
        WHEN EXISTS (SELECT 1 FROM reviews WHERE attempt_id = OLD.attempt_id)
        BEGIN
            UPDATE item_tally SET expected = expected - 1,
                missed = missed - (CASE WHEN OLD.kind = 'key_point' THEN OLD.hit = 0
                                   ELSE OLD.hit END)
            WHERE (kind, item_id, deck_id, study_day) IN (
                SELECT OLD.kind, OLD.item_id, r.deck_id, r.study_day
                FROM reviews r WHERE r.attempt_id = OLD.attempt_id);
            DELETE FROM item_tally WHERE kind = OLD.kind AND item_id = OLD.item_id
              AND expected <= 0;
        END;

        INSERT INTO item_tally (kind, item_id, deck_id, study_day, expected, missed)
        SELECT i.kind, i.item_id, r.deck_id, r.study_day, count(*),
               sum(CASE WHEN i.kind = 'key_point' THEN i.hit = 0 ELSE i.hit END)
        FROM reviews r JOIN attempt_items i ON i.attempt_id = r.attempt_id
        GROUP BY i.kind, i.item_id, r.deck_id, r.study_day
        """
    for statement in script.split("\n\n"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0003_statistics_indexes")
def m0003_statistics_indexes(db: Database) -> None:
    """Indexes for the two statistics that were slow at a million reviews.

    ``answer_trends`` reads four numbers of each attempt answered in the last 90 days; in the
    table they sit behind the answer and grade text (about 2.7 KB a row, mostly in overflow
    pages), so each lookup walked those pages. The attempts index holds just those numbers.
    The recent days of each key point read ``item_tally`` by item and study day, newest first;
    the table's own key has the deck between them, so every row was read and sorted. That index
    leaves out the counts on purpose: a rating adds to the counts of about 20 tally rows, and
    an index holding them would be rewritten on each, about 20 more pages per rating, enough
    to make WAL checkpoints show in the rating time (p95 2 -> 8 ms at 100k reviews).
    """
    _run_script(
        db,
        """
        CREATE INDEX idx_attempts_figures ON attempts (id, words, speaking_seconds, coverage);
        CREATE INDEX idx_item_tally_days ON item_tally (kind, item_id, study_day);
        """,
    )


@migrations(name="0004_corrections")
def m0004_corrections(db: Database) -> None:
    """The user's corrections of a grade, and the personal cues they teach a card.

    The rows the statistics read (``attempts.coverage`` and ``suggested_rating``, ``attempt_items``
    and so ``item_tally``) hold the labels as the user left them: the grader's where the user
    changed nothing. What the grader said is kept beside them: ``attempts.model_grade_json`` is
    its whole grade (NULL when the user corrected nothing: ``grade_json`` is then the grader's),
    and ``attempt_corrections`` has one row per item the user labelled differently. Both go
    with their attempt (undo deletes it). ``personal_cues`` are sentences the user marked as
    showing a key point; the session adds them to that key point's cues before grading. Each
    remembers the attempt that taught it, so undoing that rating forgets it.
    """
    _run_script(
        db,
        """
        ALTER TABLE attempts ADD COLUMN model_grade_json TEXT;

        CREATE TABLE attempt_corrections (
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,               -- key_point | red_flag
            item_id TEXT NOT NULL,
            label TEXT NOT NULL,
            model_hit INTEGER NOT NULL,       -- the grader's: covered / raised
            user_hit INTEGER NOT NULL,        -- the user's
            PRIMARY KEY (attempt_id, kind, item_id)
        );

        CREATE TABLE personal_cues (
            card_key TEXT NOT NULL,
            key_point_id TEXT NOT NULL,
            cue TEXT NOT NULL,
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            PRIMARY KEY (card_key, key_point_id, cue)
        );
        CREATE INDEX idx_personal_cues_attempt ON personal_cues (attempt_id);
        """,
    )


@migrations(name="0005_answer_key_points_per_card")
def m0005_answer_key_points_per_card(db: Database) -> None:
    """Key points the grader made from a card's guidance count for that card alone.

    A card with no key points is graded against the sentences of its guidance, as
    ``answer-1``, ``answer-2``...; stored under those ids, every imported card's sentences
    merged in the statistics ("missed 4 of 4" for a card answered twice). They are now stored
    as ``deck/card:answer-1`` (see ``queries.stored_key_point_id``); this renames the ones
    stored before and moves their tally rows with them. ``item_tally``'s triggers follow
    inserts and deletes, not updates, so the tally is moved here by hand: the old rows go, the
    same counts are added under the new ids, then the item rows are renamed.
    """
    old = "i.kind = 'key_point' AND i.item_id GLOB 'answer-[0-9]*'"
    _run_script(
        db,
        f"""
        DELETE FROM item_tally WHERE kind = 'key_point' AND item_id GLOB 'answer-[0-9]*';
        INSERT INTO item_tally (kind, item_id, deck_id, study_day, expected, missed)
        SELECT 'key_point', a.card_key || ':' || i.item_id, r.deck_id, r.study_day, count(*),
               sum(i.hit = 0)
        FROM attempt_items i JOIN attempts a ON a.id = i.attempt_id
        JOIN reviews r ON r.attempt_id = i.attempt_id
        WHERE {old}
        GROUP BY a.card_key || ':' || i.item_id, r.deck_id, r.study_day
        ON CONFLICT (kind, item_id, deck_id, study_day) DO UPDATE
        SET expected = expected + excluded.expected, missed = missed + excluded.missed;
        UPDATE attempt_items AS i
        SET item_id = (SELECT a.card_key FROM attempts a WHERE a.id = i.attempt_id)
                      || ':' || i.item_id
        WHERE {old}
          AND EXISTS (SELECT 1 FROM attempts a WHERE a.id = i.attempt_id)
        """,
    )


@migrations(name="0006_interview_day")
def m0006_interview_day(db: Database) -> None:
    """Interview dates, answers said aloud, and the answers to an interviewer's follow-up.

    ``interviews`` holds a date to be ready for (a study day, ``YYYY-MM-DD``) and its title;
    ``interview_decks`` the decks it covers (none: every deck). ``attempts.spoken`` marks an
    answer said aloud in speak mode: its ``speaking_seconds`` is the time measured, not an
    estimate from the words, and its labels are the user's ticks. The attempts index that
    the answer statistics read (migration 0003) gains that column, so it still holds every
    number they read. ``followup_answers`` keeps the answer to the follow-up question asked
    after an attempt, with the key point it probes; it goes with its attempt.
    """
    _run_script(
        db,
        """
        CREATE TABLE interviews (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,                -- the study day of the interview, YYYY-MM-DD
            title TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_interviews_day ON interviews (day);

        CREATE TABLE interview_decks (
            interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            deck_id TEXT NOT NULL,
            PRIMARY KEY (interview_id, deck_id)
        );

        ALTER TABLE attempts ADD COLUMN spoken INTEGER NOT NULL DEFAULT 0;
        DROP INDEX idx_attempts_figures;
        CREATE INDEX idx_attempts_figures
            ON attempts (id, words, speaking_seconds, coverage, spoken);

        CREATE TABLE followup_answers (
            attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
            key_point_id TEXT NOT NULL,
            prompt TEXT NOT NULL,
            answer TEXT NOT NULL,
            covered INTEGER NOT NULL,
            evidence TEXT NOT NULL DEFAULT '',
            answered_at TEXT NOT NULL
        )
        """,
    )


@migrations(name="0007_home_counts")
def m0007_home_counts(db: Database) -> None:
    """Per-deck counts of the stored card states, kept by triggers, so home reads a few rows.

    Home shows each deck's new, learning and due cards. Counting them read every stored card
    state and matched it to the deck's card ids. These tables hold the same counts, grouped by
    what decides how a card counts at a given moment, so the answer for "now" and "the end of
    today's study day" is a short sum (see :mod:`failtui.storage.home_counts`):

    ``home_cards`` are the cards counted: each deck's card ids as home last listed them (a card
    no longer in its deck, or a paused story, is not counted). ``home_decks`` holds, per deck,
    those ids as one text and their number, so a changed deck is noticed and counted again.
    ``home_tally`` counts the counted cards' state rows by deck, ``suspended``, ``buried_until``
    ('' for none) and kind (0 new, 1 learning or relearning, 2 any other state). ``home_due``
    counts the kind-2 rows that are not suspended and have a due date, by the UTC day of that
    date (``substr(due, 1, 10)``), deck and ``buried_until``: the cards due before a moment are
    the days before its day, plus the rows of its own day read from ``card_state`` through
    ``idx_card_state_due``. Columns copied from ``card_state`` have no type, so each value
    compares exactly as it does there. No index is added to ``card_state``: every page a rating
    writes counts (see 0003).

    The triggers follow every insert, delete and change of a card state (a rating, an undo, a
    bury or suspension, a reset, a restored row), inside the transaction that makes it. A
    REPLACE would delete a row without firing them: nothing writes ``card_state`` that way.
    """
    kind = (
        "CASE WHEN {r}.state = 'new' THEN 0 WHEN {r}.state IN ('learning', 'relearning') THEN 1 "
        "ELSE 2 END"
    )
    member = "(SELECT deck_id FROM home_cards WHERE card_key = {r}.card_key)"
    tally_key = (
        f"deck_id = {member} AND suspended = {{r}}.suspended "
        f"AND buried_until = ifnull({{r}}.buried_until, '') AND kind = {kind}"
    )
    due_key = (
        f"due_day = substr({{r}}.due, 1, 10) AND deck_id = {member} "
        f"AND buried_until = ifnull({{r}}.buried_until, '') AND {kind} = 2 AND NOT {{r}}.suspended"
    )
    add = f"""
        INSERT INTO home_tally (deck_id, suspended, buried_until, kind, n)
        SELECT deck_id, {{r}}.suspended, ifnull({{r}}.buried_until, ''), {kind}, 1
        FROM home_cards WHERE card_key = {{r}}.card_key
        ON CONFLICT (deck_id, suspended, buried_until, kind) DO UPDATE SET n = n + 1;
        INSERT INTO home_due (due_day, deck_id, buried_until, n)
        SELECT substr({{r}}.due, 1, 10), deck_id, ifnull({{r}}.buried_until, ''), 1
        FROM home_cards WHERE card_key = {{r}}.card_key
          AND {kind} = 2 AND {{r}}.due IS NOT NULL AND NOT {{r}}.suspended
        ON CONFLICT (due_day, deck_id, buried_until) DO UPDATE SET n = n + 1;
    """
    remove = f"""
        UPDATE home_tally SET n = n - 1 WHERE {tally_key};
        DELETE FROM home_tally WHERE {tally_key} AND n <= 0;
        UPDATE home_due SET n = n - 1 WHERE {due_key};
        DELETE FROM home_due WHERE {due_key} AND n <= 0;
    """
    counted = "OLD.{c} IS NOT NEW.{c}"
    changed = " OR ".join(
        counted.format(c=c) for c in ("card_key", "state", "due", "suspended", "buried_until")
    )
    # Trigger bodies hold semicolons, so the statements are split on blank lines instead.
    script = f"""
        CREATE TABLE home_cards (
            card_key TEXT PRIMARY KEY,        -- deck_id/card_id
            deck_id TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE INDEX idx_home_cards_deck ON home_cards (deck_id);

        CREATE TABLE home_decks (
            deck_id TEXT PRIMARY KEY,
            card_ids TEXT NOT NULL,           -- the deck's counted card ids, one a line
            cards INTEGER NOT NULL            -- how many distinct ids
        ) WITHOUT ROWID;

        CREATE TABLE home_tally (
            deck_id TEXT NOT NULL,
            suspended NOT NULL,
            buried_until NOT NULL,
            kind INTEGER NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (deck_id, suspended, buried_until, kind)
        ) WITHOUT ROWID;

        CREATE TABLE home_due (
            due_day NOT NULL,
            deck_id TEXT NOT NULL,
            buried_until NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (due_day, deck_id, buried_until)
        ) WITHOUT ROWID;

        CREATE TRIGGER home_counts_card_added AFTER INSERT ON card_state
        BEGIN {add.format(r="NEW")} END;

        CREATE TRIGGER home_counts_card_removed AFTER DELETE ON card_state
        BEGIN {remove.format(r="OLD")} END;

        CREATE TRIGGER home_counts_card_changed
        AFTER UPDATE OF card_key, state, due, suspended, buried_until ON card_state
        WHEN {changed}
        BEGIN {remove.format(r="OLD")} {add.format(r="NEW")} END
        """
    for statement in script.split("\n\n"):
        if statement.strip():
            db.execute(statement)


@migrations(name="0008_remembered_dismissals")
def m0008_remembered_dismissals(db: Database) -> None:
    """Which stored dismissals of a red flag the session made again for the user.

    A red flag the user dismissed on a clause is dismissed again when the grader raises it on
    the same clause of a later answer to that card (:func:`failtui.corrections.dismissed_clauses`).
    It is stored as the user's correction of that answer like any other, with ``remembered`` set,
    so ``failtui corrections export`` can tell it from one the user made on that answer. Rows
    stored before have 0: the user made each of them.
    """
    db.execute("ALTER TABLE attempt_corrections ADD COLUMN remembered INTEGER NOT NULL DEFAULT 0")


@migrations(name="0009_forgotten_dismissals")
def m0009_forgotten_dismissals(db: Database) -> None:
    """The remembered dismissals the user forgot (``failtui cues forget``).

    A remembered dismissal is read from the card's answers (the user's latest word on a clause
    holds), so forgetting one is a word of its own: the red flag, the clause and when. It reads
    as the flag kept on that clause then, so a later dismissal on it is remembered again.
    """
    _run_script(
        db,
        """
        CREATE TABLE forgotten_dismissals (
            card_key TEXT NOT NULL,
            red_flag_id TEXT NOT NULL,
            clause TEXT NOT NULL,
            forgotten_at TEXT NOT NULL
        );
        CREATE INDEX idx_forgotten_dismissals_card ON forgotten_dismissals (card_key);
        """,
    )


@migrations(name="0010_followup_drafts")
def m0010_followup_drafts(db: Database) -> None:
    """The answer to the interviewer's follow-up, kept as a draft beside the card's answer.

    Typed into the follow-up box, it is saved as the answer is (after a pause in typing, and on
    leaving the box) until the card is rated, when it is stored with the attempt. A draft row
    stays while either text is there. Rows stored before have none.
    """
    db.execute("ALTER TABLE drafts ADD COLUMN followup TEXT NOT NULL DEFAULT ''")
