"""A drill session: which card comes next, grading, rating, undo, drafts. No UI here.

The TUI, the plain line-by-line drill and the tests all drive this one object, so they share
the same queue, limits and storage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from failtui import scheduling
from failtui.models import Attempt, Card, CardState, FollowUp, FollowUpAnswer, Grade
from failtui.overview import DeckCounts, count_decks, drill_card_ids
from failtui.scheduling import Settings, format_utc, parse_utc
from failtui.storage import queries, queue_queries
from failtui.storage.db import Store
from failtui.studyday import Clock as Clock
from failtui.studyday import utc_now as utc_now

if TYPE_CHECKING:
    from failtui.corrections import Marks
    from failtui.decks.catalog import DeckCatalog
    from failtui.decks.index import LazyCatalog
    from failtui.models import Correction
    from failtui.storage.interviews import Interview

#: A card's place in the queue: (part, due time or new-card rank, position in the decks).
QueuePlace = tuple[int, Any, int]

if TYPE_CHECKING:
    from failtui.storage.interviews import Interview

#: Learning cards due within this time are shown when nothing else is left (as Anki does).
LEARN_AHEAD = timedelta(minutes=20)
#: The longest answer failtui grades and stores: about 15,000 words, where a spoken answer of
#: two to three minutes is about 400. Drafts are kept whatever their length.
MAX_ANSWER_CHARS = 100_000


class AnswerTooLong(ValueError):
    """An answer longer than :data:`MAX_ANSWER_CHARS`; the message gives both lengths."""


def check_answer_length(answer: str) -> None:
    """Refuse an answer over the limit.

    Raises:
        AnswerTooLong: with a message that says how long it is and what the limit is.
    """
    if len(answer) > MAX_ANSWER_CHARS:
        raise AnswerTooLong(
            f"the answer is {len(answer):,} characters; the limit is {MAX_ANSWER_CHARS:,}. "
            "Shorten it and submit again."
        )


#: How many never-rated cards one query checks while looking for the next new card.
NEW_CARDS_CHECKED_AT_ONCE = 32


def load_settings(store: Store) -> Settings:
    """The user's scheduling settings, with defaults for those never set."""
    from failtui.user_settings import scheduling_settings

    return scheduling_settings(store)


@dataclass(frozen=True)
class RatedCard:
    """One rating given in this session (for undo and the summary)."""

    card: Card
    answer: str
    grade: Grade
    rating: str
    review_id: int
    due: datetime


@dataclass
class SessionSummary:
    """End-of-session figures."""

    done: int = 0
    ratings: Counter[str] = field(default_factory=Counter)
    average_coverage: float = 0.0
    missed_most: list[tuple[str, int]] = field(default_factory=list)
    next_due: datetime | None = None
    #: The card that will be shown at ``next_due`` (its key), or None.
    next_card_key: str | None = None


@dataclass(frozen=True)
class TodayCounts:
    """What was studied on a study day, overall and per deck, and which limits are reached."""

    new: int
    reviews: int
    new_closed: frozenset[str]  # decks whose own new-card limit is reached
    reviews_closed: frozenset[str]  # decks whose own review limit is reached


