"""Which card a drill shows next, and when the next one will come. No UI, no grading here.

The queue has four parts, shown in this order: learning cards due now, reviews due today (within
the daily limits), new cards (within the daily limits, an interview's decks first), then learning
cards due within :data:`LEARN_AHEAD`. Cards due at the same moment come in deck order. A card left
with a draft comes first if it is anywhere in the queue. A hidden card (suspended, or buried until
a later moment) is in no part of it.

Times are aware UTC datetimes throughout; :mod:`failtui.storage.queue_queries` turns them into the
stored text and back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import IntEnum
from heapq import heapify, heappop, heappush
from itertools import zip_longest
from typing import TYPE_CHECKING, NamedTuple

from failtui.storage import queries, queue_queries
from failtui.storage.db import Store
from failtui.studyday import (
    Settings,
    next_day_start,
    read_stored_utc,
    study_day,
    study_day_start,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager

    from failtui.models import CardState
    from failtui.storage.interviews import Interview
    from failtui.storage.queue_queries import QueueRow

#: Learning cards due within this time are shown when nothing else is left (as Anki does).
LEARN_AHEAD = timedelta(minutes=20)
#: How many never-rated cards one query checks while looking for the next new card.
NEW_CARDS_CHECKED_AT_ONCE = 32


class QueuePart(IntEnum):
    """The parts of the queue, in the order they are shown."""

    LEARNING = 0
    REVIEW = 1
    NEW = 2
    LEARNING_AHEAD = 3


@dataclass(frozen=True, order=True)
class QueuePlace:
    """Where a card stands in the queue; the smallest place is shown first.

    Compared field by field: the part, then (learning and review cards) the due time, then
    (new cards) the rank among today's new cards, then the position in the drill's deck order.
    """

    part: QueuePart
    due: datetime | None
    new_rank: int
    position: int


@dataclass(frozen=True)
class TodayCounts:
    """What was studied on a study day, overall and per deck, and which limits are reached."""

    new: int
    reviews: int
    new_closed: frozenset[str]  # decks whose own new-card limit is reached
    reviews_closed: frozenset[str]  # decks whose own review limit is reached


class PlannedCard(NamedTuple):
    """A card seen before, as a count of the study days ahead takes it (see
    :func:`reviews_shown_per_day`)."""

    due: datetime
    #: Its place in the drill's deck order: of cards due at the same moment, the first is shown
    #: first.
    position: int
    key: str
    #: Study days from today to the day the drill can first show it (0: today).
    day: int
    #: In its learning steps (learning or relearning): shown whatever the daily limits.
    learning: bool


def reviews_open(reviews_done: int, settings: Settings) -> bool:
    """Whether the overall daily review limit lets another review in, ``reviews_done`` done on
    the study day (a rating of a card in its learning steps counts as a review)."""
    return reviews_done < settings.reviews_per_day


def deck_reviews_open(deck_id: str, reviews_done: int, settings: Settings) -> bool:
    """Whether ``deck_id``'s own daily review limit, if it has one, lets another of its reviews
    in, ``reviews_done`` of them done on the study day."""
    limit = settings.deck_reviews_per_day.get(deck_id)
    return limit is None or reviews_done < limit


def reviews_shown_per_day(
    cards: Iterable[PlannedCard],
    days: int,
    settings: Settings,
    reviews_today: int = 0,
    deck_reviews_today: Mapping[str, int] | None = None,
) -> dict[str, list[int]]:
    """How many of ``cards`` the drill shows on each of the ``days`` study days from today, by
    deck (a deck none of whose cards is shown is left out), if each is rated once and then not
    due again before the last day.

    As :meth:`DrillQueue.next_key` takes them: a card in its learning steps on its day whatever
    the limits, its rating counting against them as a review's; then reviews, earliest due
    first, while the overall limit is open, passing over a deck whose own limit is reached; a
    review held back waits for the next day. ``reviews_today`` (overall) and
    ``deck_reviews_today`` (by deck) were done today already.
    """
    learning: list[list[str]] = [[] for _ in range(days)]
    arriving: list[list[PlannedCard]] = [[] for _ in range(days)]
    for card in cards:
        if 0 <= card.day < days:
            if card.learning:
                learning[card.day].append(deck_of(card.key))
            else:
                arriving[card.day].append(card)
    shown: dict[str, list[int]] = {}
    # Each deck's reviews waiting to be shown, (due, position), earliest first.
    waiting: dict[str, list[tuple[datetime, int]]] = {}
    for day in range(days):
        # Reviews done on the day, by deck: learning cards first, as the queue shows them.
        done = Counter(deck_reviews_today or {}) if day == 0 else Counter()
        done.update(learning[day])
        total = (reviews_today if day == 0 else 0) + len(learning[day])
        for deck_id in learning[day]:
            shown.setdefault(deck_id, [0] * days)[day] += 1
        for card in arriving[day]:
            heappush(waiting.setdefault(deck_of(card.key), []), (card.due, card.position))
        # The next review of each deck still open, earliest first.
        heads = [
            (queue[0], deck_id)
            for deck_id, queue in waiting.items()
            if queue and deck_reviews_open(deck_id, done[deck_id], settings)
        ]
        heapify(heads)
        while heads and reviews_open(total, settings):
            _head, deck_id = heappop(heads)
            queue = waiting[deck_id]
            heappop(queue)
            shown.setdefault(deck_id, [0] * days)[day] += 1
            done[deck_id] += 1
            total += 1
            if queue and deck_reviews_open(deck_id, done[deck_id], settings):
                heappush(heads, (queue[0], deck_id))
    return shown


def is_hidden(suspended: bool, buried_until: datetime | None, at: datetime) -> bool:
    """Whether a card is out of the drill at ``at``: suspended, or buried until later."""
    return suspended or (buried_until is not None and buried_until > at)


def deck_of(key: str) -> str:
    """The deck id of a card key (``DECK/CARD``)."""
    return key.partition("/")[0]


class DrillQueue:
    """The queue of one drill over a fixed set of cards (all decks, or one deck's)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        card_ids_by_deck: Callable[[], Mapping[str, Sequence[str]]],
        *,
        deck_id: str | None = None,
        tz: tzinfo | None = None,
        interviews: Callable[[], Sequence[Interview]] = list,
    ):
        """A queue over ``card_ids_by_deck()`` (asked once, when first needed), or ``deck_id``'s.

        ``interviews`` gives the interviews ahead: their decks' new cards come first.
        """
        self.store = store
        self.settings = settings
        self.deck_id = deck_id
        self.tz = tz
        self._card_ids_by_deck = card_ids_by_deck
        self._interviews = interviews
        self._scope_keys: tuple[list[str], dict[str, int]] | None = None
        self._unrated: list[int] | None = None
        self._unrated_version: int | None = None

    # -- the cards ----------------------------------------------------------------------------
    def scope(self) -> tuple[list[str], dict[str, int]]:
        """The keys of the drill's cards in deck order, and each one's position.

        Made once per queue from card ids alone (the catalog does not change under a drill):
        only the cards shown are looked up, so an app catalog parses only their decks.
        """
        if self._scope_keys is None:
            by_deck = [
                [f"{deck_id}/{card_id}" for card_id in card_ids]
                for deck_id, card_ids in self._card_ids_by_deck().items()
                if self.deck_id is None or deck_id == self.deck_id
            ]
            if self.deck_id is None and self.settings.interleave:
                # One card of each deck in turn: the built-in decks hold one kind each, so
                # questions, tips and pitfalls alternate instead of 27 phrasings coming first.
                keys = [key for turn in zip_longest(*by_deck) for key in turn if key is not None]
            else:
                keys = [key for deck_keys in by_deck for key in deck_keys]
            self._scope_keys = (keys, {key: i for i, key in enumerate(keys)})
        return self._scope_keys

    def forget_unrated(self) -> None:
        """Make the list of never-rated cards again (an undone first rating made one new)."""
        self._unrated = None

    # -- today --------------------------------------------------------------------------------
    def _day_end(self, now: datetime) -> datetime:
        return next_day_start(now, self.settings.rollover_hour, self.tz)

    def today_counts(self, now: datetime) -> TodayCounts:
        """The study day's new cards and reviews, and the decks whose own limits they reach."""
        today = study_day(now, self.settings.rollover_hour, self.tz).isoformat()
        done = queries.counts_by_deck_on(self.store, today)
        return TodayCounts(
            new=sum(n for n, _r in done.values()),
            reviews=sum(r for _n, r in done.values()),
            new_closed=frozenset(
                d
                for d, limit in self.settings.deck_new_per_day.items()
                if done.get(d, (0, 0))[0] >= limit
            ),
            reviews_closed=frozenset(
                d
                for d in self.settings.deck_reviews_per_day
                if not deck_reviews_open(d, done.get(d, (0, 0))[1], self.settings)
            ),
        )

    # -- the next card ------------------------------------------------------------------------
    def next_key(
        self, now: datetime, *, ahead: bool = False, new_anyway: bool = False
    ) -> str | None:
        """The key of the card to show at ``now``, or None when the queue is empty.

        ``ahead``: when nothing is due, the card due soonest. ``new_anyway``: new cards past
        the daily limits. Only the head of each part is read (indexed, in due order), not the
        whole collection: this runs between two cards.
        """
        day_end = self._day_end(now)
        learn_ahead = now + LEARN_AHEAD
        keys, position = self.scope()
        today = self.today_counts(now)
        review_room = reviews_open(today.reviews, self.settings)
        if new_anyway:
            new_cards = self._new_cards(len(keys), now)
        else:
            new_wanted = self.settings.new_per_day - today.new
            new_cards = self._new_cards(new_wanted, now, today.new_closed)
        heads: list[QueuePlace] = []
        learning = self._earliest(
            queue_queries.learning_by_due(self.store, position, learn_ahead), now
        )
        if learning is not None:
            due, index = learning
            part = QueuePart.LEARNING if due <= now else QueuePart.LEARNING_AHEAD
            heads.append(QueuePlace(part, due, 0, index))
        if review_room:
            review = self._earliest(
                queue_queries.reviews_by_due(self.store, position, day_end),
                now,
                skip_decks=today.reviews_closed,
            )
            if review is not None:
                heads.append(QueuePlace(QueuePart.REVIEW, review[0], 0, review[1]))
        if new_cards:
            heads.append(QueuePlace(QueuePart.NEW, None, 0, new_cards[0]))
        if not heads and ahead:
            later = self._earliest(queue_queries.ahead_by_due(self.store, position), now)
            return keys[later[1]] if later is not None else None
        if not heads:
            return None
        # A card left half-answered (a quit, a crash) comes back first, with its draft.
        drafted = [
            place
            for key in queries.draft_keys(self.store)
            if key in position
            and (
                place := self._place(
                    key,
                    position[key],
                    new_cards,
                    review_room and deck_of(key) not in today.reviews_closed,
                    now,
                )
            )
            is not None
        ]
        return keys[min(drafted or heads).position]

    def _earliest(
        self,
        reading: AbstractContextManager[Iterator[QueueRow]],
        now: datetime,
        skip_decks: frozenset[str] = frozenset(),
    ) -> tuple[datetime, int] | None:
        """(due, position) of this drill's first card of ``reading`` not hidden at ``now``.

        Of cards due at the same moment, the first in deck order. Cards of ``skip_decks``
        (their own daily limit reached) are passed over. The rows are never suspended ones.
        """
        _keys, position = self.scope()
        best: tuple[datetime, int] | None = None
        with reading as rows:  # rows of this drill's cards only
            for key, _state, due, buried_until in rows:
                if is_hidden(False, buried_until, now):
                    continue
                if skip_decks and deck_of(key) in skip_decks:
                    continue
                if best is not None and due != best[0]:
                    break
                index = position[key]
                if best is None or index < best[1]:
                    best = (due, index)
        return best

    def _new_cards(
        self, wanted: int, now: datetime, skip_decks: frozenset[str] = frozenset()
    ) -> list[int]:
        """Positions of the first ``wanted`` cards never rated and not hidden, in queue order.

        The cards never rated are listed once, then checked a few at a time: a card rated since
        drops out. A rated card becomes new again only when its first rating is undone: by this
        drill (:meth:`forget_unrated`) or through another connection (SQLite's data version
        changes, and the list is made again).
        """
        if wanted <= 0:
            return []
        keys, _position = self.scope()
        version = queue_queries.data_version(self.store)
        if self._unrated is None or self._unrated_version != version:
            rated = queue_queries.rated_keys(self.store)
            self._unrated = [i for i, key in enumerate(keys) if key not in rated]
            self._unrated_version = version
            first = self._interview_decks_first()
            if first:
                # An interview ahead: its decks' new cards come in first, so that every card
                # is seen before the day (interview.new_card_pace says whether limits allow).
                self._unrated.sort(key=lambda i: (deck_of(keys[i]) not in first, i))
        found: list[int] = []
        gone: set[int] = set()
        for start in range(0, len(self._unrated), NEW_CARDS_CHECKED_AT_ONCE):
            chunk = self._unrated[start : start + NEW_CARDS_CHECKED_AT_ONCE]
            rows = queue_queries.new_card_rows(self.store, (keys[i] for i in chunk))
            for index in chunk:
                row = rows.get(keys[index])
                if row is not None and row.state != "new":
                    gone.add(index)
                elif skip_decks and deck_of(keys[index]) in skip_decks:
                    continue
                elif row is None or not is_hidden(row.suspended, row.buried_until, now):
                    found.append(index)
            if len(found) >= wanted:
                break
        if gone:
            self._unrated = [i for i in self._unrated if i not in gone]
        return found[:wanted]

    def _interview_decks_first(self) -> frozenset[str]:
        """Decks whose new cards come first: those of the interviews ahead (none when an
        interview covers every deck, since then no deck comes before another)."""
        decks: set[str] = set()
        for interview in self._interviews():
            if not interview.decks:
                return frozenset()
            decks.update(interview.decks)
        return frozenset(decks)

    def _place(
        self, key: str, index: int, new_cards: list[int], reviews_open: bool, now: datetime
    ) -> QueuePlace | None:
        """Where one card stands in the queue (as in :meth:`next_key`), or None if not in it."""
        state = queries.card_state(self.store, key)
        if is_hidden(state.suspended, read_stored_utc(state.buried_until), now):
            return None
        if state.state == "new":
            if index not in new_cards:
                return None
            return QueuePlace(QueuePart.NEW, None, new_cards.index(index), index)
        due = read_stored_utc(state.due)
        if due is None:  # a rated card always has one, unless the database was edited by hand
            return None
        if state.state in queue_queries.LEARNING_STATES:
            if due <= now:
                return QueuePlace(QueuePart.LEARNING, due, 0, index)
            if due <= now + LEARN_AHEAD:
                return QueuePlace(QueuePart.LEARNING_AHEAD, due, 0, index)
            return None
        if reviews_open and due < self._day_end(now):
            return QueuePlace(QueuePart.REVIEW, due, 0, index)
        return None

    # -- later --------------------------------------------------------------------------------
    def planned_cards(
        self, now: datetime, days: int, states: Mapping[str, CardState]
    ) -> list[PlannedCard]:
        """The cards seen before that this queue can show on the ``days`` study days from
        ``now``'s, earliest due first: a buried card from the day it is unburied, a suspended
        one never.

        ``states`` are the stored states of the queue's cards (or more): the plan has read them
        already for its readiness, so they are not read again here.
        """
        rollover = self.settings.rollover_hour
        today = study_day(now, rollover, self.tz)
        end = study_day_start(today + timedelta(days=days), rollover, self.tz)
        _keys, position = self.scope()
        cards = []
        for key, state in states.items():
            if key not in position or state.suspended or state.state == "new":
                continue
            due = read_stored_utc(state.due)
            if due is None or due >= end:  # a time that cannot be read: never due
                continue
            buried_until = read_stored_utc(state.buried_until)
            when = max(due, buried_until) if buried_until is not None else due
            day = max(0, (study_day(when, rollover, self.tz) - today).days)
            if day < days:
                learning = state.state in queue_queries.LEARNING_STATES
                cards.append(PlannedCard(due, position[key], key, day, learning))
        return sorted(cards)

    def next_showing(self, now: datetime) -> tuple[datetime, str] | None:
        """(when, card key) of the next card this queue will really show.

        Suspended cards never come; a buried card comes when it is unburied; a review past a
        daily limit (the deck's or the overall one) and new cards past the new-card limit come
        the next study day. The time is never in the past: a card due already is due now.
        Card ids only: the home screen asks this before the decks' cards are parsed.
        """
        day_end = self._day_end(now)
        keys, position = self.scope()
        today = self.today_counts(now)
        review_room = reviews_open(today.reviews, self.settings)
        best: tuple[datetime, int] | None = None  # (when, position)
        with queue_queries.rated_by_due(self.store, position) as rows:
            for key, state, due, buried_until in rows:
                when = max(due, now)
                if best is not None and when > best[0]:
                    break  # rows come by due, and a card only ever comes later than its due
                index = position[key]
                if buried_until is not None and buried_until > when:
                    when = buried_until
                is_review = state not in queue_queries.LEARNING_STATES
                deck_closed = deck_of(key) in today.reviews_closed
                if is_review and when < day_end and (not review_room or deck_closed):
                    when = day_end
                if best is None or (when, index) < best:
                    best = (when, index)
        new_left = self.settings.new_per_day - today.new
        new_now = self._new_cards(1, now, today.new_closed) if new_left > 0 else []
        if new_now:
            best = min(best or (now, new_now[0]), (now, new_now[0]))
        else:
            # New cards held back by a limit, or buried: the first comes the next study day.
            later = self._new_cards(1, day_end)
            if later and (best is None or day_end < best[0]):
                best = (day_end, later[0])
        if best is None:
            return None
        return best[0], keys[best[1]]

    def held_new_count(self, now: datetime) -> int:
        """New cards of this queue held back today by a daily new-card limit (not buried)."""
        keys, _position = self.scope()
        available = len(self._new_cards(len(keys), now))
        today = self.today_counts(now)
        allowed = self._new_cards(self.settings.new_per_day - today.new, now, today.new_closed)
        return available - len(allowed)

    def held_review_count(self, now: datetime) -> int:
        """Reviews of this queue due today but held back by a daily review limit (not buried).

        The overall limit holds every due review; a deck's own limit holds that deck's.
        """
        today = self.today_counts(now)
        all_held = not reviews_open(today.reviews, self.settings)
        if not all_held and not today.reviews_closed:
            return 0
        _keys, position = self.scope()
        held = 0
        with queue_queries.reviews_by_due(self.store, position, self._day_end(now)) as rows:
            for key, _state, _due, buried_until in rows:
                if is_hidden(False, buried_until, now):
                    continue
                held += all_held or deck_of(key) in today.reviews_closed
        return held
