"""A drill session: which card comes next, grading, rating, undo, drafts. No UI here.

The TUI, the plain line-by-line drill and the tests all drive this one object, so they share
the same queue, limits and storage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo

from failtui import scheduling
from failtui.decks.catalog import DeckCatalog
from failtui.models import STORY_DECK_ID, Card, CardState, Grade
from failtui.scheduling import Settings, format_utc, parse_utc
from failtui.storage import queries
from failtui.storage.db import Store
from failtui.storage.stories import paused_story_keys

Clock = Callable[[], datetime]
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


def utc_now() -> datetime:
    """The real clock, in UTC."""
    return datetime.now(UTC)


def load_settings(store: Store) -> Settings:
    """The user's scheduling settings, with defaults for those never set."""
    defaults = Settings()
    return Settings(
        desired_retention=float(
            queries.get_setting(store, "desired_retention", defaults.desired_retention)
        ),
        new_per_day=int(queries.get_setting(store, "new_per_day", defaults.new_per_day)),
        reviews_per_day=int(
            queries.get_setting(store, "reviews_per_day", defaults.reviews_per_day)
        ),
        rollover_hour=int(queries.get_setting(store, "rollover_hour", defaults.rollover_hour)),
    )


@dataclass(frozen=True)
class DeckCounts:
    """What a deck holds for today: cards never seen, in learning, and due for review."""

    new: int = 0
    learning: int = 0
    due: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


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
    ratings: Counter = field(default_factory=Counter)
    average_coverage: float = 0.0
    missed_most: list[tuple[str, int]] = field(default_factory=list)
    next_due: datetime | None = None


