"""Home's per-deck counts kept by the database equal a full recount, whatever happens to the cards.

``count_decks(..., recount=True)`` counts from every stored card state and the decks' card ids
(the way home always counted); without it the counts come from the tallies the database's
triggers keep (``storage.home_counts``). Random sequences of ratings, undos, suspensions,
burials, resets, odd due dates, deck edits and clock moves across study days (in time zones
whose day starts on the half and quarter hour) must leave the two equal at every step, and the
tallies equal to what counting the deck again would store.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from failtui import card_browser
from failtui.decks.catalog import DeckCatalog
from failtui.decks.reader import parse_deck
from failtui.overview import DeckCounts, count_decks
from failtui.scheduling import Settings, format_utc, next_day_start
from failtui.session import DrillSession
from failtui.storage import home_counts, open_db
from failtui.storage.db import BUSY_TIMEOUT_MS, Store, open_reader

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
DECKS = {"alpha": 5, "beta": 4, "gamma": 3}
ZONES = ("UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Europe/Berlin")


def catalog() -> DeckCatalog:
    decks = []
    for deck_id, size in DECKS.items():
        text = f'id = "{deck_id}"\ntitle = "{deck_id.title()}"\ndescription = "Cards"\n'
        for n in range(size):
            text += f'\n[[cards]]\nid = "c{n}"\nprompt = "Question {n}?"\nanswer = "Say {n}."\n'
        decks.append(parse_deck(text, Path(f"{deck_id}.toml")))
    return DeckCatalog(decks=decks)


CATALOG = catalog()
CARDS = CATALOG.cards()


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def tally_rows(store) -> tuple[list[tuple], list[tuple]]:
    return (
        [tuple(r) for r in store.query("SELECT * FROM home_tally ORDER BY 1, 2, 3, 4")],
        [tuple(r) for r in store.query("SELECT * FROM home_due ORDER BY 1, 2, 3")],
    )


def recounted_rows(store, ids_by_deck) -> tuple[list[tuple], list[tuple]]:
    """The tallies as counting every deck again stores them, in a copy of the database."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    store.conn.backup(copy)
    copy.execute("DELETE FROM home_decks")
    scratch = Store(copy, None)
    home_counts._count_again(scratch, {deck: "\n".join(ids) for deck, ids in ids_by_deck.items()})
    rows = tally_rows(scratch)
    copy.close()
    return rows


def assert_counts_agree(store, ids_by_deck, scheduling: Settings, now, tz) -> None:
    kept = count_decks(store, ids_by_deck, scheduling, now, tz)
    recounted = count_decks(store, ids_by_deck, scheduling, now, tz, recount=True)
    assert kept == recounted
    # The rows the triggers kept are those a recount stores (none left at zero).
    assert tally_rows(store) == recounted_rows(store, ids_by_deck)


