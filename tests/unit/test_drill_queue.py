"""The drill queue on its own: the order of its parts, the interview's decks first, hidden cards,
drafts, and a card put back by an undo. Each test drains the queue and checks the exact order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from failtui.decks.catalog import DeckCatalog
from failtui.decks.reader import parse_deck
from failtui.drill_queue import (
    LEARN_AHEAD,
    DrillQueue,
    QueuePart,
    QueuePlace,
    TodayCounts,
    deck_of,
    is_hidden,
    reviews_shown_per_day,
)
from failtui.scheduling import Settings, format_utc
from failtui.session import DrillSession
from failtui.storage import open_db, queries
from failtui.storage.interviews import Interview

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
#: The study day of NOW ends at 04:00 the next morning (rollover hour 4, UTC).
DAY_END = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)


def ids(decks: int, cards: int) -> dict[str, list[str]]:
    return {f"d{d}": [f"c{c}" for c in range(cards)] for d in range(decks)}


@pytest.fixture
def store():
    store = open_db(":memory:")
    yield store
    store.close()


def make_queue(store, card_ids, **kwargs) -> DrillQueue:
    settings = kwargs.pop("settings", Settings(new_per_day=10))
    return DrillQueue(store, settings, lambda: card_ids, tz=UTC, **kwargs)


def put(store, key: str, state: str, due: datetime | None, **flags) -> None:
    """Store a card's state (and bury or suspend flags) as a rating would have left it."""
    with store.write() as db:
        db.execute(
            "INSERT INTO card_state (card_key, deck_id, state, due, buried_until, suspended) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                key,
                deck_of(key),
                state,
                format_utc(due) if due else None,
                format_utc(flags["buried_until"]) if "buried_until" in flags else None,
                int(flags.get("suspended", False)),
            ),
        )


def drain(queue: DrillQueue, store, now: datetime = NOW) -> list[str]:
    """Every card the queue shows at ``now``, in order (each suspended once shown)."""
    shown: list[str] = []
    while (key := queue.next_key(now)) is not None:
        assert key not in shown  # a suspended card never comes back
        shown.append(key)
        queries.set_card_flags(store, key, deck_of(key), suspended=True)
    return shown


def test_learning_then_reviews_then_new_then_learning_ahead(store):
    put(store, "d0/c3", "learning", NOW - timedelta(minutes=10))
    put(store, "d0/c5", "review", NOW - timedelta(hours=1))
    put(store, "d0/c1", "review", NOW - timedelta(hours=2))
    put(store, "d0/c4", "relearning", NOW + timedelta(minutes=10))  # within LEARN_AHEAD
    put(store, "d0/c6", "learning", NOW + LEARN_AHEAD + timedelta(minutes=1))  # too far ahead
    put(store, "d0/c7", "review", DAY_END)  # due the next study day
    queue = make_queue(store, ids(1, 8))
    assert drain(queue, store) == ["d0/c3", "d0/c1", "d0/c5", "d0/c0", "d0/c2", "d0/c4"]


def test_cards_due_together_come_in_deck_order(store):
    for card in ("c4", "c2", "c3"):  # stored out of deck order
        put(store, f"d0/{card}", "review", NOW - timedelta(hours=1))
    queue = make_queue(store, ids(1, 5))
    assert drain(queue, store) == ["d0/c2", "d0/c3", "d0/c4", "d0/c0", "d0/c1"]


def studied_today(store, *reviews: tuple[str, str]) -> None:
    """Reviews of today: (card key, its state before), as rating them stores them."""
    with store.write() as db:
        for key, before in reviews:
            db.execute(
                "INSERT INTO reviews (card_key, deck_id, reviewed_at, study_day, rating, "
                "state_before, state_after, due_after, interval_after_days, card_state_before) "
                "VALUES (?, ?, ?, '2026-11-23', 3, ?, 'review', ?, 1, '{}')",
                (key, deck_of(key), format_utc(NOW), before, format_utc(NOW)),
            )


def test_daily_limits_hold_back_reviews_and_new_cards(store):
    studied_today(store, ("d9/x", "new"), ("d9/y", "review"))
    put(store, "d0/c0", "review", NOW - timedelta(hours=1))
    put(store, "d0/c1", "learning", NOW - timedelta(hours=1))
    queue = make_queue(store, ids(1, 5), settings=Settings(new_per_day=3, reviews_per_day=1))
    # One new card and one review done today: two of the three new cards are left, no review.
    assert (queue.next_key(NOW), queue.held_new_count(NOW)) == ("d0/c1", 1)
    # A hidden card is not studied, so hiding them does not use up the limit.
    assert drain(queue, store) == ["d0/c1", "d0/c2", "d0/c3", "d0/c4"]


