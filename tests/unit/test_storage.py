"""The SQLite store: migrations, WAL, write transactions, file safety."""

from __future__ import annotations

import sqlite3
import stat
import threading

import pytest

from failtui.storage import DatabaseError, open_db, queries
from failtui.storage.migrations import migrations


def test_new_database_is_migrated_wal_and_private(tmp_path):
    path = tmp_path / "failtui.db"
    store = open_db(path)
    tables = set(store.db.table_names())
    assert {"card_state", "reviews", "attempts", "attempt_items", "drafts", "settings"} <= tables
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    assert store.query("PRAGMA busy_timeout")[0][0] >= 5000
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    applied = [m.name for m in migrations.applied(store.db)]
    assert applied == [m.name for m in migrations._migrations]
    store.close()
    # Opening again applies nothing new and keeps data.
    again = open_db(path)
    queries.set_setting(again, "x", 1)
    assert queries.get_setting(again, "x") == 1
    again.close()


def test_indexes_for_due_and_statistics_exist(tmp_path):
    store = open_db(tmp_path / "f.db")
    plan = store.query(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM reviews WHERE study_day = ?", ("2026-01-01",)
    )
    assert "idx_reviews_day" in " ".join(str(tuple(r)) for r in plan)
    plan = store.query(
        "EXPLAIN QUERY PLAN SELECT card_key FROM card_state WHERE suspended = 0 AND deleted = 0 "
        "AND due < ?",
        ("x",),
    )
    assert "idx_card_state_due" in " ".join(str(tuple(r)) for r in plan)


def test_writes_use_begin_immediate(tmp_path):
    store = open_db(tmp_path / "f.db")
    statements = []
    store.conn.set_trace_callback(statements.append)
    queries.set_setting(store, "k", "v")
    assert statements[0] == "BEGIN IMMEDIATE"
    assert statements[-1] == "COMMIT"


def test_failed_write_rolls_back(tmp_path):
    store = open_db(tmp_path / "f.db")
    with pytest.raises(RuntimeError), store.write() as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        raise RuntimeError("boom")
    assert queries.get_setting(store, "a") is None
    assert not store.conn.in_transaction


def test_second_writer_waits_instead_of_failing(tmp_path):
    path = tmp_path / "f.db"
    first, second = open_db(path), open_db(path)
    done = []

    def write_second():
        queries.set_setting(second, "from-second", True)
        done.append(True)

    with first.write() as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('from-first', 'true')")
        thread = threading.Thread(target=write_second)
        thread.start()
        thread.join(0.3)
        assert not done  # blocked by our transaction, not failed
    thread.join(5)
    assert done == [True]
    assert queries.get_setting(first, "from-second") is True


def test_not_a_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "failtui.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a usable failtui database"):
        open_db(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "failtui.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('failtui', '9999_future', 'x')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="newer failtui"):
        open_db(path)


def test_drafts_round_trip_and_clear(tmp_path):
    store = open_db(tmp_path / "f.db")
    queries.save_draft(store, "d/c", "half an answer\x07", "2026-01-01T00:00:00.000000+00:00")
    assert queries.load_draft(store, "d/c") == "half an answer"
    queries.save_draft(store, "d/c", "  ", "2026-01-01T00:00:01.000000+00:00")
    assert queries.load_draft(store, "d/c") == ""


def test_the_follow_up_draft_is_kept_beside_the_answer_draft(tmp_path):
    store = open_db(tmp_path / "f.db")
    queries.save_draft(store, "d/c", "the answer", "2026-01-01T00:00:00.000000+00:00")
    queries.save_followup_draft(
        store, "d/c", "it cost\x07 a week", "2026-01-01T00:00:01.000000+00:00"
    )
    assert (queries.load_draft(store, "d/c"), queries.load_followup_draft(store, "d/c")) == (
        "the answer",
        "it cost a week",
    )
    queries.save_draft(store, "d/c", "  ", "2026-01-01T00:00:02.000000+00:00")
    assert queries.load_followup_draft(store, "d/c") == "it cost a week"  # the answer went alone
    assert queries.draft_keys(store) == ["d/c"]
    queries.save_followup_draft(store, "d/c", "\n", "2026-01-01T00:00:03.000000+00:00")
    assert store.query("SELECT count(*) FROM drafts")[0][0] == 0  # both empty: no row left


def test_migration_0010_keeps_the_drafts_stored_before(tmp_path):
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="0010_followup_drafts")
    db["drafts"].insert({"card_key": "d/c", "text": "half an answer", "updated_at": "t"})
    db.conn.commit()
    db.close()
    store = open_db(path)
    assert (queries.load_draft(store, "d/c"), queries.load_followup_draft(store, "d/c")) == (
        "half an answer",
        "",
    )


def test_the_theme_choices_are_textual_themes():
    from textual.theme import BUILTIN_THEMES

    from failtui.user_settings import THEMES

    assert sorted(THEMES) == sorted(BUILTIN_THEMES)


def test_a_rated_card_that_lost_its_last_review_is_read_as_reviewed_an_interval_before_due(
    tmp_path,
):
    # A database edited by hand or damaged: every reader of card states gets the same estimate.
    store = open_db(tmp_path / "f.db")
    with store.write() as db:
        db.execute(
            "INSERT INTO card_state (card_key, deck_id, state, due, stability, difficulty, "
            "last_review) VALUES (?, 'd', 'review', '2026-11-24T12:00:00.000000+00:00', 3.5, "
            "5.0, ?)",
            ("d/lost", None),
        )
        db.execute(
            "INSERT INTO card_state (card_key, deck_id, state, due, stability, last_review) "
            "VALUES ('d/garbled', 'd', 'review', NULL, 3.5, 'yesterday')"
        )
    assert queries.card_state(store, "d/lost").last_review == "2026-11-21T00:00:00.000000+00:00"
    assert queries.card_states(store)["d/lost"].last_review == "2026-11-21T00:00:00.000000+00:00"
    # No due time to count back from: the card is taken as never reviewed.
    assert queries.card_state(store, "d/garbled").last_review is None
