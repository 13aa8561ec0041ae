"""FSRS wrapping, the study day and intervals, with fixed clocks and no fuzzing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from failtui import scheduling
from failtui.models import CardState
from failtui.storage.queries import new_state
from failtui.studyday import read_stored_utc

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        scheduling.require_utc(datetime(2026, 1, 1))


def test_zoneinfo_utc_is_converted_to_timezone_utc():
    moment = scheduling.require_utc(datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))
    assert moment.tzinfo is UTC


def test_new_card_intervals_without_fuzz():
    scheduler = scheduling.make_scheduler(fuzz=False)
    intervals = scheduling.preview_intervals(scheduler, new_state("d/c"), NOW)
    assert intervals["again"] == timedelta(minutes=1)
    assert intervals["good"] == timedelta(minutes=10)
    assert intervals["easy"] >= timedelta(days=1)
    assert intervals["again"] < intervals["hard"] < intervals["good"] < intervals["easy"]


def test_review_history_is_deterministic():
    scheduler = scheduling.make_scheduler(fuzz=False)
    state: CardState = new_state("d/c")
    now = NOW
    dues = []
    for rating in ("good", "good", "good", "again", "good"):
        state = scheduling.review(scheduler, state, rating, now)
        due = scheduling.parse_utc(state.due)
        dues.append(due - now)
        now = due
    assert state.reps == 5
    assert state.lapses == 1
    assert dues[0] == timedelta(minutes=10)
    assert dues[2] > timedelta(days=1)
    # Same inputs, same outputs.
    again = new_state("d/c")
    now2 = NOW
    for rating in ("good", "good", "good", "again", "good"):
        again = scheduling.review(scheduler, again, rating, now2)
        now2 = scheduling.parse_utc(again.due)
    assert again == state


def test_stored_timestamps_sort_as_text():
    early = scheduling.format_utc(datetime(2026, 1, 1, 9, tzinfo=UTC))
    late = scheduling.format_utc(datetime(2026, 1, 1, 10, 0, 0, 1, tzinfo=UTC))
    assert early < late
    assert scheduling.parse_utc(late).tzinfo is UTC


@pytest.mark.parametrize(
    ("local_time", "expected_day"),
    [
        ("2026-11-23T03:59", "2026-11-22"),
        ("2026-11-23T04:00", "2026-11-23"),
        ("2026-11-23T23:59", "2026-11-23"),
    ],
)
def test_study_day_rolls_over_at_local_hour(local_time, expected_day):
    tz = ZoneInfo("Europe/Berlin")
    moment = datetime.fromisoformat(local_time).replace(tzinfo=tz)
    assert scheduling.study_day(moment, 4, tz).isoformat() == expected_day


def test_next_day_start_across_dst_change():
    tz = ZoneInfo("Europe/Berlin")
    # The night of 24-25 October 2026 has 25 hours in Berlin.
    moment = datetime(2026, 10, 24, 12, tzinfo=tz)
    start = scheduling.next_day_start(moment, 4, tz)
    assert start.astimezone(tz) == datetime(2026, 10, 25, 4, tzinfo=tz)
    assert start.tzinfo is UTC


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=75), "2.5mo"),
        (timedelta(days=730), "2y"),
    ],
)
def test_format_interval(delta, text):
    assert scheduling.format_interval(delta) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-23T10:00:00.000000+00:00", datetime(2026, 11, 23, 10, tzinfo=UTC)),
        ("2026-11-23T12:00:00+02:00", datetime(2026, 11, 23, 10, tzinfo=UTC)),
        ("2026-11-23T10:00:00Z", datetime(2026, 11, 23, 10, tzinfo=UTC)),
        ("2026-11-23 10:00:00", datetime(2026, 11, 23, 10, tzinfo=UTC)),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_a_stored_time_is_read_as_utc_and_an_unreadable_one_as_none(text, expected):
    moment = read_stored_utc(text)
    assert moment == expected
    if moment is not None:
        assert moment.tzinfo is UTC


def test_a_card_whose_stored_times_were_made_unreadable_can_still_be_rated():
    scheduler = scheduling.make_scheduler(fuzz=False)
    state = scheduling.review(scheduler, new_state("d/c"), "easy", NOW)
    readable = scheduling.review(scheduler, state, "good", NOW + timedelta(days=3))
    # Edited by hand: the due time is taken as the moment of rating, the last review unknown.
    edited = dataclasses.replace(state, due="soon", last_review="a while ago")
    later = NOW + timedelta(days=3)
    after = scheduling.review(scheduler, edited, "good", later)
    assert after.last_review == scheduling.format_utc(later)
    assert after.state == readable.state == "review"
    # Rated as a new review from the moment of rating (fuzz off, so exact).
    assert after.due == "2028-03-10T12:00:00.000000+00:00"


def _in_review(card_key: str) -> CardState:
    return CardState(
        card_key=card_key,
        state="review",
        due=scheduling.format_utc(NOW),
        stability=30.0,
        difficulty=5.0,
        last_review=scheduling.format_utc(NOW - timedelta(days=30)),
        reps=4,
    )


def _good(state: CardState) -> timedelta:
    return scheduling.preview_intervals(scheduling.make_scheduler(), state, NOW)["good"]


def test_the_fuzz_is_the_same_each_time_the_same_card_is_shown_in_the_same_state():
    shown = [
        scheduling.preview_intervals(scheduling.make_scheduler(), _in_review("d/c"), NOW)
        for _ in range(5)
    ]
    assert all(intervals == shown[0] for intervals in shown)
    # Still a fuzz: other cards in the same state are spread over several days...
    cards = [_in_review(f"d/c{n}") for n in range(30)]
    goods = [_good(card) for card in cards]
    assert len(set(goods)) >= 3
    # ... and the next review of a card draws its fuzz again.
    again = [_good(dataclasses.replace(card, reps=5)) for card in cards]
    assert again != goods
