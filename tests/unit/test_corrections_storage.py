"""Corrected grades in the store: both labels kept, statistics count the user's, cues learned,
undo exact, the migration on an existing database."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import pytest
from sqlite_utils import Database

from failtui import stats
from failtui.corrections import export_record
from failtui.decks.catalog import DeckCatalog, load_catalog
from failtui.decks.reader import parse_deck
from failtui.models import KEY_POINT, RED_FLAG, Correction
from failtui.session import DrillSession
from failtui.storage import open_db, queries
from failtui.storage.migrations import migrations
from tests.conftest import FIXED_NOW, Clock
from tests.unit.test_stats import MINE

# In the card's order (learned, cost): the grader finds cost and blamed, and misses learned.
ANSWER = "I now double check every order. It cost us a day. My boss rushed me."
LESSON_SENTENCE = "I now double check every order."
TABLES = (
    "attempts", "attempt_items", "attempt_corrections", "personal_cues", "item_tally",
    "reviews", "card_state",
)  # fmt: skip


@pytest.fixture
def store(tmp_path, copy_migrated_db):
    store = open_db(copy_migrated_db(tmp_path / "failtui.db"))
    yield store
    store.close()


@pytest.fixture
def session(store):
    catalog = DeckCatalog(decks=[parse_deck(MINE, Path("mine.toml"))])
    return DrillSession(store, catalog, clock=Clock(), fuzz=False, tz=UTC)


def card(session, key="mine/a"):
    return session.catalog.card_by_key(key)


def rows(store, table: str) -> list[tuple]:
    return [tuple(r) for r in store.query(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]


def correct_and_rate(session, marks, key="mine/a", answer=ANSWER, rating="good"):
    a = card(session, key)
    model = session.grade(a, answer)
    corrected = session.correct(a, answer, model, marks)
    return model, corrected, session.rate(a, answer, corrected, rating, model_grade=model)


def test_the_grader_reads_the_answer_as_the_tests_expect(session):
    grade = session.grade(card(session), ANSWER)
    assert [(k.id, k.covered) for k in grade.key_points] == [("learned", False), ("cost", True)]
    assert [r.id for r in grade.red_flags] == ["blamed"]


def test_rating_keeps_the_graders_labels_and_the_users(session, store):
    model, corrected, rated = correct_and_rate(
        session, {(KEY_POINT, "learned"): True, (RED_FLAG, "blamed"): False}
    )
    assert rated.grade is corrected
    (attempt,) = store.query("SELECT * FROM attempts")
    assert (attempt["coverage"], attempt["suggested_rating"]) == (1.0, corrected.suggested_rating)
    assert json.loads(attempt["grade_json"]) == corrected.to_dict()
    assert json.loads(attempt["model_grade_json"]) == model.to_dict()
    # The rows the statistics read hold the user's labels...
    items = store.query("SELECT kind, item_id, hit FROM attempt_items ORDER BY kind, item_id")
    assert [tuple(r) for r in items] == [("key_point", "cost", 1), ("key_point", "learned", 1)]
    # ...and what the grader said differently is beside them.
    assert rows(store, "attempt_corrections") == [
        (attempt["id"], "key_point", "learned", "What you learned", 0, 1, 0),
        (attempt["id"], "red_flag", "blamed", "Blaming someone", 1, 0, 0),
    ]
    assert rows(store, "personal_cues") == [
        ("mine/a", "learned", LESSON_SENTENCE, attempt["id"], "2026-11-23T12:00:00.000000+00:00")
    ]


def test_statistics_count_the_users_labels(session, store):
    correct_and_rate(session, {(KEY_POINT, "learned"): True, (RED_FLAG, "blamed"): False})
    # b: the grader's labels (learned missed, cost hit, blamed raised) left as they are.
    b = card(session, "mine/b")
    session.rate(b, ANSWER, session.grade(b, ANSWER), "good")
    assert rows(store, "item_tally") == [
        ("key_point", "cost", "mine", "2026-11-23", 2, 0),
        ("key_point", "learned", "mine", "2026-11-23", 2, 1),
        ("red_flag", "blamed", "mine", "2026-11-23", 1, 1),
    ]
    scope = stats.make_scope(store, FIXED_NOW, tz=UTC)
    weak = stats.weak_key_points(store, scope)
    assert [(k.id, k.expected, k.missed) for k in weak] == [("learned", 2, 1), ("cost", 2, 0)]
    assert [(f.id, f.raised) for f in stats.red_flag_counts(store, scope)] == [("blamed", 1)]
    (day,) = stats.answer_trends(store, scope)
    assert (day.answers, day.coverage) == (2, pytest.approx((1.0 + 0.5) / 2))


def test_a_red_flag_the_user_raises_is_counted(session, store):
    correct_and_rate(session, {(RED_FLAG, "blamed"): False})
    b = card(session, "mine/b")
    answer = "It cost us a day because I rushed."
    model = session.grade(b, answer)
    assert model.red_flags == ()
    corrected = session.correct(b, answer, model, {(RED_FLAG, "blamed"): True})
    session.rate(b, answer, corrected, "hard", model_grade=model)
    scope = stats.make_scope(store, FIXED_NOW, tz=UTC)
    (blamed,) = stats.red_flag_counts(store, scope)
    assert (blamed.id, blamed.raised, blamed.last_day) == ("blamed", 1, "2026-11-23")
    assert rows(store, "attempt_corrections")[1][1:] == (
        "red_flag", "blamed", "Blaming someone", 0, 1, 0,
    )  # fmt: skip


def test_a_key_point_marked_covered_counts_next_time_on_that_card_only(session):
    correct_and_rate(session, {(KEY_POINT, "learned"): True})
    again = session.grade(card(session), "Since then I now double check every order.")
    assert (again.key_points[0].id, again.key_points[0].covered) == ("learned", True)
    other = session.grade(card(session, "mine/b"), ANSWER)
    assert (other.key_points[0].id, other.key_points[0].covered) == ("learned", False)


def test_uncorrected_rating_stores_no_correction(session, store):
    a = card(session)
    grade = session.grade(a, ANSWER)
    same = session.correct(a, ANSWER, grade, {(KEY_POINT, "cost"): True})  # as graded
    session.rate(a, ANSWER, same, "good", model_grade=grade)
    assert store.query("SELECT model_grade_json FROM attempts")[0][0] is None
    assert rows(store, "attempt_corrections") == rows(store, "personal_cues") == []
    assert queries.corrected_answers(store) == []


def test_undo_restores_everything_and_forgets_the_cue(session, store):
    before = {t: rows(store, t) for t in TABLES}
    correct_and_rate(session, {(KEY_POINT, "learned"): True, (RED_FLAG, "blamed"): False})
    assert session.grade(card(session), ANSWER).key_points[0].covered
    session.undo()
    assert {t: rows(store, t) for t in TABLES} == before
    assert queries.load_draft(store, "mine/a") == ANSWER
    assert not session.grade(card(session), ANSWER).key_points[0].covered


def test_undo_keeps_a_cue_an_earlier_rating_taught(session, store):
    correct_and_rate(session, {(KEY_POINT, "learned"): True})
    cues = rows(store, "personal_cues")
    session.clock.advance(minutes=15)
    # The cue now shows the key point; this rating corrects something else.
    model, _corrected, _rated = correct_and_rate(session, {(RED_FLAG, "blamed"): False})
    assert model.key_points[0].covered
    session.undo()
    assert rows(store, "personal_cues") == cues
    assert session.grade(card(session), ANSWER).key_points[0].covered


def test_corrected_answers_lists_both_grades(session, store):
    model, corrected, _rated = correct_and_rate(session, {(RED_FLAG, "blamed"): False})
    (found,) = queries.corrected_answers(store)
    assert (found.card_key, found.deck_id, found.answer) == ("mine/a", "mine", ANSWER)
    assert found.grade == corrected.to_dict()
    assert found.model_grade == model.to_dict()
    assert [(c.kind, c.item_id, c.model, c.user) for c in found.corrections] == [
        ("red_flag", "blamed", True, False)
    ]


class _ModelFindingNothing:
    """A stand-in for the trained model that finds no key point, red flag or verdict, so the
    test sees the personal cue alone (the real model may credit a sentence by its place)."""

    def score(self, clauses, words):
        import numpy as np

        from failtui.grading.labels import LABELS
        from failtui.grading.model import Scores

        nothing = dict.fromkeys(LABELS, False)
        return Scores(
            np.zeros((len(clauses), len(LABELS))), dict.fromkeys(LABELS, 0.0), nothing, 0.0
        )


def test_builtin_card_learns_a_remedy_in_the_users_words(tmp_path, store, monkeypatch):
    from failtui.grading import model

    monkeypatch.setattr(model, "load_model", lambda: _ModelFindingNothing())
    catalog = load_catalog(tmp_path / "empty-home")
    session = DrillSession(store, catalog, clock=Clock(), fuzz=False, tz=UTC)
    question = catalog.card_by_key("failure-question/biggest-failure")
    remedy = "The same evening I drove the right pallets to each store in my own van."
    answer = (
        "I was a shift lead in a warehouse and my job was to get the orders out. "
        f"I forgot to check the pallets, so forty orders went out wrong. {remedy} "
        "I learned to double check."
    )
    model = session.grade(question, answer)
    covered = {k.id: k.covered for k in model.key_points}
    assert covered["remedy"] is False
    corrected = session.correct(question, answer, model, {(KEY_POINT, "remedy"): True})
    assert {k.id: k.evidence for k in corrected.key_points}["remedy"] == remedy
    session.rate(question, answer, corrected, "good", model_grade=model)
    assert rows(store, "personal_cues")[0][:3] == (question.key, "remedy", remedy)
    regraded = session.grade(question, answer)
    assert {k.id: k.covered for k in regraded.key_points}["remedy"] is True


def database_before(path: Path, migration: str, **attempt) -> Database:
    """A database migrated up to ``migration`` at ``path``, with one stored attempt of card
    mine/a (``attempt`` overrides its columns); the caller commits and closes it."""
    open_db(path).close()
    path.unlink()
    db = Database(path)
    migrations.apply(db, stop_before=migration)
    db["attempts"].insert(
        {"card_key": "mine/a", "deck_id": "mine", "answered_at": "2026-11-01T10:00:00Z",
         "answer": "old", "coverage": 0.5, "words": 1, "speaking_seconds": 0.5,
         "lesson_share": 0.0, "suggested_rating": "hard", "rating": "hard", "grade_json": "{}"}
        | attempt
    )  # fmt: skip
    return db


def test_migration_0004_on_an_existing_database(tmp_path):
    path = tmp_path / "old.db"
    db = database_before(path, "0004_corrections")
    db.conn.commit()
    db.close()
    store = open_db(path)
    try:
        names = {row[0] for row in store.query("SELECT name FROM sqlite_master")}
        assert {"attempt_corrections", "personal_cues", "idx_personal_cues_attempt"} <= names
        assert store.query("SELECT answer, model_grade_json FROM attempts")[0][:] == ("old", None)
        assert queries.corrected_answers(store) == []
        assert queries.personal_cues(store, "mine/a") == {}
    finally:
        store.close()


def test_migration_0008_keeps_every_stored_correction_as_the_users(tmp_path):
    path = tmp_path / "old.db"
    model_grade = {"red_flags": [{"id": "blamed", "evidence": "My boss did it."}]}
    db = database_before(
        path,
        "0008_remembered_dismissals",
        grade_json='{"red_flags": []}',
        model_grade_json=json.dumps(model_grade),
    )
    db["attempt_corrections"].insert(
        {"attempt_id": 1, "kind": "red_flag", "item_id": "blamed", "label": "Blaming",
         "model_hit": 1, "user_hit": 0}
    )  # fmt: skip
    db.conn.commit()
    db.close()
    store = open_db(path)
    try:
        (answer,) = queries.corrected_answers(store)
        assert answer.corrections == (Correction("red_flag", "blamed", "Blaming", True, False),)
        assert queries.red_flag_history(store, "mine/a") == [("blamed", "My boss did it.", False)]
    finally:
        store.close()


# -- red flags dismissed again ---------------------------------------------------------------
BLAME_SENTENCE = "My boss rushed me."


def shown(session, a, answer):
    """The grade the drill shows: the grader's, with the remembered dismissals applied."""
    return session.apply_remembered(a, answer, session.grade(a, answer))[1]


