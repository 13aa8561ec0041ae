"""The drill queue read by indexed queries picks exactly the card the whole-collection walk picked.

``walk_next_card`` is the queue as it was first written (every card state read, every card of the
drill walked, the queue sorted): the reference the indexed :meth:`DrillSession.next_card` must
agree with, on random collections with every kind of state, tie, limit, draft and hidden card.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from failtui import scheduling
from failtui.decks.catalog import DeckCatalog
from failtui.decks.reader import parse_deck
from failtui.scheduling import Settings, format_utc
from failtui.session import LEARN_AHEAD, DeckCounts, DrillSession
from failtui.storage import open_db, queries

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def walk_next_card(session: DrillSession):
    """The queue of the first version: walk every card of the drill over every stored state."""
    if session.limit is not None and len(session.rated) >= session.limit:
        return None
    now = session.now()
    now_iso = format_utc(now)
    end_of_day = format_utc(
        scheduling.next_day_start(now, session.settings.rollover_hour, session.tz)
    )
    states = queries.card_states(session.store)

    def hidden(state):
        return state.suspended or bool(state.buried_until and state.buried_until > now_iso)

    learning, reviews, new, soon, later = [], [], [], [], []
    for card in session.catalog.cards(session.deck_id):
        state = states.get(card.key)
        if state is not None and hidden(state):
            continue
        if state is None or state.state == "new":
            new.append(card)
        elif state.state in ("learning", "relearning"):
            (learning if state.due <= now_iso else soon).append((state.due, card))
            later.append((state.due, card))
        elif state.due < end_of_day:
            reviews.append((state.due, card))
        else:
            later.append((state.due, card))
    today = session.today()
    queue = [card for _due, card in sorted(learning, key=lambda p: p[0])]
    new_today = queries.count_new_on(session.store, today)
    reviews_today = queries.count_reviews_on(session.store, today) - new_today
    if reviews and reviews_today < session.settings.reviews_per_day:
        queue += [card for _due, card in sorted(reviews, key=lambda p: p[0])]
    else:
        later += reviews  # held back by the review limit: practise ahead shows them first
    if new and new_today < session.settings.new_per_day:
        queue += new[: session.settings.new_per_day - new_today]
    learn_ahead = format_utc(now + LEARN_AHEAD)
    queue += [card for due, card in sorted(soon, key=lambda p: p[0]) if due <= learn_ahead]
    if not queue and session.ahead and later:
        queue = [min(later, key=lambda pair: pair[0])[1]]
    if not queue:
        return None
    drafts = set(queries.draft_keys(session.store))
    return next((card for card in queue if card.key in drafts), queue[0])


def walk_counts(session: DrillSession, cards) -> DeckCounts:
    """The deck counts of the first version: every card over every stored state, as objects."""
    states = queries.card_states(session.store)
    now_iso = format_utc(session.now())
    end_of_day = format_utc(
        scheduling.next_day_start(session.now(), session.settings.rollover_hour, session.tz)
    )
    new = learning = due = 0
    for card in cards:
        state = states.get(card.key)
        hidden = state is not None and (
            state.suspended or bool(state.buried_until and state.buried_until > now_iso)
        )
        if state is None or state.state == "new":
            new += not hidden
        elif hidden:
            continue
        elif state.state in ("learning", "relearning"):
            learning += 1
        elif state.due is not None and state.due < end_of_day:
            due += 1
    new_today = queries.count_new_on(session.store, session.today())
    new_left = max(0, session.settings.new_per_day - new_today)
    reviews_today = queries.count_reviews_on(session.store, session.today()) - new_today
    reviews_left = max(0, session.settings.reviews_per_day - reviews_today)
    return DeckCounts(new=min(new, new_left), learning=learning, due=min(due, reviews_left))


def catalog_of(decks: int, cards: int) -> DeckCatalog:
    parsed = []
    for d in range(decks):
        text = f'id = "d{d}"\ntitle = "Deck {d}"\ndescription = ""\n'
        for c in range(cards):
            text += f'\n[[cards]]\nid = "c{c}"\nprompt = "Q{c}?"\nanswer = "Say {c}."\n'
        parsed.append(parse_deck(text, Path(f"d{d}.toml")))
    return DeckCatalog(decks=parsed)


#: Moments around the ones the queue compares with: now, learn-ahead, the end of the study day.
_OFFSETS = [timedelta(minutes=m) for m in (-3000, -60, -1, 0, 1, 19, 20, 21, 600, 960, 3000)]


def random_collection(store, catalog: DeckCatalog, rng: random.Random, day: str) -> None:
    """Card states of every kind (some sharing a due moment), reviews today, drafts."""
    keys = [c.key for c in catalog.cards()] + ["gone/card"]  # one state of a deleted card
    with store.write() as db:
        for key in keys:
            kind = rng.choice(["none", "none", "new", "learning", "relearning", "review", "review"])
            if kind == "none":
                continue
            due = None if kind == "new" else format_utc(NOW + rng.choice(_OFFSETS))
            buried = rng.choice(
                [None, None, None, format_utc(NOW + timedelta(hours=rng.choice((-2, 2))))]
            )
            rated = kind != "new"
            db.execute(
                "INSERT INTO card_state (card_key, deck_id, state, due, buried_until, suspended, "
                "deleted, stability, difficulty, step, last_review) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    key.split("/")[0],
                    kind,
                    due,
                    buried,
                    int(rng.random() < 0.1),
                    int(rng.random() < 0.15),
                    5.0 if rated else None,
                    5.0 if rated else None,
                    0 if kind in ("learning", "relearning") else None,
                    format_utc(NOW - timedelta(days=2)) if rated else None,
                ),
            )
        for _review in range(rng.choice((0, 0, 2, 5))):
            db.execute(
                "INSERT INTO reviews (card_key, deck_id, reviewed_at, study_day, rating, "
                "state_before, state_after, due_after, interval_after_days, card_state_before) "
                "VALUES ('x/y', 'x', ?, ?, 3, ?, 'review', ?, 1, '{}')",
                (format_utc(NOW), day, rng.choice(("new", "review")), format_utc(NOW)),
            )
        for key in rng.sample(keys, rng.choice((0, 0, 1, 3))):
            db.execute(
                "INSERT INTO drafts (card_key, text, updated_at) VALUES (?, 'half', ?)",
                (key, format_utc(NOW - timedelta(minutes=rng.randint(1, 99)))),
            )


@pytest.mark.parametrize("seed", range(120))
def test_indexed_queue_picks_the_card_the_full_walk_picks(seed):
    rng = random.Random(seed)
    catalog = catalog_of(2, rng.choice((3, 8, 20)))
    store = open_db(":memory:")
    settings = Settings(new_per_day=rng.choice((0, 2, 4, 10)), reviews_per_day=rng.choice((3, 200)))
    session = DrillSession(
        store,
        catalog,
        clock=lambda: NOW,
        deck_id=rng.choice((None, "d1")),
        settings=settings,
        tz=UTC,
        fuzz=False,
        ahead=rng.random() < 0.3,
    )
    random_collection(store, catalog, rng, session.today())
    assert session.next_card() == walk_next_card(session)
    by_deck = session.counts_by_deck()
    assert by_deck[None] == walk_counts(session, catalog.cards())
    for deck in catalog.decks:
        assert by_deck[deck.id] == walk_counts(session, deck.cards)
    assert session.counts() == walk_counts(session, catalog.cards(session.deck_id))
    # The same session asked again after a rating (its list of unrated cards is reused).
    card = session.next_card()
    if card is not None:
        session.rate(
            card, "I learned.", session.grade(card, "I learned."), rng.choice(("again", "good"))
        )
        assert session.next_card() == walk_next_card(session)


def test_cards_due_at_the_same_moment_come_in_deck_order(tmp_path):
    catalog = catalog_of(1, 4)
    store = open_db(tmp_path / "f.db")
    due = format_utc(NOW - timedelta(hours=1))
    with store.write() as db:
        for card_id in ("c3", "c1", "c2"):  # stored out of deck order
            db.execute(
                "INSERT INTO card_state (card_key, deck_id, state, due) "
                "VALUES (?, 'd0', 'review', ?)",
                (f"d0/{card_id}", due),
            )
    session = DrillSession(store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False)
    assert session.next_card().id == "c1"


def test_undone_first_rating_makes_the_card_new_again_for_the_same_session(tmp_path):
    catalog = catalog_of(1, 2)
    store = open_db(tmp_path / "f.db")
    session = DrillSession(
        store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False, settings=Settings(new_per_day=5)
    )
    first = session.next_card()
    session.rate(first, "", session.grade(first, ""), "easy")  # review, due in days
    assert session.next_card().id == "c1"
    session.undo()
    assert session.next_card().id == "c0"


def test_a_card_made_new_by_another_connection_is_seen(tmp_path):
    catalog = catalog_of(1, 2)
    store = open_db(tmp_path / "f.db")
    session = DrillSession(store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False)
    first = session.next_card()
    session.rate(first, "", session.grade(first, ""), "easy")
    assert session.next_card().id == "c1"
    other = sqlite3.connect(tmp_path / "f.db", isolation_level=None)
    other.execute("DELETE FROM card_state WHERE card_key = 'd0/c0'")
    other.close()
    assert session.next_card().id == "c0"


def test_a_card_flagged_deleted_but_back_in_its_deck_is_drilled(tmp_path):
    catalog = catalog_of(1, 1)
    store = open_db(tmp_path / "f.db")
    with store.write() as db:
        db.execute(
            "INSERT INTO card_state (card_key, deck_id, state, due, deleted) "
            "VALUES ('d0/c0', 'd0', 'review', ?, 1)",
            (format_utc(NOW - timedelta(days=1)),),
        )
    session = DrillSession(store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False)
    assert session.next_card().id == "c0"


def test_next_due_is_the_earliest_due_card_of_the_drill(tmp_path):
    catalog = catalog_of(2, 2)
    store = open_db(tmp_path / "f.db")
    with store.write() as db:
        cards = (("d1/c0", 1, 0), ("d0/c1", 3, 0), ("d0/c0", 2, 1), ("d1/c1", 5, 0))
        for key, days, suspended in cards:
            db.execute(
                "INSERT INTO card_state (card_key, deck_id, state, due, suspended) "
                "VALUES (?, ?, 'review', ?, ?)",
                (key, key[:2], format_utc(NOW + timedelta(days=days)), suspended),
            )
    drill_d0 = DrillSession(store, catalog, clock=lambda: NOW, deck_id="d0", tz=UTC, fuzz=False)
    assert drill_d0.next_due() == NOW + timedelta(days=3)
    everything = DrillSession(store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False)
    assert everything.next_due() == NOW + timedelta(days=1)


def rated_rows(store, *rows):
    """Store review-state rows: (key, due, buried_until, suspended)."""
    with store.write() as db:
        for key, due, buried_until, suspended in rows:
            db.execute(
                "INSERT INTO card_state (card_key, deck_id, state, due, buried_until, suspended, "
                "stability, difficulty, last_review) VALUES (?, ?, 'review', ?, ?, ?, 5, 5, ?)",
                (
                    key,
                    key[:2],
                    format_utc(due),
                    buried_until and format_utc(buried_until),
                    suspended,
                    format_utc(due - timedelta(days=5)),
                ),
            )


def test_next_showing_skips_suspended_and_waits_for_buried_cards(tmp_path):
    catalog = catalog_of(1, 3)
    store = open_db(tmp_path / "f.db")
    tomorrow = NOW + timedelta(hours=16)  # the next study day starts at 04:00 UTC
    rated_rows(
        store,
        ("d0/c0", NOW - timedelta(days=7), None, 1),
        ("d0/c1", NOW - timedelta(days=7), tomorrow, 0),
        ("d0/c2", NOW + timedelta(days=2), None, 0),
    )
    session = DrillSession(store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False)
    assert session.next_card() is None
    assert session.next_showing() == (tomorrow, "d0/c1")


def test_next_showing_of_a_card_due_already_is_now_never_the_past(tmp_path):
    catalog = catalog_of(1, 1)
    store = open_db(tmp_path / "f.db")
    rated_rows(store, ("d0/c0", NOW - timedelta(days=7), None, 0))
    session = DrillSession(store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False, limit=0)
    assert session.next_showing() == (NOW, "d0/c0")


def test_next_showing_after_the_new_card_limit_is_the_next_study_day(tmp_path):
    catalog = catalog_of(1, 2)
    store = open_db(tmp_path / "f.db")
    session = DrillSession(
        store, catalog, clock=lambda: NOW, tz=UTC, fuzz=False, settings=Settings(new_per_day=0)
    )
    assert session.next_card() is None
    assert session.next_showing() == (datetime(2026, 11, 24, 4, tzinfo=UTC), "d0/c0")


def new_cards_shown(session, count: int) -> list[str]:
    """The keys of the first ``count`` cards the session shows, each rated Easy."""
    shown = []
    for _ in range(count):
        card = session.next_card()
        if card is None:
            break
        shown.append(card.key)
        session.rate(card, "", session.grade(card, ""), "easy")
    return shown


def test_all_decks_interleaves_the_decks_when_asked(tmp_path):
    store = open_db(tmp_path / "f.db")
    settings = Settings(new_per_day=4, interleave=True)
    session = DrillSession(
        store, catalog_of(2, 3), clock=lambda: NOW, tz=UTC, fuzz=False, settings=settings
    )
    assert new_cards_shown(session, 5) == ["d0/c0", "d1/c0", "d0/c1", "d1/c1"]


def test_the_stored_default_order_of_all_decks_is_interleaved(tmp_path):
    store = open_db(tmp_path / "f.db")
    session = DrillSession(store, catalog_of(2, 2), clock=lambda: NOW, tz=UTC, fuzz=False)
    assert new_cards_shown(session, 4) == ["d0/c0", "d1/c0", "d0/c1", "d1/c1"]


def test_a_deck_review_limit_holds_only_that_deck(tmp_path):
    store = open_db(tmp_path / "f.db")
    rated_rows(
        store,
        ("d0/c0", NOW - timedelta(days=1), None, 0),
        ("d0/c1", NOW - timedelta(days=1), None, 0),
        ("d1/c0", NOW - timedelta(days=1), None, 0),
    )
    settings = Settings(new_per_day=0, deck_reviews_per_day={"d0": 1})
    session = DrillSession(
        store, catalog_of(2, 2), clock=lambda: NOW, tz=UTC, fuzz=False, settings=settings
    )
    assert new_cards_shown(session, 5) == ["d0/c0", "d1/c0"]
    assert session.next_showing() == (datetime(2026, 11, 24, 4, tzinfo=UTC), "d0/c1")


def test_new_anyway_studies_new_cards_past_the_limit_and_says_how_many_wait(tmp_path):
    store = open_db(tmp_path / "f.db")
    settings = Settings(new_per_day=0)
    held = DrillSession(
        store, catalog_of(1, 3), clock=lambda: NOW, tz=UTC, fuzz=False, settings=settings
    )
    assert (held.next_card(), held.held_new_count()) == (None, 3)
    anyway = DrillSession(
        store, catalog_of(1, 3), clock=lambda: NOW, tz=UTC, fuzz=False, settings=settings,
        new_anyway=True,
    )  # fmt: skip
    assert new_cards_shown(anyway, 5) == ["d0/c0", "d0/c1", "d0/c2"]


def test_a_one_card_session_shows_that_card_once(tmp_path):
    store = open_db(tmp_path / "f.db")
    rated_rows(store, ("d0/c1", NOW + timedelta(days=30), None, 0))
    session = DrillSession(
        store, catalog_of(1, 2), clock=lambda: NOW, tz=UTC, fuzz=False, card_key="d0/c1"
    )
    assert new_cards_shown(session, 3) == ["d0/c1"]


def _review_store(tmp_path, due: dict[str, timedelta], reviews_today: list[str]):
    """A database with review cards due at NOW + offset and reviews of ``reviews_today``'s
    decks already rated on NOW's study day."""
    store = open_db(tmp_path / "f.db")
    with store.write() as db:
        for key, offset in due.items():
            db.execute(
                "INSERT INTO card_state (card_key, deck_id, state, due) VALUES (?, ?, 'review', ?)",
                (key, key[:2], format_utc(NOW + offset)),
            )
        for deck_id in reviews_today:
            db.execute(
                "INSERT INTO reviews (card_key, deck_id, reviewed_at, study_day, rating, "
                "state_before, state_after, due_after, interval_after_days, card_state_before) "
                "VALUES (?, ?, ?, '2026-11-23', 3, 'learning', 'review', ?, 1, '{}')",
                (f"{deck_id}/old", deck_id, format_utc(NOW), format_utc(NOW)),
            )
    return store


