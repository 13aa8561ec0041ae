"""Statistics over a small history built through the real session, with hand-counted figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from failtui import scheduling, stats
from failtui.decks.catalog import DeckCatalog, load_catalog
from failtui.decks.reader import parse_deck
from failtui.session import DrillSession
from failtui.storage import open_db, queries
from failtui.storage.migrations import migrations
from tests.conftest import FIXED_NOW, Clock

MINE = """id = "mine"
title = "Mine"
description = "Two questions sharing two key points and a red flag"

[[key_points]]
id = "learned"
label = "What you learned"
cues = ["i learned"]

[[key_points]]
id = "cost"
label = "What it cost"
cues = ["it cost"]

[[red_flags]]
id = "blamed"
label = "Blaming someone"
cues = ["my boss"]
advice = "Own it."

[[cards]]
id = "a"
kind = "question"
prompt = "A?"
answer = "Say it."
key_points = ["learned", "cost"]
red_flags = ["blamed"]

[[cards]]
id = "b"
kind = "question"
prompt = "B?"
answer = "Say it."
key_points = ["learned", "cost"]
red_flags = ["blamed"]
"""

OTHER = """id = "other"
title = "Other"
description = "A tip that expects the same 'learned' key point"

[[cards]]
id = "c"
kind = "tip"
prompt = "C?"
answer = "Say it."