def due_at(now: datetime, when: str, rollover_hour: int, tz) -> str | None:
    """A due date placed against the end of the study day (see the "state" operation)."""
    end = next_day_start(now, rollover_hour, tz)
    if when == "none":
        return None
    if when == "day start":
        return format_utc(end.replace(hour=0, minute=0, second=0, microsecond=0))
    offsets = {"-1us": -1, "0": 0, "+1us": 1, "-1h": -3_600_000_000, "-1d": -86_400_000_000}
    return format_utc(end + timedelta(microseconds=offsets.get(when, 86_400_000_000)))


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("rate"),
            st.integers(0, len(CARDS) - 1),
            st.sampled_from(["again", "hard", "good", "easy"]),
        ),
        st.tuples(st.just("undo")),
        st.tuples(
            st.just("flag"),
            st.integers(0, len(CARDS) - 1),
            st.sampled_from(card_browser.ACTIONS),
        ),
        # Minutes forward: within the day, to the next study day, or days later.
        st.tuples(st.just("wait"), st.sampled_from([1, 10, 59, 61, 600, 1440, 3 * 1440, 9000])),
        # A state written by hand, due just before, at or after the end of the study day, at
        # its UTC day's first moment, an hour or a day away, or never.
        st.tuples(
            st.just("state"),
            st.integers(0, len(CARDS) - 1),
            st.sampled_from(["new", "learning", "review", "relearning"]),
            st.sampled_from(["-1us", "0", "+1us", "-1h", "-1d", "+1d", "day start", "none"]),
        ),
        # Decks edited: the cards home counts in each deck, as a bit mask; 32: the deck is gone.
        st.tuples(st.just("decks"), st.lists(st.integers(0, 32), min_size=3, max_size=3)),
        st.tuples(st.just("forget_state"), st.integers(0, len(CARDS) - 1)),
    ),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=operations,
    zone=st.sampled_from(ZONES),
    rollover_hour=st.integers(0, 23),
    new_per_day=st.integers(0, 6),
    alpha_limit=st.sampled_from([None, 0, 2]),
)
def test_kept_counts_equal_a_recount_after_any_sequence(
    tmp_path_factory, copy_migrated_db, steps, zone, rollover_hour, new_per_day, alpha_limit
):
    tz = ZoneInfo(zone)
    scheduling = Settings(
        new_per_day=new_per_day,
        rollover_hour=rollover_hour,
        deck_new_per_day={"alpha": alpha_limit} if alpha_limit is not None else {},
    )
    clock = Clock()
    store = open_db(copy_migrated_db(tmp_path_factory.mktemp("db") / "failtui.db"))
    session = DrillSession(store, CATALOG, clock=clock, fuzz=False, settings=scheduling, tz=tz)
    ids_by_deck = dict(CATALOG.card_ids_by_deck())
    try:
        assert_counts_agree(store, ids_by_deck, scheduling, clock.now, tz)
        for step in steps:
            kind = step[0]
            if kind == "rate":
                card = CARDS[step[1]]
                session.rate(card, "I learned to ask early.", session.grade(card, "x"), step[2])
            elif kind == "undo":
                session.undo()
            elif kind == "flag":
                card_browser.apply(
                    store, CARDS[step[1]], step[2], clock.now, rollover_hour=rollover_hour, tz=tz
                )
            elif kind == "wait":
                clock.now += timedelta(minutes=step[1])
            elif kind == "state":
                key, state, when = CARDS[step[1]].key, step[2], step[3]
                due = due_at(clock.now, when, rollover_hour, tz)
                learned = (None, None, None) if state == "new" else (0, 2.5, 5.0)
                with store.write() as db:
                    db.execute(
                        "INSERT INTO card_state (card_key, deck_id, state, due, step, stability, "
                        "difficulty) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (card_key) DO UPDATE "
                        "SET state = excluded.state, due = excluded.due, step = excluded.step, "
                        "stability = excluded.stability, difficulty = excluded.difficulty",
                        (key, key.partition("/")[0], state, due, *learned),
                    )
            elif kind == "decks":
                ids_by_deck = {
                    deck_id: [card_id for n, card_id in enumerate(ids) if mask >> n & 1]
                    for (deck_id, ids), mask in zip(
                        CATALOG.card_ids_by_deck().items(), step[1], strict=True
                    )
                    if mask != 32
                }
            else:  # a state row removed by hand (a repair): the card is new again
                with store.write() as db:
                    db.execute("DELETE FROM card_state WHERE card_key = ?", (CARDS[step[1]].key,))
            assert_counts_agree(store, ids_by_deck, scheduling, clock.now, tz)
            one_deck = {deck: ids for deck, ids in ids_by_deck.items() if deck == "beta"}
            assert count_decks(store, one_deck, scheduling, clock.now, tz) == count_decks(
                store, one_deck, scheduling, clock.now, tz, recount=True
            )
    finally:
        store.close()


@pytest.fixture
def rated_store(tmp_path, copy_migrated_db):
    """A database with one card of each deck rated good, at START."""
    store = open_db(copy_migrated_db(tmp_path / "failtui.db"))
    session = DrillSession(store, CATALOG, clock=lambda: START, fuzz=False)
    for deck_id in DECKS:
        card = CATALOG.cards(deck_id)[0]
        session.rate(card, "I learned.", session.grade(card, "I learned."), "easy")
    yield store
    store.close()