def test_the_reviews_counted_shown_a_day_are_those_the_drill_shows(store):
    studied_today(store, ("d1/x", "review"))  # one review of d1 done today
    put(store, "d1/c2", "learning", NOW - timedelta(hours=1))
    put(store, "d0/c0", "review", NOW - timedelta(hours=4))
    put(store, "d1/c0", "review", NOW - timedelta(hours=3, minutes=30))
    put(store, "d0/c1", "review", NOW - timedelta(hours=3))
    put(store, "d0/c2", "review", NOW - timedelta(hours=2, minutes=30))
    put(store, "d1/c1", "review", NOW - timedelta(hours=1))
    put(store, "d0/c3", "review", DAY_END + timedelta(hours=1))  # due tomorrow
    put(store, "d1/c3", "review", NOW - timedelta(hours=1), suspended=True)
    settings = Settings(new_per_day=0, reviews_per_day=6, deck_reviews_per_day={"d0": 2})
    queue = make_queue(store, ids(2, 4), settings=settings)

    planned = queue.planned_cards(NOW, 2, queries.card_states(store))
    counted = reviews_shown_per_day(planned, 2, settings, 1, {"d1": 1})
    shown = drain_rating(queue, store)

    # The learning card first (whatever the limits, counted against them), then the reviews
    # by due until d0's own limit is reached (d0/c2 waits for tomorrow, with d0/c3), then the
    # overall one.
    assert shown == ["d1/c2", "d0/c0", "d1/c0", "d0/c1", "d1/c1"]
    assert counted == {"d1": [3, 0], "d0": [2, 2]}


def drain_rating(queue: DrillQueue, store) -> list[str]:
    """Every card the queue shows at NOW, in order, each stored as reviewed today (so that it
    counts against the daily limits) and then suspended."""
    shown: list[str] = []
    while (key := queue.next_key(NOW)) is not None:
        studied_today(store, (key, queries.card_state(store, key).state))
        queries.set_card_flags(store, key, deck_of(key), suspended=True)
        shown.append(key)
    return shown


def test_ahead_shows_the_card_due_soonest_once_nothing_is_due(store):
    put(store, "d0/c0", "review", NOW + timedelta(days=3))
    put(store, "d0/c1", "review", NOW + timedelta(days=2))
    queue = make_queue(store, ids(1, 2))
    assert queue.next_key(NOW) is None
    assert queue.next_key(NOW, ahead=True) == "d0/c1"


def test_new_cards_of_an_interviews_decks_come_first(store):
    interview = Interview(id=1, day="2026-12-01", title="Acme", decks=("d1",))
    queue = make_queue(store, ids(2, 2), interviews=lambda: [interview])
    assert drain(queue, store) == ["d1/c0", "d1/c1", "d0/c0", "d0/c1"]


def test_an_interview_of_every_deck_puts_no_deck_first(store):
    everything = Interview(id=1, day="2026-12-01", title="", decks=())
    only_d1 = Interview(id=2, day="2026-12-02", title="", decks=("d1",))
    queue = make_queue(store, ids(2, 2), interviews=lambda: [only_d1, everything])
    assert drain(queue, store) == ["d0/c0", "d0/c1", "d1/c0", "d1/c1"]


def test_hidden_cards_are_skipped_until_they_are_unburied(store):
    later = NOW + timedelta(hours=2)
    put(store, "d0/c0", "new", None, buried_until=later)
    put(store, "d0/c1", "review", NOW - timedelta(hours=1), buried_until=later)
    put(store, "d0/c2", "review", NOW - timedelta(hours=1), suspended=True)
    put(store, "d0/c3", "learning", NOW - timedelta(hours=1), buried_until=NOW)  # over now
    queue = make_queue(store, ids(1, 5))
    assert queue.next_showing(NOW) == (NOW, "d0/c3")
    assert drain(queue, store) == ["d0/c3", "d0/c4"]
    # Past the burial: the reviews first, then the new card; the suspended card never.
    assert drain(queue, store, later) == ["d0/c1", "d0/c0"]


def test_next_showing_of_a_buried_card_is_when_it_is_unburied(store):
    later = NOW + timedelta(hours=2)
    put(store, "d0/c0", "review", NOW - timedelta(hours=1), buried_until=later)
    put(store, "d0/c1", "review", NOW + timedelta(hours=3))
    queue = make_queue(store, ids(1, 2))
    assert queue.next_showing(NOW) == (later, "d0/c0")


def test_is_hidden_when_suspended_or_buried_past_the_moment():
    assert [
        is_hidden(False, None, NOW),
        is_hidden(True, None, NOW),
        is_hidden(False, NOW, NOW),
        is_hidden(False, NOW + timedelta(microseconds=1), NOW),
    ] == [False, True, False, True]