[[cards.key_points]]
id = "learned"
label = "What you learned"
cues = ["i learned"]
"""

# The four answers and what the grader finds in each (checked in `history`):
BLAME = "My boss rushed me."  # 4 words; learned missed, cost missed, blamed raised
LEARNED = "I learned to check."  # 4 words; learned hit, cost missed
BOTH = "It cost a day. I learned to check."  # 8 words; both hit
EMPTY = ""  # 0 words; everything missed

TODAY = FIXED_NOW.date()  # 2026-11-23; the clock is at 12:00 UTC, rollover at 04:00 UTC


def catalog() -> DeckCatalog:
    return DeckCatalog(
        decks=[parse_deck(MINE, Path("mine.toml")), parse_deck(OTHER, Path("other.toml"))]
    )


@pytest.fixture
def store(tmp_path, copy_migrated_db):
    store = open_db(copy_migrated_db(tmp_path / "failtui.db"))
    yield store
    store.close()


def at(day: int) -> datetime:
    """Noon UTC, ``day`` days before the fixed now (0 = today)."""
    return FIXED_NOW - timedelta(days=day)


@pytest.fixture
def history(store):
    """The history every figure below is counted from (days before 2026-11-23, noon UTC):

    | day   | card    | answer  | rating | state before | learned | cost   | blamed |
    | 10-30 | other/c | LEARNED | easy   | new          | hit     | -      | -      |
    | 11-20 | mine/a  | BLAME   | again  | new          | missed  | missed | raised |
    | 11-20 | mine/b  | LEARNED | easy   | new          | hit     | missed |        |
    | 11-21 | mine/a  | LEARNED | good   | learning     | hit     | missed |        |
    | 11-21 | other/c | EMPTY   | good   | review       | missed  | -      | -      |
    | 11-23 | mine/a  | BOTH    | good   | learning     | hit     | hit    |        |
    | 11-23 | mine/b  | BLAME   | again  | review       | missed  | missed | raised |
    """
    clock = Clock(at(24))
    session = DrillSession(store, catalog(), clock=clock, fuzz=False, tz=UTC)
    cards = {c.key: c for c in session.catalog.cards()}
    plan = [
        (24, "other/c", LEARNED, "easy"),
        (3, "mine/a", BLAME, "again"),
        (3, "mine/b", LEARNED, "easy"),
        (2, "mine/a", LEARNED, "good"),
        (2, "other/c", EMPTY, "good"),
        (0, "mine/a", BOTH, "good"),
        (0, "mine/b", BLAME, "again"),
    ]
    rated = {}
    for day, key, answer, rating in plan:
        clock.now = at(day)
        card = cards[key]
        grade = session.grade(card, answer)
        rated[key] = session.rate(card, answer, grade, rating)
    # The grader finds what the table says (so the counts below follow from the answers).
    grade = session.grade(cards["mine/a"], BLAME)
    assert [k.covered for k in grade.key_points] == [False, False]
    assert [r.id for r in grade.red_flags] == ["blamed"]
    assert [k.covered for k in session.grade(cards["mine/a"], LEARNED).key_points] == [True, False]
    assert [k.covered for k in session.grade(cards["mine/a"], BOTH).key_points] == [True, True]
    assert [session.grade(cards["mine/a"], a).words for a in (BLAME, LEARNED, BOTH)] == [4, 4, 8]
    return rated


def scope(store, **kwargs) -> stats.StatsScope:
    return stats.make_scope(store, FIXED_NOW, tz=UTC, **kwargs)


def test_weak_key_points_all_history(store, history):
    weak = stats.weak_key_points(store, scope(store))
    # cost: expected on the 5 attempts at mine/a and mine/b, missed on all but 11-23 mine/a.
    # learned: expected on all 7 attempts, missed on 11-20 a, 11-21 c and 11-23 b.
    assert [(k.id, k.label, k.expected, k.missed) for k in weak] == [
        ("cost", "What it cost", 5, 4),
        ("learned", "What you learned", 7, 3),
    ]
    assert weak[0].miss_rate == pytest.approx(0.8)
    assert weak[1].miss_rate == pytest.approx(3 / 7)
    # Miss rate per practice day, oldest first: cost 11-20 2/2, 11-21 1/1, 11-23 1/2.
    assert weak[0].trend == pytest.approx((1.0, 1.0, 0.5))
    # learned: 10-30 0/1, 11-20 1/2, 11-21 1/2, 11-23 1/2.
    assert weak[1].trend == pytest.approx((0.0, 0.5, 0.5, 0.5))
    # The last three practice days of learned: 3 missed of 6.
    assert weak[1].recent_miss_rate == pytest.approx(0.5)
    assert weak[1].improving is None  # 0.5 against 0.43: no clear change
    assert weak[0].last_day == weak[1].last_day == "2026-11-23"


def test_weak_key_points_by_deck_and_days(store, history):
    other = stats.weak_key_points(store, scope(store, deck_id="other"))
    assert [(k.id, k.expected, k.missed) for k in other] == [("learned", 2, 1)]
    mine = stats.weak_key_points(store, scope(store, deck_id="mine"))
    assert [(k.id, k.expected, k.missed) for k in mine] == [("cost", 5, 4), ("learned", 5, 2)]
    # The last 3 study days are 11-21 .. 11-23: cost 2 of 3 missed, learned 2 of 4.
    recent = stats.weak_key_points(store, scope(store, days=3))
    assert [(k.id, k.expected, k.missed) for k in recent] == [("cost", 3, 2), ("learned", 4, 2)]
    # Today only: one miss of two for both; the tie goes to the id.
    today = stats.weak_key_points(store, scope(store, days=1))
    assert [(k.id, k.expected, k.missed) for k in today] == [("cost", 2, 1), ("learned", 2, 1)]


def test_red_flags(store, history):
    (blamed,) = stats.red_flag_counts(store, scope(store))
    assert (blamed.id, blamed.label, blamed.raised, blamed.last_day) == (
        "blamed", "Blaming someone", 2, "2026-11-23",
    )  # fmt: skip
    assert blamed.trend == (1, 1)  # raised once on 11-20 and once on 11-23
    assert stats.red_flag_counts(store, scope(store, deck_id="other")) == ()
    (today,) = stats.red_flag_counts(store, scope(store, days=1))
    assert today.raised == 1


def test_card_table(store, history):
    cards = {c.card_key: c for c in stats.card_table(store, scope(store))}
    assert set(cards) == {"mine/a", "mine/b", "other/c"}
    a, b, c = cards["mine/a"], cards["mine/b"], cards["other/c"]
    assert (a.reps, a.lapses, a.last_coverage) == (3, 0, 1.0)
    assert (b.reps, b.lapses, b.last_coverage, b.state) == (2, 1, 0.0, "relearning")
    assert (c.reps, c.last_coverage) == (2, 0.0)
    assert b.recent_again == 1 and a.recent_again == 1
    # Retrievability equals fsrs' own formula applied to the stored state.
    scheduler = scheduling.make_scheduler(fuzz=False)
    for figure in cards.values():
        state = queries.card_state(store, figure.card_key)
        assert figure.stability == state.stability
        assert figure.due == state.due
        assert figure.retrievability == pytest.approx(
            scheduling.retrievability(scheduler, state, FIXED_NOW)
        )
    # Deck filter; none of them is a leech.
    assert [c.card_key for c in stats.card_table(store, scope(store, deck_id="other"))] == [
        "other/c"
    ]
    assert all(c.leech is None for c in stats.card_table(store, scope(store)))


def test_card_table_is_ordered_by_retrievability_and_limited(store, history):
    table = stats.card_table(store, scope(store))
    values = [c.retrievability for c in table]
    assert values == sorted(values)
    assert stats.card_table(store, scope(store), limit=1) == table[:1]


def test_leech_flagged_after_repeated_again(store):
    clock = Clock()
    session = DrillSession(store, catalog(), clock=clock, fuzz=False, tz=UTC)
    card = session.catalog.card_by_key("mine/a")
    for _ in range(3):
        session.rate(card, EMPTY, session.grade(card, EMPTY), "again")
        clock.advance(minutes=2)
    (figure,) = stats.card_table(store, stats.make_scope(store, clock.now, tz=UTC))
    assert figure.recent_again == 3
    assert figure.leech is not None and "3 of its last 4" in figure.leech
    result = stats.collect_statistics(store, stats.make_scope(store, clock.now, tz=UTC))
    assert result.leeches == (figure,)


def test_review_heatmap_and_streak(store, history):
    calendar = stats.review_heatmap(store, scope(store, days=5))
    assert calendar.days == (
        ("2026-11-19", 0), ("2026-11-20", 2), ("2026-11-21", 2), ("2026-11-22", 0),
        ("2026-11-23", 2),
    )  # fmt: skip
    assert (calendar.total, calendar.days_studied, calendar.streak_days) == (6, 3, 1)
    assert calendar.per_study_day == 2.0
    full = stats.review_heatmap(store, scope(store))
    assert len(full.days) == stats.CALENDAR_DAYS
    assert full.days[-1] == ("2026-11-23", 2)
    assert (full.total, full.days_studied) == (7, 4)  # 10-30 counts too
    other = stats.review_heatmap(store, scope(store, deck_id="other"))
    assert [d for d, n in other.days if n] == ["2026-10-30", "2026-11-21"]


def test_due_forecast(store, history):
    forecast = stats.due_forecast(store, scope(store))
    assert len(forecast.days) == stats.FORECAST_DAYS
    assert forecast.days[0][0] == "2026-11-23"
    expected = [0] * stats.FORECAST_DAYS
    for rated in history.values():  # the due date each card got at its last rating
        offset = (rated.due.date() - TODAY).days
        if offset < stats.FORECAST_DAYS:
            expected[offset] += 1
    # mine/b was rated Again today: relearning, due in minutes, so it counts for today.
    assert history["mine/b"].due - FIXED_NOW < timedelta(hours=1)
    assert [n for _d, n in forecast.days] == expected
    assert forecast.days[0][1] >= 1
    # A year later every card is overdue, and overdue cards count for today.
    later = stats.due_forecast(store, stats.make_scope(store, FIXED_NOW + timedelta(days=365)))
    assert later.days[0][1] == 3 and later.total == 3
    assert stats.due_forecast(store, scope(store, deck_id="other")).total <= 1


def test_retention_by_month(store, history):
    # Reviews of cards in review state: 11-21 other/c (good) and 11-23 mine/b (again).
    (november,) = stats.retention_by_month(store, scope(store))
    assert (november.month, november.reviews, november.recalled) == ("2026-11", 2, 1)
    assert november.retention == 0.5
    (today,) = stats.retention_by_month(store, scope(store, days=1))
    assert (today.reviews, today.recalled) == (1, 0)
    assert stats.retention_by_month(store, scope(store, days=1, deck_id="other")) == ()


def test_answer_trends(store, history):
    days = stats.answer_trends(store, scope(store))
    assert [(d.day, d.answers) for d in days] == [
        ("2026-10-30", 1), ("2026-11-20", 2), ("2026-11-21", 2), ("2026-11-23", 2),
    ]  # fmt: skip
    today = days[-1]
    assert today.words == 6.0  # (8 + 4) / 2
    assert today.speaking_seconds == pytest.approx(6 / 130 * 60)
    assert today.coverage == 0.5  # (1.0 + 0.0) / 2
    assert today.within_advice == 0
    # With the catalog, only decks with question cards count: other/c's tip answers drop out.
    questions = stats.answer_trends(store, scope(store, catalog=catalog()))
    assert [(d.day, d.answers, d.words) for d in questions] == [
        ("2026-11-20", 2, 4.0), ("2026-11-21", 1, 4.0), ("2026-11-23", 2, 6.0),
    ]  # fmt: skip


def test_collect_statistics_and_json(store, history):
    result = stats.collect_statistics(store, scope(store), load_catalog(Path("/nonexistent")))
    assert not result.empty
    data = result.to_dict()
    assert [(k["id"], k["expected"], k["missed"]) for k in data["weak_key_points"]] == [
        ("cost", 5, 4), ("learned", 7, 3),
    ]  # fmt: skip
    assert data["red_flags"][0]["raised"] == 2
    assert data["practice"]["retention_by_month"] == [
        {"month": "2026-11", "reviews": 2, "recalled": 1, "retention": 0.5}
    ]
    assert set(stats.FIGURES) == {
        "weak_key_points", "red_flag_counts", "card_table", "review_heatmap", "due_forecast",
        "retention_by_month", "answer_trends", "answers_left_out",
    }  # fmt: skip


def test_empty_history(store):
    result = stats.collect_statistics(store, scope(store))
    assert result.empty
    assert result.weak_key_points == result.red_flags == result.cards == ()
    assert result.retention == result.answers == ()
    assert result.calendar.total == 0 and result.calendar.streak_days == 0
    assert result.calendar.per_study_day == 0.0
    assert result.forecast.total == 0


def test_days_must_be_positive(store):
    with pytest.raises(ValueError, match="days must be 1 or more"):
        stats.make_scope(store, FIXED_NOW, days=0)


def test_tips_and_pitfalls_name_built_in_cards():
    builtin = load_catalog(Path("/nonexistent"))  # no user decks: the built-in ones only
    for key in [*stats.KEY_POINT_TIPS.values(), *stats.RED_FLAG_PITFALLS.values()]:
        assert builtin.card_by_key(key) is not None, key
    question = builtin.card_by_key("failure-question/biggest-failure")
    assert {k.id for k in question.key_points} == set(stats.KEY_POINT_TIPS)
    assert {r.id for r in question.red_flags} == set(stats.RED_FLAG_PITFALLS)


# -- the tally the key point figures read --------------------------------------------------------
def raw_counts(store) -> list[tuple]:
    return [
        tuple(r)
        for r in store.query(
            "SELECT i.kind, i.item_id, r.deck_id, r.study_day, count(*), "
            "sum(CASE WHEN i.kind = 'key_point' THEN i.hit = 0 ELSE i.hit END) "
            "FROM reviews r JOIN attempt_items i ON i.attempt_id = r.attempt_id "
            "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
        )
    ]


def tally(store) -> list[tuple]:
    return [tuple(r) for r in store.query("SELECT * FROM item_tally ORDER BY 1, 2, 3, 4")]


def test_tally_follows_ratings_and_undo(store, clock):
    session = DrillSession(store, catalog(), clock=clock, fuzz=False, tz=UTC)
    card = session.catalog.card_by_key("mine/a")
    for answer in (BLAME, BOTH, LEARNED):
        session.rate(card, answer, session.grade(card, answer), "again")
    assert tally(store) == raw_counts(store)
    assert ("key_point", "cost", "mine", "2026-11-23", 3, 2) in tally(store)
    session.undo()
    session.undo()
    assert tally(store) == raw_counts(store)
    assert ("key_point", "cost", "mine", "2026-11-23", 1, 1) in tally(store)
    session.undo()
    assert tally(store) == raw_counts(store) == []


def test_tally_counts_items_written_after_their_review_and_deleted_directly(store):
    with store.write() as db:
        db.execute(
            "INSERT INTO attempts (id, card_key, deck_id, answered_at, answer, coverage, words, "
            "speaking_seconds, lesson_share, suggested_rating, grade_json) "
            "VALUES (1, 'd/c', 'd', '2026-11-23T12:00:00', '', 0, 0, 0, 0, 'again', '{}')"
        )
        db.execute(
            "INSERT INTO reviews (card_key, deck_id, attempt_id, reviewed_at, study_day, rating, "
            "state_before, state_after, due_after, interval_after_days, card_state_before) "
            "VALUES ('d/c', 'd', 1, '2026-11-23T12:00:00', '2026-11-23', 1, 'new', 'learning', "
            "'2026-11-23T12:01:00', 0.001, '{}')"
        )
        for item, hit in (("x", 0), ("y", 1)):
            db.execute(
                "INSERT INTO attempt_items VALUES (1, 'key_point', ?, ?, ?, NULL, "
                "'2026-11-23T12:00:00')",
                (item, item, hit),
            )
    assert tally(store) == raw_counts(store) == [
        ("key_point", "x", "d", "2026-11-23", 1, 1), ("key_point", "y", "d", "2026-11-23", 1, 0),
    ]  # fmt: skip
    with store.write() as db:
        db.execute("DELETE FROM attempt_items WHERE item_id = 'x'")
    assert tally(store) == raw_counts(store) == [("key_point", "y", "d", "2026-11-23", 1, 0)]


def test_migration_fills_the_tally_from_existing_history(tmp_path):
    path = tmp_path / "old.db"
    old = open_db(path)
    old.close()
    # Rebuild the file as failtui 0001 left it, with one rated attempt, then upgrade it.
    path.unlink()
    db = Database(path)
    migrations.apply(db, stop_before="0002_statistics")
    db.execute(
        "INSERT INTO attempts (id, card_key, deck_id, answered_at, answer, coverage, words, "
        "speaking_seconds, lesson_share, suggested_rating, grade_json) "
        "VALUES (7, 'd/c', 'd', '2026-11-23T12:00:00', '', 0, 0, 0, 0, 'again', '{}')"
    )
    db.execute(
        "INSERT INTO attempt_items VALUES (7, 'red_flag', 'blame', 'Blame', 1, NULL, "
        "'2026-11-23T12:00:00')"
    )
    db.execute(
        "INSERT INTO reviews (card_key, deck_id, attempt_id, reviewed_at, study_day, rating, "
        "state_before, state_after, due_after, interval_after_days, card_state_before) "
        "VALUES ('d/c', 'd', 7, '2026-11-23T12:00:00', '2026-11-22', 1, 'new', 'learning', "
        "'2026-11-23T12:01:00', 0.001, '{}')"
    )
    db.conn.commit()
    db.close()
    store = open_db(path)
    assert tally(store) == [("red_flag", "blame", "d", "2026-11-22", 1, 1)]
    store.close()


def _rated_attempt(db, attempt_id: int, deck: str, day: str, hits: dict[str, int]) -> None:
    """One rated attempt on ``day`` with the key point ``hits`` given, written as SQL rows."""
    db.execute(
        "INSERT INTO attempts (id, card_key, deck_id, answered_at, answer, coverage, words, "
        "speaking_seconds, lesson_share, suggested_rating, grade_json) "
        "VALUES (?, ?, ?, ?, '', 0.5, ?, 30, 0, 'good', '{}')",
        (attempt_id, f"{deck}/c", deck, f"{day}T12:00:00", attempt_id),
    )
    for item, hit in hits.items():
        db.execute(
            "INSERT INTO attempt_items VALUES (?, 'key_point', ?, ?, ?, NULL, ?)",
            (attempt_id, item, item.title(), hit, f"{day}T12:00:00"),
        )
    db.execute(
        "INSERT INTO reviews (card_key, deck_id, attempt_id, reviewed_at, study_day, rating, "
        "state_before, state_after, due_after, interval_after_days, card_state_before) "
        "VALUES (?, ?, ?, ?, ?, 3, 'new', 'learning', ?, 0.001, '{}')",
        (f"{deck}/c", deck, attempt_id, f"{day}T12:00:00", day, f"{day}T12:01:00"),
    )


def test_trend_keeps_the_last_practice_days_summed_over_decks(store):
    # 15 practice days of 'grit' (every other calendar day); on day i it is missed when i % 3 == 0.
    # Deck 'b' also practises it on the last two days: covered, then missed. 'calm' has 2 days.
    days = [(TODAY - timedelta(days=2 * (14 - i))).isoformat() for i in range(15)]
    with store.write() as db:
        for i, day in enumerate(days):
            _rated_attempt(db, 100 + i, "a", day, {"grit": int(i % 3 != 0)})
        _rated_attempt(db, 200, "b", days[-2], {"grit": 1, "calm": 0})
        _rated_attempt(db, 201, "b", days[-1], {"grit": 0, "calm": 1})
    weak = {k.id: k for k in stats.weak_key_points(store, scope(store))}
    grit = weak["grit"]
    last = range(15 - stats.TREND_POINTS, 15)
    assert grit.trend_days == tuple(days[i] for i in last)
    expected_trend = [1.0 if i % 3 == 0 else 0.0 for i in last]
    expected_trend[-1] = 0.5  # day 14: covered in 'a', missed in 'b'
    assert grit.trend == tuple(expected_trend)
    assert (grit.expected, grit.missed) == (17, 6)
    assert grit.recent_miss_rate == pytest.approx(2 / 5)  # days 12-14: 2 misses in 5 attempts
    assert (weak["calm"].trend, weak["calm"].trend_days) == ((1.0, 0.0), tuple(days[-2:]))
    # One deck's days only, and a window that starts inside the history.
    only_b = {k.id: k for k in stats.weak_key_points(store, scope(store, deck_id="b"))}
    assert only_b["grit"].trend == (0.0, 1.0)
    recent = {k.id: k for k in stats.weak_key_points(store, scope(store, days=5))}
    assert recent["grit"].trend_days == tuple(days[-3:])  # today, 2 and 4 days ago


def test_migration_0003_indexes_an_existing_database(tmp_path):
    path = tmp_path / "old.db"
    open_db(path).close()
    path.unlink()
    db = Database(path)
    migrations.apply(db, stop_before="0003_statistics_indexes")
    _rated_attempt(db, 1, "a", TODAY.isoformat(), {"grit": 0})
    db.conn.commit()
    db.close()
    store = open_db(path)
    try:
        names = {row[0] for row in store.query("SELECT name FROM sqlite_master")}
        assert {"idx_attempts_figures", "idx_item_tally_days"} <= names
        [day] = stats.answer_trends(store, scope(store))
        assert (day.day, day.answers, day.words, day.coverage) == (TODAY.isoformat(), 1, 1.0, 0.5)
        [grit] = stats.weak_key_points(store, scope(store))
        assert (grit.id, grit.trend, grit.trend_days) == ("grit", (1.0,), (TODAY.isoformat(),))
    finally:
        store.close()


def test_the_speaking_advice_applies_only_where_there_are_failure_question_cards(store):
    """The 2-3 minute advice is about the failure question (``models.is_failure_question``):
    not about a deck of other questions, nor about all decks when none holds that question."""
    builtin = load_catalog(None)  # the built-in decks: the failure question among them
    mine = DeckCatalog(decks=[*builtin.decks, *catalog().decks])

    def applies(catalog, deck_id=None):
        return scope(store, catalog=catalog, deck_id=deck_id).speaking_advice_applies

    assert [applies(mine, deck) for deck in (None, "failure-question", "mine", "other")] == [
        True,
        True,
        False,
        False,
    ]
    assert applies(catalog()) is False  # all decks, none of them the failure question's
    assert scope(store).speaking_advice_applies is True  # decks not known: as before
