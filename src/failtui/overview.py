"""The home screen's overview line: reviews today and the streak.

Kept out of :mod:`failtui.stats` (which re-exports it): the home screen needs it for its first
frame, and importing the statistics module, with its many figure dataclasses, costs about 7 ms
of start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from failtui.storage import queries
from failtui.storage.db import Store


def streak(days_desc: list[str], today: date) -> int:
    """Consecutive study days with a review, ending today (or yesterday, if today is not done)."""
    if not days_desc:
        return 0
    seen = {date.fromisoformat(d) for d in days_desc}
    day = today if today in seen else today - timedelta(days=1)
    count = 0
    while day in seen:
        count += 1
        day -= timedelta(days=1)
    return count


@dataclass(frozen=True)
class TodayOverview:
    """The figures the home screen shows: today's reviews and the streak."""

    reviews_today: int
    streak_days: int


def today_overview(store: Store, today: date) -> TodayOverview:
    """Reviews on the current study day and the current streak."""
    return TodayOverview(
        reviews_today=queries.count_reviews_on(store, today.isoformat()),
        streak_days=streak(queries.study_days_desc(store), today),
    )
