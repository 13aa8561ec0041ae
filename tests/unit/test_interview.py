"""Interview dates: the cap on intervals, new cards first, the plan and readiness (fixed clock)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from failtui import interview, scheduling
from failtui.decks.catalog import DeckCatalog
from failtui.decks.reader import parse_deck
from failtui.drill_queue import PlannedCard
from failtui.models import CardState
from failtui.scheduling import Settings, format_utc
from failtui.session import DrillSession
from failtui.storage import interviews as interview_store
from failtui.storage import open_db, queries

# 2026-11-23 12:00 UTC, a Monday: study day 2026-11-23 (day starts at 04:00, UTC).
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FORM = "write it as YYYY-MM-DD, such as 2026-12-20"
#: The card ids of the decks ``interview.add`` knows, by deck.
DECKS = {"prep": ["c1", "c2", "c3"], "other": ["c1", "c2", "c3"]}


def deck_text(deck_id: str, cards: int) -> str:
    text = f'id = "{deck_id}"\ntitle = "{deck_id}"\ndescription = ""\n'
    for n in range(1, cards + 1):
        text += (
            f'\n[[cards]]\nid = "c{n}"\nkind = "tip"\nprompt = "Card {n}?"\n'
            f'answer = "Say card {n}."\n'
            '[[cards.key_points]]\nid = "point"\nlabel = "The point"\ncues = ["the point"]\n'
        )
    return text


@pytest.fixture
def store(tmp_path, copy_migrated_db):
    store = open_db(copy_migrated_db(tmp_path / "failtui.db"))
    yield store
    store.close()


@pytest.fixture
def catalog():
    return DeckCatalog(
        decks=[
            parse_deck(deck_text("prep", 3), Path("prep.toml")),
            parse_deck(deck_text("other", 3), Path("other.toml")),
        ]
    )


def session_at(store, catalog, now, **settings):
    return DrillSession(
        store,
        catalog,
        clock=lambda: now,
        tz=UTC,
        fuzz=False,
        settings=Settings(**settings),
    )


def review_state(key: str, stability: float, last: datetime) -> CardState:
    return CardState(
        card_key=key,
        state="review",
        due=format_utc(last + timedelta(days=stability)),
        stability=stability,
        difficulty=5.0,
        step=None,
        last_review=format_utc(last),
        reps=3,
    )


def store_state(store, state: CardState, deck_id: str) -> None:
    from dataclasses import asdict

    row = asdict(state) | {"deck_id": deck_id, "suspended": int(state.suspended)}
    with store.write() as db:
        db["card_state"].upsert(row, pk="card_key")


def add(store, day: str, decks=(), title="") -> interview_store.Interview:
    interview, _moved = interview_store.add_interview(
        store, day, title, tuple(decks), format_utc(NOW)
    )
    return interview


def test_a_rating_is_capped_at_the_start_of_the_day_before_the_interview(store, catalog):
    card = catalog.deck("prep").card("c1")
    state = review_state("prep/c1", 30.0, NOW - timedelta(days=30))
    store_state(store, state, "prep")
    uncapped = scheduling.review(
        scheduling.make_scheduler(Settings(), fuzz=False), state, "good", NOW
    )
    add(store, "2026-12-01", ["prep"])
    session = session_at(store, catalog, NOW)

    intervals = session.intervals(card)
    grade = session.grade(card, "the point")
    session.rate(card, "the point", grade, "good")

    after = queries.card_state(store, "prep/c1")
    # Study day 2026-11-30 begins at 04:00 UTC; the uncapped interval was months.
    assert after.due == "2026-11-30T04:00:00.000000+00:00"
    assert intervals["good"] == datetime(2026, 11, 30, 4, tzinfo=UTC) - NOW
    assert uncapped.due > after.due
    # FSRS keeps its memory state: only the due date moved.
    assert (after.stability, after.difficulty) == (uncapped.stability, uncapped.difficulty)


def test_decks_outside_the_interview_are_not_capped(store, catalog):
    card = catalog.deck("other").card("c1")
    state = review_state("other/c1", 30.0, NOW - timedelta(days=30))
    store_state(store, state, "other")
    expected = scheduling.review(
        scheduling.make_scheduler(Settings(), fuzz=False), state, "good", NOW
    )
    add(store, "2026-12-01", ["prep"])
    session = session_at(store, catalog, NOW)
    session.rate(card, "x", session.grade(card, "x"), "good")
    assert queries.card_state(store, "other/c1").due == expected.due


def test_a_card_rated_the_day_before_comes_back_on_the_day_at_the_latest(store, catalog):
    card = catalog.deck("prep").card("c1")
    add(store, "2026-11-24", title="Acme")  # tomorrow: today is the day before
    state = review_state("prep/c1", 30.0, NOW - timedelta(days=30))
    store_state(store, state, "prep")
    session = session_at(store, catalog, NOW)
    # Uncapped, Easy would be months away; it comes back at the start of the interview's day.
    assert session.intervals(card)["easy"] == timedelta(hours=16)
    assert interview.hold_note(session.held_before(card), session.today()) == (
        "Intervals stop at Tue 24 Nov, the day of Acme, for a last look."
    )
    session.rate(card, "the point", session.grade(card, "the point"), "easy")
    assert queries.card_state(store, "prep/c1").due == "2026-11-24T04:00:00.000000+00:00"


def test_no_cap_on_the_day_of_the_interview_nor_after_it(store, catalog):
    card = catalog.deck("prep").card("c1")
    add(store, "2026-11-23")  # today
    state = review_state("prep/c1", 30.0, NOW - timedelta(days=30))
    store_state(store, state, "prep")
    session = session_at(store, catalog, NOW)
    assert session.held_before(card) is None
    session.rate(card, "the point", session.grade(card, "the point"), "easy")
    # Scheduled as usual: 2026-11-23 12:00 plus FSRS' own interval.
    assert queries.card_state(store, "prep/c1").due == "2027-04-05T12:00:00.000000+00:00"
    later = NOW + timedelta(days=2)  # after the day: scheduling as before
    scheduler = scheduling.make_scheduler(Settings(), fuzz=False)
    card2 = catalog.deck("prep").card("c2")
    state2 = review_state("prep/c2", 30.0, later - timedelta(days=30))
    store_state(store, state2, "prep")
    session = session_at(store, catalog, later)
    assert (
        session.intervals(card2)["good"]
        == scheduling.preview_intervals(scheduler, state2, later)["good"]
    )


def test_the_soonest_interview_covering_the_deck_sets_the_cap(store):
    ahead = [
        interview_store.Interview(1, "2026-11-28", "", ("other",)),
        interview_store.Interview(2, "2026-12-05", "", ()),
    ]
    assert interview.due_cap(ahead, "prep", NOW, 4, UTC) == datetime(2026, 12, 4, 4, tzinfo=UTC)
    assert interview.due_cap(ahead, "other", NOW, 4, UTC) == datetime(2026, 11, 27, 4, tzinfo=UTC)


def test_new_cards_of_the_interview_decks_come_first(store):
    catalog = DeckCatalog(
        decks=[
            parse_deck(deck_text("other", 2), Path("other.toml")),
            parse_deck(deck_text("prep", 2), Path("prep.toml")),
        ]
    )
    assert session_at(store, catalog, NOW).next_card().key == "other/c1"
    add(store, "2026-12-01", ["prep"])
    session = session_at(store, catalog, NOW)
    shown = []
    for _ in range(4):
        card = session.next_card()
        shown.append(card.key)
        session.rate(card, "x", session.grade(card, "x"), "easy")
    assert shown == ["prep/c1", "prep/c2", "other/c1", "other/c2"]


def test_plan_figures(store, catalog):
    add(store, "2026-11-26", ["prep"], "Acme")
    # c1 studied yesterday with a stability of 10 days; c2 due today, stability 2; c3 never.
    store_state(store, review_state("prep/c1", 10.0, NOW - timedelta(days=1)), "prep")
    c2 = replace(review_state("prep/c2", 2.0, NOW - timedelta(days=2)), due=format_utc(NOW))
    store_state(store, c2, "prep")
    session = session_at(store, catalog, NOW)
    chosen = interview.find(store, None, date(2026, 11, 23))
    plan = interview.make_plan(
        store, chosen, session.card_ids_by_deck(), session.settings, NOW, UTC
    )
    scheduler = scheduling.make_scheduler(Settings(), fuzz=False)
    day = datetime(2026, 11, 26, 4, tzinfo=UTC)
    r1 = scheduling.retrievability(scheduler, queries.card_state(store, "prep/c1"), day)
    r2 = scheduling.retrievability(scheduler, queries.card_state(store, "prep/c2"), day)
    assert plan.days_left == 3
    assert plan.readiness == pytest.approx((r1 + r2 + 0.0) / 3)
    assert plan.decks[0].deck_id == "prep" and plan.decks[0].studied == 2
    assert plan.never_studied == 1
    assert plan.at_risk == (("prep/c2", pytest.approx(r2)), ("prep/c1", pytest.approx(r1)))
    # c1 is due 2026-12-02, after the day: it is not in the days until then.
    assert plan.due_per_day == (("2026-11-23", 1), ("2026-11-24", 0), ("2026-11-25", 0))
    assert plan.pace == interview.NewCardPace(1, 3, 1, 1, "")
    assert plan.problem is None
    assert plan.to_dict()["readiness"] == round(plan.readiness, 4)


def test_a_plan_reads_the_card_states_once(store, catalog):
    """The readiness and the days ahead share one read of the stored card states."""
    add(store, "2026-11-26", ["prep"], "Acme")
    c2 = replace(review_state("prep/c2", 2.0, NOW - timedelta(days=2)), due=format_utc(NOW))
    store_state(store, c2, "prep")
    store_state(store, review_state("other/c1", 2.0, NOW - timedelta(days=2)), "other")
    session = session_at(store, catalog, NOW)
    chosen = interview.find(store, None, date(2026, 11, 23))
    card_ids = session.card_ids_by_deck()
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        plan = interview.make_plan(store, chosen, card_ids, session.settings, NOW, UTC)
    finally:
        store.conn.set_trace_callback(None)
    assert [s for s in statements if "FROM card_state" in s] == [
        "SELECT card_key, state, due, stability, difficulty, step, last_review, reps, lapses, "
        "buried_until, suspended, deleted FROM card_state WHERE deck_id IN ('prep', 'other')"
    ]
    assert plan.due_per_day == (("2026-11-23", 1), ("2026-11-24", 0), ("2026-11-25", 0))
    assert plan.reviews.allowed == 1


def test_a_plan_takes_a_card_flagged_deleted_as_never_studied_and_its_review_as_due(store, catalog):
    """The flag is refreshed only when the app loads the decks: the readiness leaves out a
    flagged card's state, as it always has, while the drill's queue still shows its review."""
    add(store, "2026-11-26", ["prep"], "Acme")
    c2 = replace(review_state("prep/c2", 2.0, NOW - timedelta(days=2)), due=format_utc(NOW))
    store_state(store, c2, "prep")
    with store.write() as db:
        db.execute("UPDATE card_state SET deleted = 1 WHERE card_key = 'prep/c2'")
    plan = plan_at(store, catalog, NOW)
    assert (plan.never_studied, plan.decks[0].studied) == (3, 0)
    assert plan.due_per_day == (("2026-11-23", 1), ("2026-11-24", 0), ("2026-11-25", 0))


def test_plan_says_when_the_limits_leave_cards_unseen_and_what_fixes_it(store, catalog):
    add(store, "2026-11-25", ["prep", "other"])  # two study days: today and tomorrow
    session = session_at(store, catalog, NOW, new_per_day=2)
    plan = interview.make_plan(
        store,
        interview.find(store, None, date(2026, 11, 23)),
        session.card_ids_by_deck(),
        session.settings,
        NOW,
        UTC,
    )
    assert plan.pace.allowed == 4
    assert plan.problem == (
        "6 cards of the interview on 2026-11-25 are new and the daily limits let in 4 before "
        "2026-11-25: set new_cards_per_day to 3 ('failtui settings new_cards_per_day 3'), or "
        "study them now with 'failtui drill --new'"
    )


def test_a_deck_limit_that_binds_is_named():
    settings = Settings(new_per_day=20, deck_new_per_day={"prep": 1})
    pace = interview.new_card_pace({"prep": 6}, 3, settings, new_today=0)
    assert (pace.allowed, pace.needed_per_day) == (3, 2)
    assert pace.fix == (
        "set prep's own limit to 2 ('failtui settings --deck prep new_cards_per_day 2'), or "
        "study them now with 'failtui drill --new'"
    )


def test_on_the_day_new_cards_can_only_be_studied_now():
    pace = interview.new_card_pace({"prep": 12}, 0, Settings(new_per_day=10), new_today=0)
    assert (pace.allowed, pace.possible) == (10, False)
    assert pace.fix == "run 'failtui drill --new' to study them now"


@pytest.mark.parametrize(
    ("day", "decks", "message"),
    [
        ("2026-13-01", (), "'2026-13-01' is not a date: there is no month 13"),
        ("2027-02-30", (), "'2027-02-30' is not a date: February 2027 has no day 30"),
        ("2028-04-00", (), "'2028-04-00' is not a date: April 2028 has no day 0"),
        ("0000-01-01", (), "'0000-01-01' is not a date: there is no year 0"),
        ("next week", (), f"'next week' is not a date: {FORM}"),
        ("2026-12-1", (), f"'2026-12-1' is not a date: {FORM}"),
        ("٢٠٢٦-١٢-٢٠", (), f"'٢٠٢٦-١٢-٢٠' is not a date: {FORM}"),  # Arabic-Indic digits
        ("2026-11-22", (), "2026-11-22 is before today (2026-11-23): give a date ahead"),
        ("2026-12-01", ("nope",), "no deck 'nope' (decks: prep, other)"),
    ],
)
def test_add_refuses_bad_input_and_stores_nothing(store, day, decks, message):
    with pytest.raises(interview.InterviewError) as caught:
        interview.add(store, day, "", decks, DECKS, NOW, 4, UTC)
    assert str(caught.value) == message
    assert interview_store.interviews(store) == []


def test_today_is_a_valid_interview_day(store):
    added = interview.add(store, "2026-11-23", "x", (), {"prep": ["c1"]}, NOW, 4, UTC).interview
    assert interview.days_left(added, date(2026, 11, 23)) == 0
    assert interview.find(store, None, date(2026, 11, 24 - 1)) == added
    with pytest.raises(interview.InterviewError) as caught:
        interview.find(store, None, date(2026, 11, 24))
    assert str(caught.value) == (
        "no interview ahead: add one with 'failtui interview add YYYY-MM-DD'"
    )


def test_answer_statistics_keep_spoken_time_apart(store, catalog):
    from failtui.stats import StatsScope, answer_trends

    session = session_at(store, catalog, NOW)
    card = catalog.deck("prep").card("c1")
    typed = session.grade(card, "the point " * 65)  # 130 words: one minute estimated
    session.rate(card, "the point " * 65, typed, "good")
    card2 = catalog.deck("prep").card("c2")
    spoken = session.spoken_grade(card2, {("key_point", "point")}, 150.0)
    session.rate(card2, "", spoken, "good", 150_000, spoken=True)
    (day,) = answer_trends(store, StatsScope(now=NOW, tz=UTC))
    assert (day.answers, day.words, day.speaking_seconds) == (2, 130.0, 60.0)
    assert (day.spoken, day.spoken_seconds, day.within_advice) == (1, 150.0, 1)


def test_adding_an_interview_brings_forward_cards_due_after_the_day_before(store):
    far = review_state("prep/c1", 30.0, NOW - timedelta(days=3))  # due 2026-12-20
    on_the_day_before = replace(far, card_key="prep/c2", due="2026-11-30T10:00:00.000000+00:00")
    sooner = replace(far, card_key="prep/c3", due="2026-11-25T10:00:00.000000+00:00")
    suspended = replace(far, card_key="prep/c4", suspended=True)
    outside = replace(far, card_key="other/c1")
    for state in (far, on_the_day_before, sooner, suspended):
        store_state(store, state, "prep")
    store_state(store, outside, "other")

    added = interview.add(store, "2026-12-01", "Acme", ("prep",), DECKS, NOW, 4, UTC)

    assert (added.moved, added.day_before) == (1, "2026-11-30")
    assert added.moved_text == (
        "1 card due after 2026-11-30, the day before, is now due by then "
        "(only due dates moved; FSRS memory state is kept)."
    )
    # Only the due date moved, to the start of a study day before (04:00 UTC): the latest of
    # those holding the fewest reviews (the day before holds prep/c2 already).
    assert queries.card_state(store, "prep/c1") == replace(
        far, due="2026-11-29T04:00:00.000000+00:00"
    )
    for state in (on_the_day_before, sooner, suspended, outside):
        assert queries.card_state(store, state.card_key) == state


def test_every_deck_counts_and_an_earlier_interview_holds_its_decks_sooner(store):
    far = review_state("prep/c1", 30.0, NOW - timedelta(days=3))
    store_state(store, far, "prep")
    store_state(store, replace(far, card_key="other/c1"), "other")
    add(store, "2026-11-27", ["prep"])  # stored without moving anything

    added = interview.add(store, "2026-12-01", "", (), DECKS, NOW, 4, UTC)

    assert added.moved == 2
    assert added.moved_text.startswith("2 cards due after 2026-11-30, the day before, are now")
    assert queries.card_state(store, "prep/c1").due == "2026-11-26T04:00:00.000000+00:00"
    assert queries.card_state(store, "other/c1").due == "2026-11-30T04:00:00.000000+00:00"


def test_an_interview_tomorrow_brings_later_cards_to_today_and_one_today_moves_none(store):
    far = review_state("prep/c1", 30.0, NOW - timedelta(days=3))
    store_state(store, far, "prep")
    today = interview.add(store, "2026-11-23", "", (), {"prep": ["c1"]}, NOW, 4, UTC)
    assert (today.moved, today.moved_text) == (0, "")
    assert queries.card_state(store, "prep/c1") == far
    tomorrow = interview.add(store, "2026-11-24", "", (), {"prep": ["c1"]}, NOW, 4, UTC)
    assert tomorrow.moved_text == (
        "1 card due after 2026-11-23, the day before, is now due by then "
        "(only due dates moved; FSRS memory state is kept)."
    )
    assert queries.card_state(store, "prep/c1").due == "2026-11-23T04:00:00.000000+00:00"


def test_a_due_date_changed_since_it_was_read_is_left_alone(store):
    far = review_state("prep/c1", 30.0, NOW - timedelta(days=3))
    store_state(store, far, "prep")
    stale = ("prep/c1", "2027-01-01T00:00:00.000000+00:00", "2026-11-30T04:00:00.000000+00:00")
    _interview, moved = interview_store.add_interview(
        store, "2026-12-01", "", (), format_utc(NOW), due_moves=[stale]
    )
    assert moved == 0
    assert queries.card_state(store, "prep/c1") == far


def test_adding_an_interview_spreads_the_cards_it_brings_forward(store):
    # Ten cards due long after the interview; the day before it already holds one review.
    far = [review_state(f"prep/c{n}", 30.0 + n, NOW - timedelta(days=3)) for n in range(1, 11)]
    for state in far:
        store_state(store, state, "prep")
    store_state(
        store, replace(far[0], card_key="prep/held", due="2026-11-26T09:00:00.000000+00:00"), "prep"
    )

    added = interview.add(store, "2026-11-27", "", ("prep",), DECKS, NOW, 4, UTC)

    assert (added.moved, added.spread_over) == (10, 4)
    assert added.moved_text == (
        "10 cards due after 2026-11-26, the day before, are now due by then, spread over 4 "
        "study days (only due dates moved; FSRS memory state is kept)."
    )
    dues = {s.card_key: queries.card_state(store, s.card_key).due[:10] for s in far}
    # Three a day at most, today included; the cards due soonest take the latest days.
    assert dues == {
        "prep/c1": "2026-11-26", "prep/c2": "2026-11-26",
        "prep/c3": "2026-11-25", "prep/c4": "2026-11-25", "prep/c5": "2026-11-25",
        "prep/c6": "2026-11-24", "prep/c7": "2026-11-24", "prep/c8": "2026-11-24",
        "prep/c9": "2026-11-23", "prep/c10": "2026-11-23",
    }  # fmt: skip


def test_the_spread_counts_today_only_the_reviews_done_of_the_interviews_decks(store):
    far = [review_state(f"prep/c{n}", 30.0 + n, NOW - timedelta(days=3)) for n in range(1, 11)]
    for state in far:
        store_state(store, state, "prep")
    # Done today: one review of prep, which counts on today, and fifty of another deck, which
    # do not: the other days' loads count only prep's cards due.
    with store.write() as db:
        for n, deck_id in enumerate(["prep"] + ["other"] * 50):
            db.execute(
                "INSERT INTO reviews (card_key, deck_id, reviewed_at, study_day, rating, "
                "state_before, state_after, due_after, interval_after_days, card_state_before) "
                "VALUES (?, ?, ?, '2026-11-23', 3, 'review', 'review', ?, 1, '{}')",
                (f"{deck_id}/done{n}", deck_id, format_utc(NOW), format_utc(NOW)),
            )

    interview.add(store, "2026-11-27", "", ("prep",), DECKS, NOW, 4, UTC)

    dues = [queries.card_state(store, s.card_key).due[:10] for s in far]
    per_day = {day: dues.count(day) for day in sorted(set(dues))}
    # Today holds one review already, so it takes one card less than the other days (counting
    # the fifty, it would take none; counting nothing done, two).
    assert per_day == {"2026-11-23": 1, "2026-11-24": 3, "2026-11-25": 3, "2026-11-26": 3}


def test_level_out_fills_the_emptiest_days_latest_first():
    assert interview.level_out([5, 0, 0], 4) == [0, 2, 2]
    assert interview.level_out([0, 0, 1], 4) == [1, 2, 1]
    assert interview.level_out([3, 3], 0) == [0, 0]


def plan_at(store, catalog, now, **settings):
    session = session_at(store, catalog, now, **settings)
    done = session.today_counts()
    return interview.make_plan(
        store,
        interview.find(store, 1, date(2026, 11, 23)),
        session.card_ids_by_deck(),
        session.settings,
        now,
        UTC,
        done.new,
        done.reviews,
    )


def test_plan_says_when_the_review_limit_leaves_reviews_undone(store, catalog):
    add(store, "2026-11-25", ["prep"], "Acme")  # two study days: today and tomorrow
    for n in (1, 2, 3):
        due = replace(
            review_state(f"prep/c{n}", 5.0, NOW - timedelta(days=4)),
            due="2026-11-24T10:00:00.000000+00:00",
        )
        store_state(store, due, "prep")

    plan = plan_at(store, catalog, NOW, reviews_per_day=2)

    assert plan.due_per_day == (("2026-11-23", 0), ("2026-11-24", 3))
    assert plan.reviews == interview.ReviewPace(due=3, limit=2, allowed=2, needed_per_day=3)
    assert plan.review_problem == (
        "3 reviews of Acme are due by 2026-11-24 and reviews_per_day (2) lets in 2 of them by "
        "then: set reviews_per_day to 3 ('failtui settings reviews_per_day 3'), or practise "
        "ahead (p on home) on the days before"
    )
    assert plan.to_dict()["reviews"] == {
        "due": 3, "limit": 2, "allowed": 2, "needed_per_day": 3, "deck_limits": [],
        "other_decks": 0, "possible": False,
    }  # fmt: skip
    assert plan_at(store, catalog, NOW, reviews_per_day=3).review_problem is None


def test_plan_says_when_a_decks_own_review_limit_leaves_reviews_undone(store, catalog):
    add(store, "2026-11-25", ["prep"], "Acme")  # two study days: today and tomorrow
    for n in (1, 2, 3):
        due = replace(
            review_state(f"prep/c{n}", 5.0, NOW - timedelta(days=4)),
            due="2026-11-24T10:00:00.000000+00:00",
        )
        store_state(store, due, "prep")

    # The overall limit (200) has room for all three; prep's own lets one a day in.
    plan = plan_at(store, catalog, NOW, deck_reviews_per_day={"prep": 1})

    assert plan.review_problem == (
        "3 reviews of Acme are due by 2026-11-24 and the daily review limits let in 1 of them "
        "by then: set prep's own reviews_per_day to 3 ('failtui settings --deck prep "
        "reviews_per_day 3'), or practise ahead (p on home) on the days before"
    )
    assert plan.to_dict()["reviews"] == {
        "due": 3, "limit": 200, "allowed": 1, "needed_per_day": 3,
        "deck_limits": [{"deck": "prep", "limit": 1, "needed_per_day": 3}], "other_decks": 0,
        "possible": False,
    }  # fmt: skip
    assert plan_at(store, catalog, NOW, deck_reviews_per_day={"prep": 3}).review_problem is None


def planned(*due_per_day: int, deck_id: str = "prep") -> list[PlannedCard]:
    """Reviews of ``deck_id``, ``due_per_day[n]`` of them due on study day n (from today)."""
    cards = []
    for day, due in enumerate(due_per_day):
        for n in range(due):
            key = f"{deck_id}/d{day}c{n}"
            cards.append(
                PlannedCard(NOW + timedelta(days=day, minutes=n), len(cards), key, day, False)
            )
    return cards


def test_reviews_done_today_count_against_todays_limit():
    due = planned(3, 1)
    pace = interview.review_pace
    assert pace(due, ["prep"], 2, Settings(reviews_per_day=4), 2) == interview.ReviewPace(
        4, 4, 4, 3
    )
    # Today's two reviews leave no room today: the three due wait for tomorrow with its one.
    assert pace(due, ["prep"], 2, Settings(reviews_per_day=2), 2) == interview.ReviewPace(
        4, 2, 2, 3
    )
    assert not pace(due, ["prep"], 2, Settings(reviews_per_day=2), 2).possible
    # A deck's own reviews done today count against its own limit the same way.
    own = Settings(deck_reviews_per_day={"prep": 2})
    assert pace(due, ["prep"], 2, own, 2, {"prep": 2}) == interview.ReviewPace(
        4, 200, 2, 3, (interview.DeckLimit("prep", 2, 3),)
    )


def test_plan_counts_the_other_decks_reviews_and_learning_cards_sharing_the_limit(store, catalog):
    add(store, "2026-11-25", ["prep"], "Acme")  # two study days: today and tomorrow
    for n in (1, 2):  # prep's two reviews are due tomorrow
        due = replace(
            review_state(f"prep/c{n}", 5.0, NOW - timedelta(days=4)),
            due="2026-11-24T10:00:00.000000+00:00",
        )
        store_state(store, due, "prep")
    # The other deck: two reviews overdue since yesterday, one card in its learning steps.
    for n in (1, 2):
        store_state(store, review_state(f"other/c{n}", 5.0, NOW - timedelta(days=6)), "other")
    learning = replace(
        review_state("other/c3", 1.0, NOW - timedelta(days=1)),
        state="learning",
        due=format_utc(NOW - timedelta(minutes=10)),
    )
    store_state(store, learning, "other")

    # Two a day for prep's two reviews: the drill shows the learning card and one overdue
    # review today, the other overdue review and one of prep's tomorrow.
    plan = plan_at(store, catalog, NOW, reviews_per_day=2)

    assert plan.due_per_day == (("2026-11-23", 0), ("2026-11-24", 2))
    assert plan.review_problem == (
        "2 reviews of Acme are due by 2026-11-24 and reviews_per_day (2), shared with 3 reviews "
        "of other decks, lets in 1 of them by then: set reviews_per_day to 3 ('failtui "
        "settings reviews_per_day 3'), or practise ahead (p on home) on the days before"
    )
    assert plan.to_dict()["reviews"] == {
        "due": 2, "limit": 2, "allowed": 1, "needed_per_day": 3, "deck_limits": [],
        "other_decks": 3, "possible": False,
    }  # fmt: skip
    assert plan_at(store, catalog, NOW, reviews_per_day=3).review_problem is None


def test_the_plan_of_a_past_interview_says_it_is_over(store, catalog):
    from failtui.plan_report import plan_lines

    add(store, "2026-11-20", ["prep"], "Acme")  # three days before NOW's study day
    plan = plan_at(store, catalog, NOW)
    assert plan_lines(plan) == [
        "Interview 1: Acme (2026-11-20), prep",
        "Interview was on 2026-11-20, 3 days ago: it is over. Remove it with 'failtui "
        "interview remove 1'.",
    ]
    data = plan.to_dict()
    assert (data["days_left"], data["over"], data["readiness"]) == (-3, True, None)
    assert (data["due_per_day"], data["at_risk"], data["problem"]) == ([], [], None)
    assert data["new_cards"] == {
        "unseen": 3, "days": 0, "needed_per_day": 0, "allowed": 0, "possible": None,
    }  # fmt: skip


def test_a_plan_names_a_deck_gone_or_without_cards(store, catalog):
    from failtui.plan_report import plan_lines

    add(store, "2026-11-30", ["gone"], "Temp")
    plan = plan_at(store, catalog, NOW)
    assert plan_lines(plan) == [
        "Interview 1: Temp (2026-11-30), gone",
        "Countdown: in 7 study days",
        "Deck gone is not found (deleted?): no cards to plan for. Restore or fill its deck, or "
        "remove the interview and add it again with another deck.",
    ]
    data = plan.to_dict()
    assert (data["missing_decks"], data["empty_decks"], data["readiness"]) == (["gone"], [], None)
    assert data["deck_problem"] == "deck gone is not found (deleted?)"
    empty = DeckCatalog(decks=[*catalog.decks, parse_deck(deck_text("empty", 0), Path("e.toml"))])
    add(store, "2026-11-30", ["prep", "empty", "gone"], "Two")
    session = session_at(store, empty, NOW)
    plan = interview.make_plan(
        store, interview.find(store, 2, date(2026, 11, 23)), session.card_ids_by_deck(),
        session.settings, NOW, UTC,
    )  # fmt: skip
    assert plan_lines(plan)[2] == (
        "Deck gone is not found (deleted?); deck empty has no cards yet."
    )
    assert plan_lines(plan)[3] == (
        "Readiness: 0% (the mean chance of recall of its 3 cards on the day; the 3 never "
        "studied count 0)"
    )


def test_adding_an_interview_for_a_deck_with_no_cards_says_so(store):
    added = interview.add(store, "2026-11-30", "", ("new",), {"new": []}, NOW, 4, UTC)
    assert added.empty_text == (
        "deck new has no cards yet: add cards before the day; the plan counts them as they come"
    )
    assert interview_store.interviews(store) == [added.interview]
