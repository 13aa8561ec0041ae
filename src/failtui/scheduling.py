"""Spaced repetition with FSRS (py-fsrs), plus the user's study day.

py-fsrs wants ``timezone.utc`` datetimes (not ``ZoneInfo("UTC")``) and its own card ids; this
module converts between its ``Card`` and our stored :class:`~failtui.models.CardState` so the rest
of failtui never touches fsrs directly.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from failtui.models import CardState

RATINGS: dict[str, Rating] = {
    "again": Rating.Again,
    "hard": Rating.Hard,
    "good": Rating.Good,
    "easy": Rating.Easy,
}
_STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}
_STATES = {name: state for state, name in _STATE_NAMES.items()}


@dataclass(frozen=True)
class Settings:
    """What the user may tune about scheduling."""

    desired_retention: float = 0.9
    new_per_day: int = 10
    reviews_per_day: int = 200
    rollover_hour: int = 4
    #: Decks with their own daily limits (each also within the overall one).
    deck_new_per_day: dict[str, int] = field(default_factory=dict)
    deck_reviews_per_day: dict[str, int] = field(default_factory=dict)
    #: "All decks" takes one card of each deck in turn, rather than deck after deck.
    interleave: bool = False
    #: FSRS parameters fitted to the user's reviews (``failtui optimize``), or None: fsrs' own.
    parameters: tuple[float, ...] | None = None


def require_utc(moment: datetime) -> datetime:
    """Return ``moment`` in ``timezone.utc``; naive datetimes are refused.

    Raises:
        ValueError: ``moment`` has no time zone.
    """
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: failtui needs time-zone-aware datetimes")
    return moment.astimezone(UTC)


def parse_utc(text: str | None) -> datetime | None:
    """Parse an ISO timestamp written by :func:`format_utc`."""
    if not text:
        return None
    return datetime.fromisoformat(text).astimezone(UTC)


def format_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a fixed width, so stored timestamps sort as text."""
    return require_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def study_day(now: datetime, rollover_hour: int = 4, tz: tzinfo | None = None) -> date:
    """The user's study day: the local date, but before ``rollover_hour`` it is yesterday."""
    local = require_utc(now).astimezone(tz)  # tz None: the machine's local zone
    return (local - timedelta(hours=rollover_hour)).date()


def next_day_start(now: datetime, rollover_hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """The UTC moment the next study day begins (used for burying and "due today")."""
    return study_day_start(study_day(now, rollover_hour, tz) + timedelta(days=1), rollover_hour, tz)


def study_day_start(day: date, rollover_hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """The UTC moment study day ``day`` begins: ``rollover_hour`` on that local date."""
    wall_clock = datetime.combine(day, time(rollover_hour))
    # The offset is looked up for that wall-clock time, which may differ across a DST change.
    local = wall_clock.astimezone() if tz is None else wall_clock.replace(tzinfo=tz)
    return local.astimezone(UTC)


def day_start(now: datetime, rollover_hour: int = 4, tz: tzinfo | None = None) -> datetime:
    """The UTC moment the current study day began."""
    return next_day_start(now, rollover_hour, tz) - timedelta(days=1)


def make_scheduler(settings: Settings = Settings(), *, fuzz: bool = True) -> Scheduler:
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
        due=parse_utc(state.due),
        last_review=parse_utc(state.last_review),
    )


def review(scheduler: Scheduler, state: CardState, rating: str, now: datetime) -> CardState:
    """The card state after rating it ``rating`` at ``now``."""
    now = require_utc(now)
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
    return {
        name: parse_utc(after.due) - now for name, after in preview(scheduler, state, now).items()
    }


def retrievability(scheduler: Scheduler, state: CardState, now: datetime) -> float | None:
    """The probability of recall now, or None for a card never reviewed."""
    if state.state == "new" or state.stability is None:
        return None
    return scheduler.get_card_retrievability(to_fsrs(state, now), require_utc(now))


def format_interval(delta: timedelta) -> str:
    """A short human interval: ``<1m``, ``10m``, ``3h``, ``4d``, ``2.5mo``, ``1.2y``."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