def test_only_a_deck_whose_cards_changed_is_counted_again(rated_store):
    ids_by_deck = dict(CATALOG.card_ids_by_deck())
    count_decks(rated_store, ids_by_deck, Settings(), START)
    # Marked by hand: a deck counted again would lose the mark.
    rated_store.conn.execute("UPDATE home_tally SET n = 7 WHERE deck_id = 'alpha'")
    edited = ids_by_deck | {"beta": ids_by_deck["beta"][1:]}
    counts = count_decks(rated_store, edited, Settings(), START)
    assert rated_store.query("SELECT n FROM home_tally WHERE deck_id = 'alpha'")[0][0] == 7
    assert rated_store.query("SELECT cards FROM home_decks WHERE deck_id = 'beta'")[0][0] == 3
    # beta's rated card is gone from the deck: 3 new cards left, none due.
    assert counts["beta"] == DeckCounts(new=3, learning=0, due=0)
    assert counts["alpha"] == DeckCounts(new=5 - 7, learning=0, due=0)


def test_a_read_only_connection_counts_from_the_card_states(rated_store):
    ids_by_deck = dict(CATALOG.card_ids_by_deck())
    later = START + timedelta(days=30)
    expected = count_decks(rated_store, ids_by_deck, Settings(), later, recount=True)
    reader = open_reader(rated_store.path)
    try:
        # Nothing counted yet: the reader cannot store the tallies, so it counts them itself.
        assert count_decks(reader, ids_by_deck, Settings(), later) == expected
        assert rated_store.query("SELECT count(*) FROM home_decks")[0][0] == 0
    finally:
        reader.close()
    assert expected["alpha"] == DeckCounts(new=4, learning=0, due=1)


def test_counting_inside_an_open_transaction_leaves_it_alone(rated_store):
    ids_by_deck = dict(CATALOG.card_ids_by_deck())
    expected = count_decks(rated_store, ids_by_deck, Settings(), START, recount=True)
    with rated_store.write() as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('probe', '1')")
        assert count_decks(rated_store, ids_by_deck, Settings(), START) == expected
        assert rated_store.conn.in_transaction
    assert rated_store.query("SELECT value FROM settings WHERE key = 'probe'")[0][0] == "1"


def test_a_write_past_the_triggers_is_counted_again_after_the_doctor(rated_store, tmp_path):
    from failtui.storage.doctor import run_doctor

    ids_by_deck = dict(CATALOG.card_ids_by_deck())
    later = START + timedelta(days=30)
    assert count_decks(rated_store, ids_by_deck, Settings(), later)["alpha"].due == 1
    # Another tool's REPLACE deletes the old row without firing the triggers.
    key = f"alpha/{CATALOG.cards('alpha')[0].id}"
    other = sqlite3.connect(rated_store.path, isolation_level=None)
    try:
        other.execute(
            "INSERT OR REPLACE INTO card_state (card_key, deck_id, state, due) "
            "VALUES (?, 'alpha', 'new', NULL)",
            (key,),
        )
    finally:
        other.close()
    recount = count_decks(rated_store, ids_by_deck, Settings(), later, recount=True)
    assert recount["alpha"] == DeckCounts(new=5, learning=0, due=0)
    assert count_decks(rated_store, ids_by_deck, Settings(), later)["alpha"].due == 1  # stale
    report = run_doctor(rated_store, tmp_path / "backups", later, CATALOG)
    assert (report.problems, report.repairs) == ([], [])
    assert count_decks(rated_store, ids_by_deck, Settings(), later) == recount


def test_counting_again_waits_only_briefly_for_another_writer(rated_store, monkeypatch):
    ids_by_deck = dict(CATALOG.card_ids_by_deck())
    expected = count_decks(rated_store, ids_by_deck, Settings(), START, recount=True)
    waits = []
    recount = home_counts._count_again

    def count_again(store, listed):
        waits.append(store.conn.execute("PRAGMA busy_timeout").fetchone()[0])
        recount(store, listed)

    monkeypatch.setattr(home_counts, "_count_again", count_again)
    other = sqlite3.connect(rated_store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        # Nothing counted yet and the lock held elsewhere: home counts the slow way.
        assert count_decks(rated_store, ids_by_deck, Settings(), START) == expected
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert waits == [home_counts.RECOUNT_WAIT_MS]
    assert rated_store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    assert rated_store.query("SELECT count(*) FROM home_decks")[0][0] == 0
    # Once the lock is free, the counts are kept again.
    assert count_decks(rated_store, ids_by_deck, Settings(), START) == expected
    assert rated_store.query("SELECT count(*) FROM home_decks")[0][0] == len(DECKS)