# The same story told again another day, in other words but for the blamed clause.
RETOLD = "Since then I double check every order. It cost the team a day. My boss rushed me."


def test_a_dismissed_red_flag_is_dismissed_again_on_the_same_clause(session, store):
    correct_and_rate(session, {(RED_FLAG, "blamed"): False})
    assert queries.red_flag_history(store, "mine/a") == [("blamed", BLAME_SENTENCE, False)]
    a = card(session)
    again = session.grade(a, RETOLD)
    assert [(r.id, r.evidence) for r in again.red_flags] == [("blamed", BLAME_SENTENCE)]
    assert session.remembered_marks(a, again) == {(RED_FLAG, "blamed"): False}
    marks, live = session.apply_remembered(a, RETOLD, again)
    assert marks == {(RED_FLAG, "blamed"): False}
    assert live.red_flags == ()
    # The key points are the grader's; only the flag goes (this card's rating stays Hard).
    assert live.key_points == again.key_points
    assert (again.suggested_rating, live.suggested_rating) == ("hard", "hard")
    assert shown(session, a, RETOLD) == live


def test_a_red_flag_on_another_clause_or_card_is_not_dismissed_again(session, store):
    correct_and_rate(session, {(RED_FLAG, "blamed"): False})
    a = card(session)
    other_clause = "It cost us a day. The client blamed my boss for all of it."
    model = session.grade(a, other_clause)
    assert [r.id for r in model.red_flags] == ["blamed"]
    assert session.remembered_marks(a, model) == {}
    assert [r.id for r in shown(session, a, other_clause).red_flags] == ["blamed"]
    b = card(session, "mine/b")
    assert session.remembered_marks(b, session.grade(b, ANSWER)) == {}
    assert queries.red_flag_history(store, "mine/b") == []


