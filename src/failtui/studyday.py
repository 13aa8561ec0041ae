"""The user's study day, UTC timestamps and the scheduling settings, without fsrs.

What the home screen needs to count today's cards; :mod:`failtui.scheduling` re-exports all of
it next to the fsrs scheduler, which is imported only once a card is rated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import NamedTuple, overload

#: Beyond this the clock is surely wrong, and due dates (up to a century ahead) would overflow.
LATEST_SANE_CLOCK = datetime(9000, 1, 1, tzinfo=UTC)
#: The hour the study day starts at, unless the user sets ``day_starts_at``.
DEFAULT_ROLLOVER_HOUR = 4
#: Where the time comes from (tests pass a fixed clock).
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock, in UTC."""
    return datetime.now(UTC)


#: No deck with limits of its own (read-only: one shared default).
NO_DECK_LIMITS: Mapping[str, int] = MappingProxyType({})


# A NamedTuple, not a dataclass: it is defined on the way to home's first frame, where a
# dataclass costs several times as much to define.
class Settings(NamedTuple):
    """What the user may tune about scheduling."""

    desired_retention: float = 0.9
    new_per_day: int = 10
    reviews_per_day: int = 200
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR
    #: Decks with their own daily limits (each also within the overall one).
    deck_new_per_day: Mapping[str, int] = NO_DECK_LIMITS
    deck_reviews_per_day: Mapping[str, int] = NO_DECK_LIMITS
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


@overload
def parse_utc(text: str) -> datetime: ...
@overload
def parse_utc(text: str | None) -> datetime | None: ...
def parse_utc(text: str | None) -> datetime | None:
    """Parse an ISO timestamp written by :func:`format_utc` (None, or "", gives None)."""
    if not text:
        return None
    return datetime.fromisoformat(text).astimezone(UTC)


def read_stored_utc(text: str | None) -> datetime | None:
    """A stored timestamp as a UTC datetime, forgiving what failtui never writes itself.

    The database may have been edited by hand or by another tool: a time without a zone is
    taken as UTC (failtui stores UTC), and text that is no timestamp gives None, as no time
    does, so one odd row never stops a drill.
    """
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a fixed width, so stored timestamps sort as text."""
    return require_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def study_day(
    now: datetime, rollover_hour: int = DEFAULT_ROLLOVER_HOUR, tz: tzinfo | None = None
) -> date:
    """The user's study day: the local date, but before ``rollover_hour`` it is yesterday."""
    local = require_utc(now).astimezone(tz)  # tz None: the machine's local zone
    return (local - timedelta(hours=rollover_hour)).date()


def next_day_start(
    now: datetime, rollover_hour: int = DEFAULT_ROLLOVER_HOUR, tz: tzinfo | None = None
) -> datetime:
    """The UTC moment the next study day begins (used for burying and "due today")."""
    return study_day_start(study_day(now, rollover_hour, tz) + timedelta(days=1), rollover_hour, tz)


def study_day_start(
    day: date, rollover_hour: int = DEFAULT_ROLLOVER_HOUR, tz: tzinfo | None = None
) -> datetime:
    """The UTC moment study day ``day`` begins: ``rollover_hour`` on that local date."""
    wall_clock = datetime.combine(day, time(rollover_hour))
    # The offset is looked up for that wall-clock time, which may differ across a DST change.
    local = wall_clock.astimezone() if tz is None else wall_clock.replace(tzinfo=tz)
    return local.astimezone(UTC)


def day_start(
    now: datetime, rollover_hour: int = DEFAULT_ROLLOVER_HOUR, tz: tzinfo | None = None
) -> datetime:
    """The UTC moment the current study day began."""
    return next_day_start(now, rollover_hour, tz) - timedelta(days=1)


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
