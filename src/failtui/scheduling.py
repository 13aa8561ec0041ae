"""Spaced repetition with FSRS (py-fsrs).

The study day, UTC timestamps and the scheduling settings live in :mod:`failtui.studyday`
(re-exported here), so the home screen can count without importing fsrs.

py-fsrs wants ``timezone.utc`` datetimes (not ``ZoneInfo("UTC")``) and its own card ids; this
module converts between its ``Card`` and our stored :class:`~failtui.models.CardState` so the rest
of failtui never touches fsrs directly.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from random import Random

from fsrs import Card as FsrsCard
from fsrs import Rating as FsrsRating
from fsrs import Scheduler, State

from failtui.models import CardState, Rating

# Re-exported (``X as X``): the scheduling API in one place.
from failtui.studyday import DEFAULT_ROLLOVER_HOUR as DEFAULT_ROLLOVER_HOUR
from failtui.studyday import Settings as Settings
from failtui.studyday import day_start as day_start
from failtui.studyday import format_interval as format_interval
from failtui.studyday import format_utc as format_utc
from failtui.studyday import next_day_start as next_day_start
from failtui.studyday import parse_utc as parse_utc
from failtui.studyday import read_stored_utc as read_stored_utc
from failtui.studyday import require_utc as require_utc
from failtui.studyday import study_day as study_day
from failtui.studyday import study_day_start as study_day_start

RATINGS: dict[str, FsrsRating] = {r.label: FsrsRating(r.value) for r in Rating}
_STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}
_STATES = {name: state for state, name in _STATE_NAMES.items()}


#: The settings of a user who has changed none.
DEFAULT_SETTINGS = Settings()


def make_scheduler(settings: Settings = DEFAULT_SETTINGS, *, fuzz: bool = True) -> Scheduler:
    """An fsrs Scheduler with the user's desired retention (and fitted parameters, if any);
    tests pass ``fuzz=False``."""
    if settings.parameters is not None:
        return Scheduler(
            parameters=settings.parameters,
            desired_retention=settings.desired_retention,
            enable_fuzzing=fuzz,
        )
    return Scheduler(desired_retention=settings.desired_retention, enable_fuzzing=fuzz)


def _fsrs_id(card_key: str) -> int:
    # A stable id of our own: fsrs' default id sleeps a millisecond per card.
    return zlib.crc32(card_key.encode()) + 1


def to_fsrs(state: CardState, now: datetime) -> FsrsCard:
    """The fsrs card for a stored state (a new card is a fresh fsrs card due now)."""
    if state.state == "new":
        return FsrsCard(card_id=_fsrs_id(state.card_key), due=require_utc(now))
    return FsrsCard(
        card_id=_fsrs_id(state.card_key),
        state=_STATES[state.state],
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        # Read forgivingly: a time edited by hand into something unreadable is taken as now
        # (due) or unknown (last review) rather than stopping the rating.
        due=read_stored_utc(state.due) or require_utc(now),
        last_review=read_stored_utc(state.last_review),
    )


@contextmanager
def _fuzz_of(state: CardState) -> Iterator[None]:
    """The scheduler's fuzz drawn from the card and its number of reviews, as Anki does.

    py-fsrs draws it from the global random generator, so the same card in the same state
    showed another interval each time the drill was opened. py-fsrs reads ``random`` from its
    module at each review; the test of stable intervals fails if that ever changes.
    """
    import fsrs.scheduler as fsrs_scheduler

    # Not part of py-fsrs' API (hence the ignores): the module's own name for its draw.
    drawn = fsrs_scheduler.random  # type: ignore[attr-defined]
    fsrs_scheduler.random = Random(f"{state.card_key}:{state.reps}").random  # type: ignore[attr-defined]
    try:
        yield
    finally:
        fsrs_scheduler.random = drawn  # type: ignore[attr-defined]


def review(scheduler: Scheduler, state: CardState, rating: str, now: datetime) -> CardState:
    """The card state after rating it ``rating`` at ``now``."""
    now = require_utc(now)
    with _fuzz_of(state):
        card, _log = scheduler.review_card(to_fsrs(state, now), RATINGS[rating], now)
    return replace(
        state,
        state=_STATE_NAMES[card.state],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=format_utc(card.due),
        last_review=format_utc(now),
        reps=state.reps + 1,
        lapses=state.lapses + (1 if rating == "again" and state.state == "review" else 0),
    )


def preview(scheduler: Scheduler, state: CardState, now: datetime) -> dict[str, CardState]:
    """The card state each rating would give at ``now``."""
    return {name: review(scheduler, state, name, now) for name in RATINGS}


def preview_intervals(
    scheduler: Scheduler, state: CardState, now: datetime
) -> dict[str, timedelta]:
    """For each rating, the time until the card would be due again (as Anki's buttons show)."""
    now = require_utc(now)
    return {name: due_of(after) - now for name, after in preview(scheduler, state, now).items()}


def due_of(state: CardState) -> datetime:
    """When a rated card is due again (a card that has been rated always has a due time)."""
    if state.due is None:
        raise ValueError(f"{state.card_key}: a {state.state} card with no due time")
    return parse_utc(state.due)


def recall_after(scheduler: Scheduler, elapsed_days: float, stability: float) -> float:
    """FSRS's chance of recall ``elapsed_days`` (fractions count) after a review that left the
    card at ``stability``, on the scheduler's own forgetting curve."""
    decay = -scheduler.parameters[20]  # FSRS 6: w[20] is the curve's decay
    factor = 0.9 ** (1 / decay) - 1
    return float((1 + factor * max(0.0, elapsed_days) / stability) ** decay)


def retrievability(scheduler: Scheduler, state: CardState, now: datetime) -> float | None:
    """The probability of recall at ``now``, or None for a card never reviewed."""
    last_review = read_stored_utc(state.last_review)
    if state.state == "new" or state.stability is None or last_review is None:
        return None
    # Not py-fsrs' get_card_retrievability: it counts whole days, so a card failed an hour
    # before with a stability of hours stayed at 100% until a full day had passed.
    elapsed = (require_utc(now) - last_review) / timedelta(days=1)
    return recall_after(scheduler, elapsed, state.stability)