def test_a_red_flag_dismissed_again_is_stored_as_the_users_correction_marked_so(session, store):
    correct_and_rate(session, {(RED_FLAG, "blamed"): False})
    session.clock.advance(minutes=15)
    a = card(session)
    model = session.grade(a, RETOLD)
    _marks, grade = session.apply_remembered(a, RETOLD, model)
    session.rate(a, RETOLD, grade, "good", model_grade=model, remembered={"blamed"})
    first, second = (r["id"] for r in store.query("SELECT id FROM attempts ORDER BY id"))
    assert rows(store, "attempt_corrections") == [
        (first, "red_flag", "blamed", "Blaming someone", 1, 0, 0),
        (second, "red_flag", "blamed", "Blaming someone", 1, 0, 1),
    ]
    exported = [
        [rf.get("user_remembered", False) for rf in export_record(answer, a)["red_flags"]]
        for answer in queries.corrected_answers(store)
    ]
    assert exported == [[False], [True]]


def test_a_flag_the_user_raises_again_is_no_longer_dismissed(session, store):
    correct_and_rate(session, {(RED_FLAG, "blamed"): False})
    a = card(session)
    session.clock.advance(minutes=15)
    # The next answer: dismissed again, and the user raises it (keeps the grader's flag).
    model = session.grade(a, RETOLD)
    assert session.remembered_marks(a, model) == {(RED_FLAG, "blamed"): False}
    session.rate(a, RETOLD, model, "hard")
    # The answer after that: the flag stands.
    session.clock.advance(minutes=15)
    third = session.grade(a, ANSWER)
    assert session.remembered_marks(a, third) == {}
    assert [r.id for r in shown(session, a, ANSWER).red_flags] == ["blamed"]


def test_undo_forgets_a_dismissal(session, store):
    correct_and_rate(session, {(RED_FLAG, "blamed"): False})
    a = card(session)
    assert session.remembered_marks(a, session.grade(a, ANSWER)) == {(RED_FLAG, "blamed"): False}
    session.undo()
    assert queries.red_flag_history(store, "mine/a") == []
    assert session.remembered_marks(a, session.grade(a, ANSWER)) == {}
    assert [r.id for r in shown(session, a, ANSWER).red_flags] == ["blamed"]


def test_a_stored_grade_that_does_not_parse_is_left_out_of_the_history(session, store):
    correct_and_rate(session, {(RED_FLAG, "blamed"): False})
    with store.write() as db:
        db.execute("UPDATE attempts SET model_grade_json = '{not json'")
    assert queries.red_flag_history(store, "mine/a") == []
    a = card(session)
    assert [r.id for r in shown(session, a, ANSWER).red_flags] == ["blamed"]