def test_the_review_limit_caps_home_due_and_the_drill_says_it_holds_the_reviews(tmp_path):
    from failtui.plain import nothing_due_text

    catalog = catalog_of(2, 3)
    hour = timedelta(hours=1)
    due = {"d0/c0": -hour, "d0/c1": -hour, "d1/c0": -2 * hour, "d0/c2": timedelta(days=2)}
    store = _review_store(tmp_path, due, reviews_today=["d0"])  # a learning card's rating
    settings = Settings(new_per_day=0, reviews_per_day=1)
    session = DrillSession(store, catalog, clock=lambda: NOW, settings=settings, tz=UTC)
    counts = session.counts_by_deck()
    assert (counts[None].due, counts["d0"].due, counts["d1"].due) == (0, 0, 0)
    assert session.next_card() is None
    assert nothing_due_text(session) == (
        "Nothing is due: the daily review limit is reached (reviews_per_day 1); 3 reviews wait; "
        "today's new cards are used up (new_cards_per_day is 0); 2 new cards wait. "
        "Run 'failtui drill --plain --new' to study the new cards now."
    )
    # Practise ahead takes the reviews held back first (the one due soonest), not tomorrow's.
    ahead = DrillSession(store, catalog, clock=lambda: NOW, settings=settings, tz=UTC, ahead=True)
    assert ahead.next_card().key == "d1/c0"


def test_a_decks_own_review_limit_caps_its_due_count_and_is_named(tmp_path):
    from failtui.plain import nothing_due_text

    catalog = catalog_of(2, 1)
    hour = timedelta(hours=1)
    store = _review_store(tmp_path, {"d0/c0": -hour, "d1/c0": -hour}, reviews_today=["d0"])
    settings = Settings(reviews_per_day=200, deck_reviews_per_day={"d0": 1})
    counts = DrillSession(store, catalog, clock=lambda: NOW, settings=settings, tz=UTC)
    assert [counts.counts_by_deck()[d].due for d in (None, "d0", "d1")] == [1, 0, 1]
    d0 = DrillSession(store, catalog, clock=lambda: NOW, settings=settings, tz=UTC, deck_id="d0")
    assert nothing_due_text(d0) == (
        "Nothing is due: the deck's own review limit is reached (reviews_per_day: d0 1); "
        "1 review waits. Come back tomorrow, or raise reviews_per_day with 'failtui settings'."
    )