class DrillSession:
    """The queue and actions of one drill."""

    def __init__(
        self,
        store: Store,
        catalog: DeckCatalog,
        *,
        clock: Clock = utc_now,
        deck_id: str | None = None,
        limit: int | None = None,
        settings: Settings | None = None,
        tz: tzinfo | None = None,
        fuzz: bool = True,
        ahead: bool = False,
    ):
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self.deck_id = deck_id
        self.limit = limit
        self.settings = settings or load_settings(store)
        self.tz = tz
        self.scheduler = scheduling.make_scheduler(self.settings, fuzz=fuzz)
        self.ahead = ahead
        self.rated: list[RatedCard] = []
        self._preview: tuple[str, CardState, datetime, dict[str, CardState]] | None = None

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> datetime:
        """The session clock, in UTC."""
        return scheduling.require_utc(self.clock())

    def today(self) -> str:
        """The current study day, ISO."""
        return scheduling.study_day(self.now(), self.settings.rollover_hour, self.tz).isoformat()

    # -- queue --------------------------------------------------------------------------------
    def _cards(self, deck_id: str | None = None) -> list[Card]:
        cards = self.catalog.cards(deck_id if deck_id is not None else self.deck_id)
        return self._without_paused_stories(cards)

    def _without_paused_stories(self, cards: list[Card]) -> list[Card]:
        # Only the active story (if one is chosen) is in the daily drill; see storage.stories.
        story_keys = {c.key for c in self.catalog.cards(STORY_DECK_ID)}
        paused = paused_story_keys(self.store, story_keys) if story_keys else set()
        return [c for c in cards if c.key not in paused] if paused else cards

    def counts(self, deck_id: str | None = None) -> DeckCounts:
        """New (within today's limit), learning and due counts for a deck, or for the drill's."""
        states = queries.card_states(self.store)
        return self._counts(self._cards(deck_id), states, self.now())

    def counts_by_deck(self) -> dict[str | None, DeckCounts]:
        """Counts of every loaded deck, and of all decks under ``None``, from one read.

        The daily new-card limit is shared, so the all-decks count is not a sum of the others.
        """
        states = queries.card_states(self.store)
        now = self.now()
        counts: dict[str | None, DeckCounts] = {
            d.id: self._counts(self._without_paused_stories(list(d.cards)), states, now)
            for d in self.catalog.decks
        }
        counts[None] = self._counts(self._without_paused_stories(self.catalog.cards()), states, now)
        return counts

    def _counts(self, cards: list[Card], states: dict[str, CardState], now: datetime):
        end_of_day = format_utc(
            scheduling.next_day_start(now, self.settings.rollover_hour, self.tz)
        )
        now_iso = format_utc(now)
        new = learning = due = 0
        for card in cards:
            state = states.get(card.key)
            if state is None or state.state == "new":
                if state is None or not self._hidden(state, now_iso):
                    new += 1
            elif self._hidden(state, now_iso):
                continue
            elif state.state in ("learning", "relearning"):
                learning += 1
            elif state.due is not None and state.due < end_of_day:
                due += 1
        new_left = max(
            0, self.settings.new_per_day - queries.count_new_on(self.store, self.today())
        )
        return DeckCounts(new=min(new, new_left), learning=learning, due=due)

    @staticmethod
    def _hidden(state: CardState, now_iso: str) -> bool:
        return state.suspended or bool(state.buried_until and state.buried_until > now_iso)

    def next_card(self) -> Card | None:
        """The card to show next, or None when the drill is over.

        Order: learning cards due now, reviews due today (within the daily limit), new cards
        (within the daily limit), then learning cards due within 20 minutes. With ``ahead``,
        when nothing is due, the card due soonest.
        """
        if self.limit is not None and len(self.rated) >= self.limit:
            return None
        now = self.now()
        now_iso = format_utc(now)
        end_of_day = format_utc(
            scheduling.next_day_start(now, self.settings.rollover_hour, self.tz)
        )
        states = queries.card_states(self.store)
        learning, reviews, new, soon, later = [], [], [], [], []
        for card in self._cards():
            state = states.get(card.key)
            if state is not None and self._hidden(state, now_iso):
                continue
            if state is None or state.state == "new":
                new.append(card)
            elif state.state in ("learning", "relearning"):
                (learning if state.due <= now_iso else soon).append((state.due, card))
                later.append((state.due, card))
            elif state.due < end_of_day:
                reviews.append((state.due, card))
            else:
                later.append((state.due, card))
        today = self.today()
        queue: list[Card] = [card for _due, card in sorted(learning, key=lambda p: p[0])]
        new_today = queries.count_new_on(self.store, today)
        reviews_today = queries.count_reviews_on(self.store, today) - new_today
        if reviews and reviews_today < self.settings.reviews_per_day:
            queue += [card for _due, card in sorted(reviews, key=lambda p: p[0])]
        if new and new_today < self.settings.new_per_day:
            queue += new[: self.settings.new_per_day - new_today]
        learn_ahead = format_utc(now + LEARN_AHEAD)
        queue += [card for due, card in sorted(soon, key=lambda p: p[0]) if due <= learn_ahead]
        if not queue and self.ahead and later:
            queue = [min(later, key=lambda pair: pair[0])[1]]
        if not queue:
            return None
        # A card left half-answered (a quit, a crash) comes back first, with its draft.
        drafts = set(queries.draft_keys(self.store))
        return next((card for card in queue if card.key in drafts), queue[0])

    def next_due(self) -> datetime | None:
        """When the next card of this drill's decks falls due (None if nothing is scheduled)."""
        keys = {c.key for c in self._cards()}
        dues = [
            s.due
            for k, s in queries.card_states(self.store).items()
            if k in keys and s.due and not s.suspended
        ]
        return parse_utc(min(dues)) if dues else None

    # -- answering ----------------------------------------------------------------------------
    def grade(self, card: Card, answer: str) -> Grade:
        """Grade an answer (pure; nothing is stored until :meth:`rate`).

        Raises:
            AnswerTooLong: the answer is over :data:`MAX_ANSWER_CHARS`.
        """
        check_answer_length(answer)
        # Imported here: the grader (rapidfuzz, compiled patterns) is not needed to start up.
        from failtui.grading import grade_answer

        return grade_answer(card, answer)

    def state(self, card: Card) -> CardState:
        """The card's stored scheduling state."""
        return queries.card_state(self.store, card.key)

    def intervals(self, card: Card) -> dict[str, timedelta]:
        """For each rating, the time until the card would be due again.

        The outcomes are kept, so rating applies exactly the interval shown (the scheduler's
        fuzz would otherwise draw a new one).
        """
        now = self.now()
        before = self.state(card)
        outcomes = scheduling.preview(self.scheduler, before, now)
        self._preview = (card.key, before, now, outcomes)
        return {name: parse_utc(after.due) - now for name, after in outcomes.items()}

    def _reviewed(self, card: Card, before: CardState, rating: str, now: datetime) -> CardState:
        preview = self._preview
        if preview is not None and preview[0] == card.key and preview[1] == before:
            _key, _before, shown_at, outcomes = preview
            after = outcomes[rating]
            # The same interval as shown, counted from the moment of rating.
            due = parse_utc(after.due) + (now - shown_at)
            return replace(after, due=format_utc(due), last_review=format_utc(now))
        return scheduling.review(self.scheduler, before, rating, now)

    def rate(
        self, card: Card, answer: str, grade: Grade, rating: str, duration_ms: int | None = None
    ) -> RatedCard:
        """Rate a card and commit the attempt, review and new state before returning."""
        if rating not in scheduling.RATINGS:
            raise ValueError(f"unknown rating {rating!r}: use again, hard, good or easy")
        check_answer_length(answer)
        now = self.now()
        before = self.state(card)
        after = self._reviewed(card, before, rating, now)
        last = parse_utc(before.last_review)
        due = parse_utc(after.due)
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
        )
        _attempt_id, review_id = queries.save_rating(self.store, record)
        rated = RatedCard(card, answer, grade, rating, review_id, due)
        self.rated.append(rated)
        return rated

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
        return last.card, last.answer

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
        missed: Counter = Counter()
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
            next_due=self.next_due(),
        )
