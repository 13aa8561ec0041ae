"""The drill session: queue order, limits, rating, undo, drafts, bury and suspend."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from failtui.decks.catalog import DeckCatalog
from failtui.decks.reader import parse_deck
from failtui.scheduling import Settings
from failtui.session import DrillSession, UndoneRating
from failtui.storage import open_db, queries
from tests.conftest import SMALLEST_DECK


def three_card_catalog() -> DeckCatalog:
    text = SMALLEST_DECK
    for extra in ("second", "third"):
        text += f'\n[[cards]]\nid = "{extra}"\nprompt = "{extra}?"\nanswer = "Say {extra}."\n'
    return DeckCatalog(decks=[parse_deck(text, Path("mine.toml"))])


@pytest.fixture
def session(tmp_path, clock):
    store = open_db(tmp_path / "failtui.db")
    yield DrillSession(
        store, three_card_catalog(), clock=clock, fuzz=False, settings=Settings(new_per_day=2)
    )
    store.close()


def rate(session, rating="good", answer="I learned a lot."):
    card = session.next_card()
    grade = session.grade(card, answer)
    return session.rate(card, answer, grade, rating)


def test_new_cards_respect_daily_limit(session):
    assert session.counts().new == 2
    rate(session)
    rate(session)
    # Both are in learning now, due in 10 minutes: within learn-ahead, so they come back.
    assert session.counts().learning == 2
    assert session.counts().new == 0
    first = session.next_card()
    assert first.id == "first"


def test_rating_is_stored_with_attempt_and_key_point_rows(session, clock):
    rated = rate(session, "good", "My boss was awful. I learned to ask early.")
    store = session.store
    (review,) = store.query("SELECT * FROM reviews")
    assert review["card_key"] == "my-deck/first"
    assert review["rating"] == 3
    assert review["state_before"] == "new"
    assert review["state_after"] == "learning"
    assert review["interval_after_days"] == pytest.approx(10 / 1440)
    (attempt,) = store.query("SELECT * FROM attempts")
    assert attempt["answer"] == "My boss was awful. I learned to ask early."
    assert json.loads(attempt["grade_json"])["card"] == "first"
    items = {
        (r["kind"], r["item_id"], r["hit"]) for r in store.query("SELECT * FROM attempt_items")
    }
    assert items == {("key_point", "lesson", 1), ("red_flag", "blame", 1)}
    assert rated.due == clock.now + __import__("datetime").timedelta(minutes=10)


def test_undo_restores_exact_state_and_returns_answer(session, clock):
    rate(session, "good")
    clock.advance(minutes=11)
    state_before = queries.card_state(session.store, "my-deck/first")
    card = session.next_card()
    assert card.id == "first"
    grade = session.grade(card, "second try")
    session.rate(card, "second try", grade, "easy")
    assert queries.card_state(session.store, "my-deck/first") != state_before
    card_back, answer = session.undo()
    assert (card_back.id, answer) == ("first", "second try")
    assert queries.card_state(session.store, "my-deck/first") == state_before
    assert session.store.query("SELECT count(*) FROM reviews")[0][0] == 1
    assert session.store.query("SELECT count(*) FROM attempts")[0][0] == 1
    # The answer is not lost: it is the card's draft again.
    assert session.draft(card_back) == "second try"


def test_undo_newest_review_undoes_only_the_review_asked_about(session):
    """Chosen and undone in one transaction; a newest that changed since is left alone."""
    rate(session, "good", "first answer")
    older_id = session.rated[0].review_id
    rate(session, "easy", "second answer")
    store = session.store
    assert queries.undo_newest_review(store, "2026-11-23T12:00:00Z", review_id=older_id) is None
    assert [tuple(r) for r in store.query("SELECT card_key, rating FROM reviews")] == [
        ("my-deck/first", 3),
        ("my-deck/second", 4),
    ]
    undone = queries.undo_newest_review(store, "2026-11-23T12:00:00Z")
    assert (undone.card_key, undone.rating, undone.answer, undone.draft) == (
        "my-deck/second",
        4,
        "second answer",
        "second answer",
    )
    assert [tuple(r) for r in store.query("SELECT card_key, rating FROM reviews")] == [
        ("my-deck/first", 3)
    ]


def test_undo_of_first_rating_makes_card_new_again(session):
    rate(session)
    session.undo()
    assert session.store.query("SELECT count(*) FROM card_state")[0][0] == 0
    assert session.counts().new == 2
    assert session.undo() is None


def test_limit_ends_the_drill(tmp_path, clock):
    store = open_db(tmp_path / "f.db")
    session = DrillSession(store, three_card_catalog(), clock=clock, fuzz=False, limit=1)
    rate(session)
    assert session.next_card() is None


def test_bury_until_tomorrow_and_suspend(session, clock):
    card = session.next_card()
    session.bury(card)
    assert session.next_card().id == "second"
    session.suspend(session.next_card())
    assert session.next_card().id == "third"
    clock.advance(days=1)
    assert session.next_card().id == "first"


def test_reviews_due_come_before_new_cards(session, clock):
    rate(session, "easy")  # first: review state, due in days
    clock.advance(days=30)
    assert session.next_card().id == "first"
    assert session.counts().due == 1


def test_practise_ahead_when_nothing_is_due(tmp_path, clock):
    store = open_db(tmp_path / "f.db")
    catalog = DeckCatalog(decks=[parse_deck(SMALLEST_DECK, Path("x.toml"))])
    session = DrillSession(store, catalog, clock=clock, fuzz=False)
    rate(session, "easy")
    assert session.next_card() is None
    ahead = DrillSession(store, catalog, clock=clock, fuzz=False, ahead=True)
    assert ahead.next_card().id == "first"


def test_summary(session):
    rate(session, "good", "I learned something.")
    rate(session, "again", "nothing")
    summary = session.summary()
    assert summary.done == 2
    assert summary.ratings == {"good": 1, "again": 1}
    assert summary.missed_most[0][1] >= 1
    assert summary.next_due is not None


def test_unknown_rating_is_refused(session):
    card = session.next_card()
    with pytest.raises(ValueError, match="unknown rating"):
        session.rate(card, "", session.grade(card, ""), "meh")


def test_rating_applies_the_interval_that_was_shown(tmp_path, clock):
    store = open_db(tmp_path / "f.db")
    catalog = three_card_catalog()
    session = DrillSession(store, catalog, clock=clock, fuzz=True)  # fuzz on, as for users
    card = session.next_card()
    for _ in range(3):  # get the card into review, where fuzz applies
        shown = session.intervals(card)
        rated = session.rate(card, "", session.grade(card, ""), "easy")
        assert rated.due - clock.now == shown["easy"]
        clock.advance(days=40)


def test_the_intervals_shown_again_for_the_same_card_are_the_same(tmp_path, clock):
    # The feedback screen asks again whenever it redraws (after a correction, say); with fuzz
    # on, a fresh draw would move the intervals the user has just read.
    session = DrillSession(open_db(tmp_path / "f.db"), three_card_catalog(), clock=clock, fuzz=True)
    card = session.next_card()
    for _ in range(2):  # into review, where fuzz applies
        session.intervals(card)
        session.rate(card, "", session.grade(card, ""), "easy")
        clock.advance(days=40)
    first = session.intervals(card)
    assert first["easy"] >= timedelta(days=3)  # long enough for the scheduler to fuzz it
    for _ in range(20):
        clock.advance(seconds=30)
        assert session.intervals(card) == first
    rated = session.rate(card, "", session.grade(card, ""), "easy")
    assert rated.due - clock.now == first["easy"]
    assert session.intervals(card) != first  # a new state gets its own intervals


def test_card_with_a_draft_comes_first(session):
    first = session.next_card()
    second = next(c for c in session.catalog.cards() if c.key != first.key)
    session.save_draft(second, "half typed before a crash")
    assert session.next_card().key == second.key


def test_summary_counts_a_card_rated_twice_once(session, clock):
    rate(session, "good")
    rate(session, "good")
    clock.advance(minutes=30)  # both cards are due again from their learning step
    rate(session, "good")
    summary = session.summary()
    assert (summary.done, summary.cards) == (3, 2)


def test_a_suspend_after_the_last_rating_is_undone_first(session):
    rate(session, "good")
    card = session.next_card()
    session.suspend(card)
    assert session.hidden_last() == (card, "suspend")
    assert session.unhide_last() == card
    assert session.hidden_last() is None
    assert (
        session.store.query("SELECT suspended FROM card_state WHERE card_key = ?", (card.key,))[0][
            0
        ]
        == 0
    )
    assert session.next_card() == card  # back in the drill
    rate(session, "good")
    session.bury(session.next_card())
    rate(session, "good")
    assert session.hidden_last() is None  # a rating after it: undo takes back the rating


def test_an_undone_rating_says_where_its_answer_went():
    def said(answer: str, draft: str) -> str:
        undone = UndoneRating("d/c", 3, "2026-12-06T17:40:00.000000+00:00", answer, draft)
        return undone.describe(UTC).split("; ", 1)[1]

    assert said("Old.", "Old.") == "its answer is the card's draft again."
    assert said("Old.", "New.\n\nOld.") == (
        "its answer is below the text typed since, in the card's draft."
    )
    # A rating given to an empty answer brings nothing back: the text typed since stays alone.
    assert said("", "New.") == "it had no answer."


def test_summary_names_the_red_flags_raised_most(tmp_path, clock):
    from failtui.decks.catalog import load_catalog

    store = open_db(tmp_path / "failtui.db")
    try:
        session = DrillSession(
            store,
            load_catalog(None),
            clock=clock,
            fuzz=False,
            card_key="failure-question/biggest-failure",
        )
        blame = "It was not my fault at all: my manager gave me the wrong deadline."
        card = session.next_card()
        grade = session.grade(card, blame)
        raised = [f.label for f in grade.red_flags]
        assert "Blames others or circumstances" in raised
        session.rate(card, blame, grade, "again")
        assert session.summary().flagged_most == [(label, 1) for label in raised]
    finally:
        store.close()