class DrillSession:
    """The queue and actions of one drill."""

    def __init__(
        self,
        store: Store,
        catalog: DeckCatalog | LazyCatalog,
        *,
        clock: Clock = utc_now,
        deck_id: str | None = None,
        limit: int | None = None,
        settings: Settings | None = None,
        tz: tzinfo | None = None,
        fuzz: bool = True,
        ahead: bool = False,
        new_anyway: bool = False,
        card_key: str | None = None,
    ):
        """A drill over all decks, or ``deck_id``'s.

        ``ahead`` shows the card due soonest once nothing is due; ``new_anyway`` shows new
        cards past the daily limits (to start on a deck imported after the day's new cards
        were used up); ``card_key`` drills that one card, due or not, and ends.
        """
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self.deck_id = deck_id
        self.limit = limit
        self.settings = settings or load_settings(store)
        self.tz = tz
        self.scheduler = scheduling.make_scheduler(self.settings, fuzz=fuzz)
        self.ahead = ahead
        self.new_anyway = new_anyway
        self.card_key = card_key
        self.rated: list[RatedCard] = []
        #: Follow-up answers typed before the card is rated, by card key: (text, graded answer
        #: or None while not submitted). Kept here so leaving the feedback loses nothing.
        self.pending_followups: dict[str, tuple[str, FollowUpAnswer | None]] = {}
        self._preview: tuple[str, CardState, datetime, dict[str, CardState]] | None = None
        self._scope_keys: tuple[list[str], dict[str, int]] | None = None
        self._unrated: list[int] | None = None
        self._unrated_version: int | None = None
        # The card as graded (its personal cues added), kept so the grader's per-card caches,
        # keyed by the card object, last while the answer is typed.
        self._cued: tuple[Card, Card] | None = None

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> datetime:
        """The session clock, in UTC."""
        return scheduling.require_utc(self.clock())

    def today(self) -> str:
        """The current study day, ISO."""
        return scheduling.study_day(self.now(), self.settings.rollover_hour, self.tz).isoformat()

    # -- queue --------------------------------------------------------------------------------
    def _card_ids_by_deck(self) -> dict[str, Sequence[str]]:
        """The catalog's card ids by deck, without the stories the daily drill leaves out."""
        return drill_card_ids(self.store, self.catalog.card_ids_by_deck())

    def card_ids_by_deck(self) -> dict[str, Sequence[str]]:
        """The card ids a drill of all decks would show, by deck (paused stories left out)."""
        return self._card_ids_by_deck()

    # -- interviews ---------------------------------------------------------------------------
    def interviews_ahead(self) -> list[Interview]:
        """Interviews on or after today, soonest first (read each time: one small query)."""
        from failtui.interview import upcoming

        return upcoming(
            self.store, scheduling.study_day(self.now(), self.settings.rollover_hour, self.tz)
        )

    def held_before(self, card: Card) -> Interview | None:
        """The interview that cuts at least one of the card's intervals now, or None."""
        from failtui.interview import holding_interview

        now = self.now()
        held = holding_interview(
            self.interviews_ahead(), card.deck_id, now, self.settings.rollover_hour, self.tz
        )
        if held is None:
            return None
        outcomes = scheduling.preview(self.scheduler, self.state(card), now).values()
        dues = [parse_utc(o.due) for o in outcomes]
        return held[0] if any(due is not None and due > held[1] for due in dues) else None

    def _due_cap(self, card: Card, now: datetime) -> datetime | None:
        """The latest moment a rating now may schedule ``card`` (an interview ahead), or None."""
        from failtui.interview import due_cap

        return due_cap(
            self.interviews_ahead(), card.deck_id, now, self.settings.rollover_hour, self.tz
        )

    def counts(self, deck_id: str | None = None) -> DeckCounts:
        """New (within today's limit), learning and due counts for a deck, or for the drill's."""
        wanted = deck_id if deck_id is not None else self.deck_id
        ids_by_deck = {
            d: ids for d, ids in self._card_ids_by_deck().items() if wanted is None or d == wanted
        }
        return self._counts(ids_by_deck)[None]

    def counts_by_deck(self) -> dict[str | None, DeckCounts]:
        """Counts of every loaded deck, and of all decks under ``None``, from one read.

        The daily new-card limit is shared, so the all-decks count is not a sum of the others.
        Only card ids are needed, so a catalog that lists them without parsing every deck file
        (the app's :class:`~failtui.decks.index.LazyCatalog`) is not made to parse them.
        """
        return self._counts(self._card_ids_by_deck())

    def _counts(self, ids_by_deck: Mapping[str, Sequence[str]]) -> dict[str | None, DeckCounts]:
        return count_decks(self.store, ids_by_deck, self.settings, self.now(), self.tz)

    @staticmethod
    def _hidden(state: CardState, now_iso: str) -> bool:
        return state.suspended or bool(state.buried_until and state.buried_until > now_iso)

    def next_card(self) -> Card | None:
        """The card to show next, or None when the drill is over.

        Order: learning cards due now, reviews due today (within the daily limit), new cards
        (within the daily limit), then learning cards due within 20 minutes; cards due at the
        same moment in deck order. With ``ahead``, when nothing is due, the card due soonest.
        A card left with a draft comes first if it is anywhere in that queue.

        Only the head of each part of the queue is read (indexed, in due order), not the whole
        collection: this runs between two cards.
        """
        if self.limit is not None and len(self.rated) >= self.limit:
            return None
        if self.card_key is not None:
            return None if self.rated else self.catalog.card_by_key(self.card_key)
        now = self.now()
        now_iso = format_utc(now)
        end_of_day = format_utc(
            scheduling.next_day_start(now, self.settings.rollover_hour, self.tz)
        )
        learn_ahead = format_utc(now + LEARN_AHEAD)
        keys, position = self._scope()
        today = self.today_counts()
        reviews_open = today.reviews < self.settings.reviews_per_day
        if self.new_anyway:
            new_cards = self._new_cards(len(keys), now_iso)
        else:
            new_wanted = self.settings.new_per_day - today.new
            new_cards = self._new_cards(new_wanted, now_iso, today.new_closed)
        # A card's place in the queue: (part, due or rank, position in the decks).
        heads: list[QueuePlace] = []
        learning = self._earliest(
            "state IN ('learning', 'relearning') AND due <= ?", (learn_ahead,), now_iso
        )
        if learning is not None:
            due, index = learning
            heads.append((0 if due <= now_iso else 3, due, index))
        if reviews_open:
            review = self._earliest(
                "state NOT IN ('new', 'learning', 'relearning') AND due < ?",
                (end_of_day,),
                now_iso,
                skip_decks=today.reviews_closed,
            )
            if review is not None:
                heads.append((1, *review))
        if new_cards:
            heads.append((2, 0, new_cards[0]))
        if not heads and self.ahead:
            later = self._earliest(
                "state IN ('learning', 'relearning') OR (state != 'new' AND due >= ?)",
                (end_of_day,),
                now_iso,
            )
            return self.catalog.card_by_key(keys[later[1]]) if later is not None else None
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
                    reviews_open and key.partition("/")[0] not in today.reviews_closed,
                    now_iso,
                    learn_ahead,
                    end_of_day,
                )
            )
            is not None
        ]
        return self.catalog.card_by_key(keys[min(drafted or heads)[2]])

    def _scope(self) -> tuple[list[str], dict[str, int]]:
        """The keys of the drill's cards in deck order, and each one's position.

        Made once per session from card ids alone (the catalog does not change under a
        session): only the cards shown are looked up, so an app catalog parses only their decks.
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

    def today_counts(self) -> TodayCounts:
        """Today's new cards and reviews, and the decks whose own limits they reach."""
        per_deck = queries.counts_by_deck_on(self.store, self.today())
        done = {deck_id: per_deck.get(deck_id, (0, 0)) for deck_id in per_deck}
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
                for d, limit in self.settings.deck_reviews_per_day.items()
                if done.get(d, (0, 0))[1] >= limit
            ),
        )

    def _earliest(
        self,
        condition: str,
        params: tuple[str, ...],
        now_iso: str,
        skip_decks: frozenset[str] = frozenset(),
    ) -> tuple[str, int] | None:
        """(due, position) of this drill's first due card matching ``condition``, not hidden.

        Of cards due at the same moment, the first in deck order. Cards of ``skip_decks``
        (their own daily limit reached) are passed over.
        """
        _keys, position = self._scope()
        best: tuple[str, int] | None = None
        with queue_queries.rows_by_due(self.store, condition, params) as rows:
            for key, _state, due, buried_until in rows:
                index = position.get(key)
                if index is None or (buried_until and buried_until > now_iso):
                    continue
                if skip_decks and key.partition("/")[0] in skip_decks:
                    continue
                if best is not None and due != best[0]:
                    break
                if best is None or index < best[1]:
                    best = (due, index)
        return best

    def _new_cards(
        self, wanted: int, now_iso: str, skip_decks: frozenset[str] = frozenset()
    ) -> list[int]:
        """Positions of the first ``wanted`` cards never rated and not hidden, in deck order.

        The cards never rated are listed once per session, then checked a few at a time: a
        card rated since drops out. A rated card becomes new again only when its first rating
        is undone: by this session (:meth:`undo` drops the list) or through another connection
        (SQLite's data version changes, and the list is made again).
        """
        if wanted <= 0:
            return []
        keys, _position = self._scope()
        version = queue_queries.data_version(self.store)
        if self._unrated is None or self._unrated_version != version:
            rated = queue_queries.rated_keys(self.store)
            self._unrated = [i for i, key in enumerate(keys) if key not in rated]
            self._unrated_version = version
            first = self._interview_decks_first()
            if first:
                # An interview ahead: its decks' new cards come in first, so that every card
                # is seen before the day (interview.new_card_pace says whether limits allow).
                self._unrated.sort(key=lambda i: (keys[i].partition("/")[0] not in first, i))
        found: list[int] = []
        gone: set[int] = set()
        for start in range(0, len(self._unrated), NEW_CARDS_CHECKED_AT_ONCE):
            chunk = self._unrated[start : start + NEW_CARDS_CHECKED_AT_ONCE]
            rows = queue_queries.new_card_rows(self.store, (keys[i] for i in chunk))
            for index in chunk:
                row = rows.get(keys[index])
                if row is not None and row[0] != "new":
                    gone.add(index)
                elif skip_decks and keys[index].partition("/")[0] in skip_decks:
                    continue
                elif row is None or not (row[1] or (row[2] and row[2] > now_iso)):
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
        for interview in self.interviews_ahead():
            if not interview.decks:
                return frozenset()
            decks.update(interview.decks)
        return frozenset(decks)

    def _place(
        self,
        key: str,
        index: int,
        new_cards: list[int],
        reviews_open: bool,
        now_iso: str,
        learn_ahead: str,
        end_of_day: str,
    ) -> QueuePlace | None:
        """Where one card stands in the queue (as in :meth:`next_card`), or None if not in it."""
        state = queries.card_state(self.store, key)
        if self._hidden(state, now_iso):
            return None
        if state.state == "new":
            return (2, new_cards.index(index), index) if index in new_cards else None
        due = state.due
        if due is None:  # a rated card always has a due time
            return None
        if state.state in ("learning", "relearning"):
            if due <= now_iso:
                return (0, due, index)
            return (3, due, index) if due <= learn_ahead else None
        if reviews_open and due < end_of_day:
            return (1, due, index)
        return None

    def next_due(self) -> datetime | None:
        """When the next card of this drill's decks will really be shown (None if none will)."""
        showing = self.next_showing()
        return showing[0] if showing else None

    def next_showing(self) -> tuple[datetime, str] | None:
        """(when, card key) of the next card this drill's decks will really show.

        Suspended cards never come; a buried card comes when it is unburied; a review past a
        daily limit (the deck's or the overall one) and new cards past the new-card limit come
        the next study day. The time is never in the past: a card due already is due now.
        Card ids only: the home screen asks this before the decks' cards are parsed.
        """
        now = self.now()
        now_iso = format_utc(now)
        day_end = format_utc(scheduling.next_day_start(now, self.settings.rollover_hour, self.tz))
        keys, position = self._scope()
        today = self.today_counts()
        reviews_open = today.reviews < self.settings.reviews_per_day
        best: tuple[str, int] | None = None  # (when, position)
        with queue_queries.rows_by_due(self.store, "due != ''") as rows:
            for key, state, due, buried_until in rows:
                if best is not None and max(due, now_iso) > best[0]:
                    break  # rows come by due, and a card only ever comes later than its due
                index = position.get(key)
                if index is None:
                    continue
                when = max(due, now_iso)
                if buried_until and buried_until > when:
                    when = buried_until
                is_review = state not in queue_queries.LEARNING_STATES
                deck_closed = key.partition("/")[0] in today.reviews_closed
                if is_review and when < day_end and (not reviews_open or deck_closed):
                    when = day_end
                if best is None or (when, index) < best:
                    best = (when, index)
        new_left = self.settings.new_per_day - today.new
        new_now = self._new_cards(1, now_iso, today.new_closed) if new_left > 0 else []
        if new_now:
            best = min(best or (now_iso, new_now[0]), (now_iso, new_now[0]))
        else:
            # New cards held back by a limit, or buried: the first comes the next study day.
            later = self._new_cards(1, day_end)
            if later and (best is None or day_end < best[0]):
                best = (day_end, later[0])
        if best is None:
            return None
        return parse_utc(best[0]), keys[best[1]]

    def held_new_count(self) -> int:
        """New cards of this drill held back today by a daily new-card limit (not buried)."""
        now_iso = format_utc(self.now())
        keys, _position = self._scope()
        if self.card_key is not None or self.new_anyway:
            return 0
        available = len(self._new_cards(len(keys), now_iso))
        today = self.today_counts()
        allowed = self._new_cards(self.settings.new_per_day - today.new, now_iso, today.new_closed)
        return available - len(allowed)

    def new_limit_reason(self) -> str:
        """Which daily limit holds new cards back, in words."""
        today = self.today_counts()
        if today.new >= self.settings.new_per_day:
            return (
                f"today's new cards are used up (new_cards_per_day is {self.settings.new_per_day})"
            )
        decks = sorted(today.new_closed)
        limits = ", ".join(f"{d} {self.settings.deck_new_per_day[d]}" for d in decks)
        return f"the deck's own new-card limit is reached (new_cards_per_day: {limits})"

    def describe_next(self, showing: tuple[datetime, str] | None = None) -> str | None:
        """ "Next card: DECK/CARD, due in 3h (Sat 05 Dec 04:00)." or None when none will come."""
        showing = showing if showing is not None else self.next_showing()
        if showing is None:
            return None
        when, key = showing
        wait = when - self.now()
        if wait.total_seconds() <= 0:
            return f"Next card: {key}, due now."
        local = when.astimezone(self.tz) if self.tz is not None else when.astimezone()
        return (
            f"Next card: {key}, due in {scheduling.format_interval(wait)} "
            f"({local.strftime('%a %d %b %H:%M')})."
        )

    # -- answering ----------------------------------------------------------------------------
    def grade(self, card: Card, answer: str) -> Grade:
        """Grade an answer (nothing is stored until :meth:`rate`).

        The card's personal cues (sentences the user marked as showing a key point) are added
        to its key points first: a card's cues add to the grader's findings.

        Raises:
            AnswerTooLong: the answer is over :data:`MAX_ANSWER_CHARS`.
        """
        check_answer_length(answer)
        # Imported here: the grader (rapidfuzz, compiled patterns) is not needed to start up.
        from failtui.grading import grade_answer

        return grade_answer(self.graded_card(card), answer)

    def graded_card(self, card: Card) -> Card:
        """The card as the grader sees it: its key points with the user's personal cues added."""
        if self._cued is not None and self._cued[0] is card:
            return self._cued[1]
        from failtui.corrections import with_personal_cues

        cued = with_personal_cues(card, queries.personal_cues(self.store, card.key))
        self._cued = (card, cued)
        return cued

    def correct(self, card: Card, answer: str, grade: Grade, marks: Marks) -> Grade:
        """The grade as the user corrected it (``marks``: (kind, id) -> covered or raised).

        ``grade`` is the grader's; the coverage and suggested rating follow the marks.
        """
        from failtui.corrections import apply_marks

        return apply_marks(self.graded_card(card), answer, grade, marks)

    def followup(self, card: Card, grade: Grade) -> FollowUp | None:
        """The interviewer's follow-up question after this grade, or None (see followups)."""
        from failtui.followups import choose_followup, followups_for

        return choose_followup(
            card, grade, followups_for(self.catalog, card), turn=self.state(card).reps
        )

    def answer_followup(self, card: Card, followup: FollowUp, answer: str) -> FollowUpAnswer:
        """Grade the answer to a follow-up against its key point (stored with the rating).

        Raises:
            AnswerTooLong: the answer is over :data:`MAX_ANSWER_CHARS`.
        """
        from failtui.followups import grade_followup

        check_answer_length(answer)
        return grade_followup(self.graded_card(card), followup, answer)

    def spoken_grade(self, card: Card, ticked: set[tuple[str, str]], seconds: float) -> Grade:
        """The grade of an answer said aloud: the user's ticks, ``seconds`` spoken."""
        from failtui.speaking import spoken_grade

        return spoken_grade(self.graded_card(card), ticked, seconds)

    def state(self, card: Card) -> CardState:
        """The card's stored scheduling state."""
        return queries.card_state(self.store, card.key)

    def intervals(self, card: Card) -> dict[str, timedelta]:
        """For each rating, the time until the card would be due again.

        The outcomes are kept, so rating applies exactly the interval shown (the scheduler's
        fuzz would otherwise draw a new one).
        """
        from failtui.interview import capped

        now = self.now()
        before = self.state(card)
        cap = self._due_cap(card, now)
        outcomes = {
            name: capped(after, cap)
            for name, after in scheduling.preview(self.scheduler, before, now).items()
        }
        self._preview = (card.key, before, now, outcomes)
        return {name: scheduling.due_of(after) - now for name, after in outcomes.items()}

    def _reviewed(self, card: Card, before: CardState, rating: str, now: datetime) -> CardState:
        """The state after the rating: the interval shown, never past an interview's cap."""
        from failtui.interview import capped

        cap = self._due_cap(card, now)
        preview = self._preview
        if preview is not None and preview[0] == card.key and preview[1] == before:
            _key, _before, shown_at, outcomes = preview
            after = outcomes[rating]
            # The same interval as shown, counted from the moment of rating.
            due = scheduling.due_of(after) + (now - shown_at)
            return capped(replace(after, due=format_utc(due), last_review=format_utc(now)), cap)
        return capped(scheduling.review(self.scheduler, before, rating, now), cap)

    def rate(
        self,
        card: Card,
        answer: str,
        grade: Grade,
        rating: str,
        duration_ms: int | None = None,
        *,
        model_grade: Grade | None = None,
        spoken: bool = False,
        followup: FollowUpAnswer | None = None,
    ) -> RatedCard:
        """Rate a card and commit the attempt, review and new state before returning.

        ``grade`` is the grade as the user left it; when the user corrected the grader's,
        ``model_grade`` is the grader's own, stored beside it, and each key point the user
        marked covered teaches the card its sentence as a personal cue. ``spoken``: the answer
        was said aloud (``grade`` holds the user's ticks and the time measured); ``followup``:
        the answer to the interviewer's follow-up question, stored with this attempt.
        """
        if rating not in scheduling.RATINGS:
            raise ValueError(f"unknown rating {rating!r}: use again, hard, good or easy")
        check_answer_length(answer)
        now = self.now()
        before = self.state(card)
        after = self._reviewed(card, before, rating, now)
        last = parse_utc(before.last_review)
        due = scheduling.due_of(after)
        record = queries.RatingRecord(
            deck_id=card.deck_id,
            answer=answer,
            grade=grade,
            rating=rating,
            before=before,
            after=after,
            reviewed_at=format_utc(now),
            study_day=self.today(),
            # A clock set back before the last review counts as no time passed, not negative.
            interval_before_days=max(0.0, (now - last).total_seconds() / 86400) if last else None,
            interval_after_days=(due - now).total_seconds() / 86400,
            duration_ms=duration_ms,
            model_grade=model_grade,
            corrections=self._corrections(card, model_grade, grade),
            generated_key_points=not card.key_points,
            spoken=spoken,
            followup=followup,
        )
        _attempt_id, review_id = queries.save_rating(self.store, record)
        if record.corrections:
            self._cued = None  # a cue may have been taught
        rated = RatedCard(card, answer, grade, rating, review_id, due)
        self.rated.append(rated)
        return rated

    @staticmethod
    def _corrections(card: Card, model_grade: Grade | None, grade: Grade) -> tuple[Correction, ...]:
        if model_grade is None or model_grade is grade:
            return ()
        from failtui.corrections import corrections_between

        own = {kp.id for kp in card.key_points}
        # A key point derived from the guidance (a card without key points) has no cues to add to.
        return tuple(
            c if c.item_id in own or c.kind != "key_point" else replace(c, cue="")
            for c in corrections_between(model_grade, grade)
        )

    def can_undo(self) -> bool:
        """Whether a rating of this session can be undone."""
        return bool(self.rated)

    def undo(self) -> tuple[Card, str] | None:
        """Undo the last rating of this session completely; returns the card and its answer."""
        if not self.rated:
            return None
        last = self.rated[-1]
        queries.undo_review(self.store, last.review_id, format_utc(self.now()))
        # Only once the undo is committed: a failed one can be tried again.
        self.rated.pop()
        self._cued = None  # a cue taught by that rating is forgotten with it
        self._unrated = None  # an undone first rating makes the card new again
        return last.card, last.answer

    def attempts(self, card: Card) -> list[Attempt]:
        """Every stored attempt at a card, newest first."""
        return queries.attempts_for_card(self.store, card.key)

    # -- drafts, bury, suspend ----------------------------------------------------------------
    def draft(self, card: Card) -> str:
        """The saved draft answer of a card."""
        return queries.load_draft(self.store, card.key)

    def save_draft(self, card: Card, text: str) -> None:
        """Save (or clear, if empty) the draft answer of a card."""
        queries.save_draft(self.store, card.key, text, format_utc(self.now()))

    def bury(self, card: Card) -> None:
        """Hide a card until the next study day."""
        until = scheduling.next_day_start(self.now(), self.settings.rollover_hour, self.tz)
        queries.set_card_flags(self.store, card.key, card.deck_id, buried_until=format_utc(until))

    def suspend(self, card: Card) -> None:
        """Take a card out of the drill until it is unsuspended."""
        queries.set_card_flags(self.store, card.key, card.deck_id, suspended=True)

    # -- summary ------------------------------------------------------------------------------
    def summary(self) -> SessionSummary:
        """Cards done, ratings, average coverage, most-missed key points, next due time."""
        showing = self.next_showing()
        missed: Counter[str] = Counter()
        for rated in self.rated:
            for kp in rated.grade.key_points:
                if not kp.covered:
                    missed[kp.label] += 1
        return SessionSummary(
            done=len(self.rated),
            ratings=Counter(r.rating for r in self.rated),
            average_coverage=(
                sum(r.grade.coverage for r in self.rated) / len(self.rated) if self.rated else 0.0
            ),
            missed_most=missed.most_common(5),
            next_due=showing[0] if showing else None,
            next_card_key=showing[1] if showing else None,
        )
