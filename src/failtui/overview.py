"""What the home screen shows: each deck's counts for today, today's reviews and the streak.

Kept out of :mod:`failtui.session` and :mod:`failtui.stats` (which use and re-export it): the
home screen needs it for its first frame, and those modules import fsrs, the models and the
statistics' figure dataclasses, which the first frame does not need.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

from failtui.decks.sources import STORY_DECK_ID
from failtui.storage import home_counts, home_queries
from failtui.storage.db import Store
from failtui.storage.stories import paused_story_keys
from failtui.studyday import Settings, format_utc, next_day_start, require_utc, study_day


def streak(days_desc: Iterable[str], today: date) -> int:
    """Consecutive study days with a review, ending today (or yesterday, if today is not done).

    ``days_desc`` are distinct ISO days, newest first; reading stops at the first gap.
    """
    count = 0
    expected: date | None = None
    for text in days_desc:
        day = date.fromisoformat(text)
        if day > today:
            continue
        if expected is None:
            if today - day > timedelta(days=1):
                return 0
            expected = day
        if day != expected:
            break
        count += 1
        expected -= timedelta(days=1)
    return count


# A NamedTuple, not a dataclass: it is defined on the way to home's first frame, where a
# dataclass costs several times as much to define.
class TodayOverview(NamedTuple):
    """The figures the home screen shows: today's reviews and the streak."""

    reviews_today: int
    streak_days: int


def today_overview(store: Store, today: date) -> TodayOverview:
    """Reviews on the current study day and the current streak."""
    with home_queries.study_days_to(store, today.isoformat()) as days:
        streak_days = streak(days, today)
    return TodayOverview(
        reviews_today=home_queries.count_reviews_on(store, today.isoformat()),
        streak_days=streak_days,
    )


def drill_card_ids(
    store: Store, ids_by_deck: Mapping[str, Sequence[str]]
) -> dict[str, Sequence[str]]:
    """The card ids by deck that a daily drill draws from: without the paused stories.

    Only the active story (if one is chosen) is in the daily drill; see storage.stories.
    """
    story_ids = ids_by_deck.get(STORY_DECK_ID)
    if not story_ids:
        return dict(ids_by_deck)
    paused = paused_story_keys(store, {f"{STORY_DECK_ID}/{c}" for c in story_ids})
    if not paused:
        return dict(ids_by_deck)
    return dict(ids_by_deck) | {
        STORY_DECK_ID: [c for c in story_ids if f"{STORY_DECK_ID}/{c}" not in paused]
    }


# A NamedTuple, not a dataclass: it is defined on the way to home's first frame, where a
# dataclass costs several times as much to define.
class DeckCounts(NamedTuple):
    """What a deck holds for today: cards never seen, in learning, and due for review."""

    new: int = 0
    learning: int = 0
    due: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


def count_decks(
    store: Store,
    ids_by_deck: Mapping[str, Iterable[str]],
    settings: Settings,
    now: datetime,
    tz: tzinfo | None = None,
    *,
    recount: bool = False,
) -> dict[str | None, DeckCounts]:
    """New and due (within today's limits), and learning counts of each deck, and of all under
    None.

    Only card ids are needed, never the cards. A stored card no longer in its deck is not
    counted. The daily limits are shared (a rating of a card in its learning steps counts as a
    review, as in the drill), so the all-decks counts are not sums: they are what the drill
    can still show today.
    The counts come from the per-deck tallies the database keeps (a few rows); with
    ``recount``, or where those cannot be brought up to date (a read-only database), from every
    stored card state. The two always agree.
    """
    now = require_utc(now)
    end_of_day = format_utc(next_day_start(now, settings.rollover_hour, tz))
    tallies = None
    if not recount:
        tallies = home_counts.deck_tallies(store, ids_by_deck, format_utc(now), end_of_day)
    if tallies is None:
        tallies = _recount(store, ids_by_deck, format_utc(now), end_of_day)
    today = study_day(now, settings.rollover_hour, tz).isoformat()
    per_deck = home_queries.counts_by_deck_on(store, today)
    new_left = max(0, settings.new_per_day - sum(n for n, _r in per_deck.values()))
    reviews_left = max(0, settings.reviews_per_day - sum(r for _n, r in per_deck.values()))

    counts: dict[str | None, DeckCounts] = {}
    new_all = learning_all = due_all = 0
    for deck_id, tally in tallies.items():
        new_done, reviews_done = per_deck.get(deck_id, (0, 0))
        new = _within(tally.cards - tally.not_new, settings.deck_new_per_day.get(deck_id), new_done)
        due = _within(tally.due, settings.deck_reviews_per_day.get(deck_id), reviews_done)
        counts[deck_id] = DeckCounts(
            new=min(new, new_left), learning=tally.learning, due=min(due, reviews_left)
        )
        new_all += new
        learning_all += tally.learning
        due_all += due
    counts[None] = DeckCounts(
        new=min(new_all, new_left), learning=learning_all, due=min(due_all, reviews_left)
    )
    return counts


def _within(cards: int, deck_limit: int | None, done: int) -> int:
    """``cards``, no more than a deck's own daily limit still lets in (``done`` used today)."""
    return cards if deck_limit is None else min(cards, max(0, deck_limit - done))


def _recount(
    store: Store, ids_by_deck: Mapping[str, Iterable[str]], now_iso: str, end_iso: str
) -> dict[str, home_counts.DeckTally]:
    """The decks' tallies counted from every stored card state and the decks' card ids."""
    card_ids = {deck_id: set(ids) for deck_id, ids in ids_by_deck.items()}
    tallies = {deck_id: home_counts.DeckTally(len(ids)) for deck_id, ids in card_ids.items()}
    with home_queries.card_tallies(store, now_iso, end_iso) as rows:
        for key, kind in rows:
            deck_id, _, card_id = key.partition("/")
            ids = card_ids.get(deck_id)
            if ids is None or card_id not in ids:
                continue  # a card no longer in its deck, or outside this count
            tally = tallies[deck_id]
            tally.not_new += 1
            if kind == home_queries.LEARNING:
                tally.learning += 1
            elif kind == home_queries.DUE:
                tally.due += 1
    return tallies