def test_a_card_with_a_draft_comes_first_of_the_queue(store):
    put(store, "d0/c1", "review", NOW - timedelta(hours=2))
    queries.save_draft(store, "d0/c2", "half an answer", format_utc(NOW))
    queries.save_draft(store, "d0/c9", "a card of no deck", format_utc(NOW))
    queue = make_queue(store, ids(1, 3))
    assert drain(queue, store) == ["d0/c2", "d0/c1", "d0/c0"]


def test_a_card_made_new_again_comes_back_once_the_queue_forgets_its_rated_list(store):
    put(store, "d0/c0", "review", NOW + timedelta(days=4))
    queue = make_queue(store, ids(1, 2))
    assert queue.next_key(NOW) == "d0/c1"
    with store.write() as db:  # what undoing the card's first rating leaves
        db.execute("UPDATE card_state SET state = 'new', due = NULL WHERE card_key = 'd0/c0'")
    queue.forget_unrated()
    assert queue.next_key(NOW) == "d0/c0"


def test_undo_puts_the_rated_card_back_at_the_head_of_the_session(tmp_path):
    text = 'id = "d0"\ntitle = "D"\ndescription = ""\n'
    for card in ("c0", "c1", "c2"):
        text += f'\n[[cards]]\nid = "{card}"\nprompt = "{card}?"\nanswer = "Say {card}."\n'
    catalog = DeckCatalog(decks=[parse_deck(text, tmp_path / "d0.toml")])
    store = open_db(tmp_path / "f.db")
    session = DrillSession(
        store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False, settings=Settings(new_per_day=5)
    )
    shown = []
    for rating in ("easy", "easy"):
        card = session.next_card()
        shown.append(card.key)
        session.rate(card, "", session.grade(card, ""), rating)
    shown.append(session.next_card().key)
    undone, _answer = session.undo()
    shown += [undone.key, session.next_card().key]
    assert shown == ["d0/c0", "d0/c1", "d0/c2", "d0/c1", "d0/c1"]
    store.close()


def test_today_counts_name_the_decks_whose_own_limits_are_reached(store):
    studied_today(store, ("d0/c0", "new"), ("d0/c1", "review"), ("d1/c0", "new"))
    settings = Settings(deck_new_per_day={"d0": 1, "d1": 2}, deck_reviews_per_day={"d0": 1})
    queue = make_queue(store, ids(2, 2), settings=settings)
    assert queue.today_counts(NOW) == TodayCounts(
        new=2, reviews=1, new_closed=frozenset({"d0"}), reviews_closed=frozenset({"d0"})
    )


def test_places_compare_by_part_then_due_then_new_rank_then_deck_order():
    due = NOW - timedelta(hours=1)
    places = [
        QueuePlace(QueuePart.LEARNING_AHEAD, NOW, 0, 0),
        QueuePlace(QueuePart.NEW, None, 1, 0),
        QueuePlace(QueuePart.NEW, None, 0, 7),
        QueuePlace(QueuePart.REVIEW, NOW, 0, 0),
        QueuePlace(QueuePart.REVIEW, due, 0, 3),
        QueuePlace(QueuePart.LEARNING, NOW, 0, 9),
        QueuePlace(QueuePart.REVIEW, due, 0, 2),
    ]
    assert [(p.part.name, p.position) for p in sorted(places)] == [
        ("LEARNING", 9),
        ("REVIEW", 2),
        ("REVIEW", 3),
        ("REVIEW", 0),
        ("NEW", 7),
        ("NEW", 0),
        ("LEARNING_AHEAD", 0),
    ]


def test_times_edited_by_hand_neither_stop_the_queue_nor_lose_a_readable_card(store):
    put(store, "d0/c0", "review", NOW - timedelta(hours=3))
    put(store, "d0/c1", "review", None)
    put(store, "d0/c2", "review", None)
    put(store, "d0/c3", "review", None)
    with store.write() as db:
        # No zone (read as UTC), a "Z" suffix, and text that is no time at all.
        db.execute("UPDATE card_state SET due = '2026-11-23 10:00:00' WHERE card_key = 'd0/c1'")
        db.execute("UPDATE card_state SET due = '2026-11-23T11:00:00Z' WHERE card_key = 'd0/c2'")
        db.execute("UPDATE card_state SET due = 'soon' WHERE card_key = 'd0/c3'")
        db.execute(
            "UPDATE card_state SET buried_until = '2026-11-30 00:00:00' WHERE card_key = 'd0/c0'"
        )
    queue = make_queue(store, ids(1, 4))
    # c0 is buried (a zone-less time), c3's due cannot be read: it waits, as a card never due.
    assert drain(queue, store) == ["d0/c1", "d0/c2"]
    assert queue.next_showing(NOW) == (datetime(2026, 11, 30, 0, 0, tzinfo=UTC), "d0/c0")
