"""Time faults, with fixed clocks: DST changes, a time zone change between sessions, a clock set
back before the last review. Due dates stay sane and no rating is dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from failtui.decks.catalog import load_catalog
from failtui.scheduling import Settings, next_day_start, parse_utc, study_day
from failtui.session import DrillSession
from failtui.storage import open_db
from tests.conftest import Clock

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def store(tmp_path, copy_migrated_db):
    store = open_db(copy_migrated_db(tmp_path / "failtui.db"))
    yield store
    store.close()


def session(store, clock, tz, **settings) -> DrillSession:
    return DrillSession(
        store,
        load_catalog(None),
        clock=clock,
        tz=tz,
        fuzz=False,
        ahead=True,
        settings=Settings(**settings),
    )


def rate_next(drill: DrillSession, rating: str = "good"):
    card = drill.next_card()
    answer = "I learned to check twice."
    return drill.rate(card, answer, drill.grade(card, answer), rating)


@pytest.mark.parametrize(
    ("now", "expected_utc"),
    [
        # Spring forward (2026-03-29): the day starts at 04:00 CEST, 02:00 UTC.
        (datetime(2026, 3, 28, 20, 0, tzinfo=UTC), datetime(2026, 3, 29, 2, 0, tzinfo=UTC)),
        # Fall back (2026-10-25): the day starts at 04:00 CET, 03:00 UTC.
        (datetime(2026, 10, 24, 20, 0, tzinfo=UTC), datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
        # In the repeated hour itself (02:30 CEST, then 02:30 CET): still the 24th's study day.
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), datetime(2026, 10, 25, 3, 0, tzinfo=UTC)),
    ],
)
def test_the_study_day_rolls_over_at_local_4am_across_dst(now, expected_utc):
    assert next_day_start(now, 4, BERLIN) == expected_utc
    assert study_day(expected_utc, 4, BERLIN) == study_day(now, 4, BERLIN) + timedelta(days=1)
    assert study_day(expected_utc - timedelta(seconds=1), 4, BERLIN) == study_day(now, 4, BERLIN)


DST_EVES = [datetime(2026, 3, 28, 22, tzinfo=UTC), datetime(2026, 10, 24, 22, tzinfo=UTC)]


@pytest.mark.parametrize("start", DST_EVES, ids=["spring", "fall"])
def test_drilling_through_a_dst_change_keeps_every_rating_and_sane_dues(store, start):
    clock = Clock(start)
    drill = session(store, clock, BERLIN, new_per_day=100)
    days = []
    for _ in range(12):  # one rating every 30 minutes, through the change
        rated = rate_next(drill, "good")
        assert rated.due > clock.now
        days.append(drill.today())
        clock.advance(minutes=30)
    assert days == sorted(days)  # the study day never goes backwards
    assert store.query("SELECT count(*) FROM reviews")[0][0] == 12
    for row in store.query("SELECT reviewed_at, due_after FROM reviews"):
        assert parse_utc(row["due_after"]) > parse_utc(row["reviewed_at"])


def test_a_time_zone_change_between_sessions(store):
    clock = Clock(datetime(2026, 6, 1, 20, 0, tzinfo=UTC))  # 22:00 in Berlin, June 1st
    berlin = session(store, clock, BERLIN, new_per_day=3)
    dues = [rate_next(berlin).due for _ in range(3)]
    assert berlin.counts().new == 0  # the day's new cards are used up
    # Flown to New York: 18:00 there, still June 1st: the limit is still used up.
    clock.advance(hours=2)
    new_york = session(store, clock, NEW_YORK, new_per_day=3)
    assert new_york.today() == berlin.today() == "2026-06-01"
    assert new_york.counts().new == 0
    # On to Tokyo: 07:00 on June 2nd there: a new study day, new cards again.
    tokyo = session(store, clock, TOKYO, new_per_day=3)
    assert tokyo.today() == "2026-06-02"
    assert tokyo.counts().new == 3
    # Dues are stored in UTC: the moves changed none of them, and no rating was lost.
    stored = sorted(parse_utc(r[0]) for r in store.query("SELECT due FROM card_state"))
    assert stored == sorted(dues)
    assert store.query("SELECT count(*) FROM reviews")[0][0] == 3


def test_a_clock_set_back_before_the_last_review(store):
    clock = Clock(datetime(2026, 5, 1, 12, 0, tzinfo=UTC))
    drill = session(store, clock, UTC)
    first = rate_next(drill, "good")
    card = first.card
    clock.advance(days=1)
    answer = "I learned to ask."
    drill.rate(card, answer, drill.grade(card, answer), "good")
    before = drill.state(card)
    clock.advance(days=-400)  # the clock is set back more than a year
    for rating in ("good", "again", "hard", "easy"):
        rated = drill.rate(card, answer, drill.grade(card, answer), rating)
        state = drill.state(card)
        assert rated.due > clock.now  # due after "now", whatever now is
        assert state.stability > 0 and 1 <= state.difficulty <= 10
    rows = store.query("SELECT interval_before_days, rating FROM reviews ORDER BY id")
    assert [r["rating"] for r in rows] == [3, 3, 3, 1, 2, 4]  # every rating kept
    assert all(r["interval_before_days"] is None or r["interval_before_days"] >= 0 for r in rows)
    # Undo still restores the state exactly, back to before the clock moved.
    for _ in range(4):
        drill.undo()
    assert drill.state(card) == before
