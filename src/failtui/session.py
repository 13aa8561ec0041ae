"""A drill session: grading, rating, undo, drafts, over a queue that says which card comes next
(:mod:`failtui.drill_queue`). No UI here.

The TUI, the plain line-by-line drill and the tests all drive this one object, so they share
the same queue, limits and storage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from failtui import scheduling
from failtui.drill_queue import LEARN_AHEAD as LEARN_AHEAD
from failtui.drill_queue import DrillQueue, reviews_open
from failtui.drill_queue import TodayCounts as TodayCounts
from failtui.models import (
    KEY_POINT,
    RED_FLAG,
    Attempt,
    Card,
    CardState,
    FollowUp,
    FollowUpAnswer,
    Grade,
    Rating,
)
from failtui.overview import DeckCounts, count_decks, drill_card_ids
from failtui.scheduling import Settings, format_utc, parse_utc, read_stored_utc
from failtui.storage import queries
from failtui.storage.db import Store
from failtui.studyday import Clock as Clock
from failtui.studyday import utc_now as utc_now
from failtui.textclean import is_empty_answer
from failtui.words import count

if TYPE_CHECKING:
    from failtui.corrections import Marks
    from failtui.decks.catalog import DeckCatalog
    from failtui.decks.index import LazyCatalog
    from failtui.models import Correction
    from failtui.storage.interviews import Interview

#: The longest answer failtui grades and stores: about 15,000 words, where a spoken answer of
#: two to three minutes is about 400. Drafts are kept whatever their length.
MAX_ANSWER_CHARS = 100_000


@dataclass(frozen=True)
class _ShownIntervals:
    """The outcomes last shown for a card: rating applies them, and showing the same card in the
    same state again shows them again."""

    card_key: str
    before: CardState
    shown_at: datetime
    cap: datetime | None
    outcomes: dict[str, CardState]

    def shows(self, card: Card, before: CardState) -> bool:
        return self.card_key == card.key and self.before == before


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

    #: Ratings given (a card in its learning steps may be rated several times).
    done: int = 0
    #: The different cards rated.
    cards: int = 0
    ratings: Counter[str] = field(default_factory=Counter)
    average_coverage: float = 0.0
    missed_most: list[tuple[str, int]] = field(default_factory=list)
    #: The red flags raised most (as graded, or as the user corrected them), label and times.
    flagged_most: list[tuple[str, int]] = field(default_factory=list)
    next_due: datetime | None = None
    #: The card that will be shown at ``next_due`` (its key), or None.
    next_card_key: str | None = None


@dataclass(frozen=True)
class HeldBack:
    """Cards a daily limit holds back today: which limit, in words, and how many wait."""

    #: "the daily review limit is reached (reviews_per_day 50)"
    reason: str
    #: How many cards wait.
    cards: int
    #: New cards (studied now with ``n`` or ``--new``); otherwise reviews (practise ahead).
    new: bool

    @property
    def waiting(self) -> str:
        """The cards in words: "77 reviews", "1 new card"."""
        return count(self.cards, "new card" if self.new else "review", fmt="{:,}")

    @property
    def wait(self) -> str:
        """ "77 reviews wait", "1 new card waits"."""
        return f"{self.waiting} wait{'s' * (self.cards == 1)}"


class RatingAlreadyUndone(Exception):
    """The rating a drill was to undo was already taken back elsewhere (``failtui undo``, or
    another failtui): nothing was changed."""


def _given(reviewed_at: str, tz: tzinfo | None) -> str:
    """When a rating was given (stored UTC text), as "2026-12-06 17:40" in ``tz``."""
    return f"{datetime.fromisoformat(reviewed_at).astimezone(tz):%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class NewestRating:
    """The newest rating stored (:func:`newest_rating`), named before it is undone."""

    review_id: int
    card_key: str
    rating: int
    #: When it was given (stored UTC text).
    reviewed_at: str

    def question(self, tz: tzinfo | None = None) -> str:
        """ "Undo Good of DECK/CARD, given 2026-12-06 17:40?" in ``tz`` (None: local time)."""
        label = Rating(self.rating).label.capitalize()
        return f"Undo {label} of {self.card_key}, given {_given(self.reviewed_at, tz)}?"


@dataclass(frozen=True)
class UndoneRating:
    """A rating taken back by :func:`undo_newest_rating`."""

    card_key: str
    rating: int
    #: When it was given (stored UTC text).
    reviewed_at: str
    #: Its answer.
    answer: str
    #: The card's draft now: the answer, or a draft typed since with the answer below it.
    draft: str

    def describe(self, tz: tzinfo | None = None) -> str:
        """ "Undid the rating Good of DECK/CARD (given 2026-12-06 17:40); its answer is the
        card's draft again." in ``tz`` (None: the system's local time)."""
        if is_empty_answer(self.answer):
            what = "it had no answer"  # a draft typed since stays as it is
        elif self.draft == self.answer:
            what = "its answer is the card's draft again"
        else:
            what = "its answer is below the text typed since, in the card's draft"
        return (
            f"Undid the rating {Rating(self.rating).label.capitalize()} of {self.card_key} "
            f"(given {_given(self.reviewed_at, tz)}); {what}."
        )


def newest_rating(store: Store) -> NewestRating | None:
    """The newest rating of all (to name it before undoing it), or None when none is stored."""
    newest = queries.newest_review(store)
    return NewestRating(*newest) if newest is not None else None


def undo_newest_rating(
    store: Store, now: datetime, *, review_id: int | None = None
) -> UndoneRating | None:
    """Undo the newest rating of all, whichever drill gave it.

    Being the newest of all, it is also its card's newest, so taking it back disturbs no later
    rating (it is chosen and undone in one transaction: see
    :func:`~failtui.storage.queries.undo_newest_review`): ``failtui undo``, undo in a drill
    that has rated nothing itself, and undo on home use this.

    Returns:
        What was undone; None when no rating is stored, or, with ``review_id`` (the rating the
        user was asked about), when the newest is no longer that one (another failtui rated or
        undid meanwhile: nothing was undone).
    """
    undone = queries.undo_newest_review(store, format_utc(now), review_id=review_id)
    if undone is None:
        return None
    return UndoneRating(*undone)


class DrillSession:
    """One drill: its queue (:class:`~failtui.drill_queue.DrillQueue`) and its actions."""

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
        #: Whether undo may still take back the newest rating of all: only once, and only
        #: while this drill has rated nothing (so ctrl+r never walks back older history).
        self.may_undo_newest = True
        #: Cards this drill buried or suspended since its last rating, newest last, with which
        #: of the two (``bury`` or ``suspend``).
        self._hidden: list[tuple[Card, str]] = []
        #: Follow-up answers typed before the card is rated, by card key: (text, graded answer
        #: or None while not submitted). Kept here so leaving the feedback loses nothing.
        self.pending_followups: dict[str, tuple[str, FollowUpAnswer | None]] = {}
        self._shown: _ShownIntervals | None = None
        self.queue = DrillQueue(
            store,
            self.settings,
            self._card_ids_by_deck,
            deck_id=deck_id,
            tz=tz,
            interviews=self.interviews_ahead,
        )
        # The card as graded (its personal cues added), kept so the grader's per-card caches,
        # keyed by the card object, last while the answer is typed.
        self._cued: tuple[Card, Card] | None = None
        # The clauses the user dismissed each red flag on, for one card (read once per card,
        # not on every keystroke of the live feedback).
        self._dismissed: tuple[str, dict[str, tuple[str, ...]]] | None = None

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

    def next_card(self) -> Card | None:
        """The card to show next, or None when the drill is over.

        The queue's order is :mod:`failtui.drill_queue`'s. With ``ahead``, when nothing is due,
        the card due soonest; ``limit`` ends the drill after that many ratings, and a drill of
        one card (``card_key``) ends once it is rated.
        """
        if self.limit is not None and len(self.rated) >= self.limit:
            return None
        if self.card_key is not None:
            return None if self.rated else self.catalog.card_by_key(self.card_key)
        key = self.queue.next_key(self.now(), ahead=self.ahead, new_anyway=self.new_anyway)
        return self.catalog.card_by_key(key) if key is not None else None

    def today_counts(self) -> TodayCounts:
        """Today's new cards and reviews, and the decks whose own limits they reach."""
        return self.queue.today_counts(self.now())

    def next_due(self) -> datetime | None:
        """When the next card of this drill's decks will really be shown (None if none will)."""
        showing = self.next_showing()
        return showing[0] if showing else None

    def next_showing(self) -> tuple[datetime, str] | None:
        """(when, card key) of the next card this drill's decks will really show.

        See :meth:`failtui.drill_queue.DrillQueue.next_showing`; the time is never in the past.
        """
        return self.queue.next_showing(self.now())

    def held_new_count(self) -> int:
        """New cards of this drill held back today by a daily new-card limit (not buried)."""
        if self.card_key is not None or self.new_anyway:
            return 0
        return self.queue.held_new_count(self.now())

    def new_limit_reached(self) -> bool:
        """Whether a daily new-card limit (the overall one or a deck's own) is used up today."""
        today = self.today_counts()
        return today.new >= self.settings.new_per_day or bool(today.new_closed)

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

    def review_limit_reached(self) -> bool:
        """Whether a daily review limit (the overall one or a deck's own) is used up today."""
        today = self.today_counts()
        return not reviews_open(today.reviews, self.settings) or bool(today.reviews_closed)

    def review_limit_reason(self) -> str:
        """Which daily limit holds reviews back, in words."""
        today = self.today_counts()
        if not reviews_open(today.reviews, self.settings):
            limit = self.settings.reviews_per_day
            return f"the daily review limit is reached (reviews_per_day {limit})"
        decks = sorted(today.reviews_closed)
        limits = ", ".join(f"{d} {self.settings.deck_reviews_per_day[d]}" for d in decks)
        return f"the deck's own review limit is reached (reviews_per_day: {limits})"

    def held_review_count(self) -> int:
        """Reviews of this drill due today but held back by a daily review limit (not buried)."""
        if self.card_key is not None:
            return 0
        return self.queue.held_review_count(self.now())

    def held_back(self) -> list[HeldBack]:
        """What the daily limits hold back from this drill today, reviews first (as the queue
        shows them): the one answer to why a drill shows fewer cards than are waiting."""
        held: list[HeldBack] = []
        reviews = self.held_review_count()
        if reviews:
            held.append(HeldBack(self.review_limit_reason(), reviews, new=False))
        new = self.held_new_count()
        if new:
            held.append(HeldBack(self.new_limit_reason(), new, new=True))
        return held

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

    def remembered_marks(self, card: Card, grade: Grade) -> Marks:
        """Marks that dismiss again the red flags of ``grade`` the user dismissed on earlier
        answers to this card, on the same clause retold (see
        :func:`~failtui.corrections.dismissed_clauses`); ``grade`` is the grader's."""
        if not grade.red_flags:
            return {}
        from failtui.corrections import dismissed_clauses, remembered_dismissals

        if self._dismissed is None or self._dismissed[0] != card.key:
            history = queries.red_flag_history(self.store, card.key)
            self._dismissed = (card.key, dismissed_clauses(history))
        return remembered_dismissals(grade, self._dismissed[1])

    def apply_remembered(self, card: Card, answer: str, grade: Grade) -> tuple[Marks, Grade]:
        """The marks of :meth:`remembered_marks` and the grade with them applied (``grade``
        itself, the grader's, when there are none)."""
        marks = self.remembered_marks(card, grade)
        return marks, (self.correct(card, answer, grade, marks) if marks else grade)

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

    def answer_followup(
        self, card: Card, followup: FollowUp, answer: str, told: str = ""
    ) -> FollowUpAnswer:
        """Grade the answer to a follow-up against its key point (stored with the rating), read
        after ``told``, the answer it follows.

        Raises:
            AnswerTooLong: the answer is over :data:`MAX_ANSWER_CHARS`.
        """
        from failtui.followups import grade_followup

        check_answer_length(answer)
        return grade_followup(self.graded_card(card), followup, answer, told)

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
        fuzz would otherwise draw a new one), and asking again for the same card in the same
        state shows the same intervals: a screen redrawn after a correction must not move them.
        """
        from failtui.interview import capped

        now = self.now()
        before = self.state(card)
        cap = self._due_cap(card, now)
        shown = self._shown
        if shown is None or not shown.shows(card, before) or shown.cap != cap:
            outcomes = {
                name: capped(after, cap)
                for name, after in scheduling.preview(self.scheduler, before, now).items()
            }
            shown = self._shown = _ShownIntervals(card.key, before, now, cap, outcomes)
        return {
            name: scheduling.due_of(after) - shown.shown_at
            for name, after in shown.outcomes.items()
        }

    def _reviewed(self, card: Card, before: CardState, rating: str, now: datetime) -> CardState:
        """The state after the rating: the interval shown, never past an interview's cap."""
        from failtui.interview import capped

        cap = self._due_cap(card, now)
        shown = self._shown
        if shown is not None and shown.shows(card, before):
            after = shown.outcomes[rating]
            # The same interval as shown, counted from the moment of rating.
            due = scheduling.due_of(after) + (now - shown.shown_at)
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
        remembered: Iterable[str] = (),
    ) -> RatedCard:
        """Rate a card and commit the attempt, review and new state before returning.

        ``grade`` is the grade as the user left it; when the user corrected the grader's,
        ``model_grade`` is the grader's own, stored beside it, and each key point the user
        marked covered teaches the card its sentence as a personal cue. ``spoken``: the answer
        was said aloud (``grade`` holds the user's ticks and the time measured); ``followup``:
        the answer to the interviewer's follow-up question, stored with this attempt;
        ``remembered``: the red flags dismissed again (:meth:`apply_remembered`) and still
        dismissed, stored marked so.
        """
        if rating not in scheduling.RATINGS:
            raise ValueError(f"unknown rating {rating!r}: use again, hard, good or easy")
        check_answer_length(answer)
        if is_empty_answer(answer):
            answer = ""  # stored as the empty answer it is (the history says "empty answer")
        now = self.now()
        before = self.state(card)
        after = self._reviewed(card, before, rating, now)
        last = read_stored_utc(before.last_review)
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
            corrections=self._corrections(card, model_grade, grade, frozenset(remembered)),
            generated_key_points=not card.key_points,
            spoken=spoken,
            followup=followup,
        )
        _attempt_id, review_id = queries.save_rating(self.store, record)
        if record.corrections:
            self._cued = None  # a cue may have been taught
        # A flag the user dismissed, or kept where it had been dismissed before, changes what
        # stays dismissed on this card.
        self._dismissed = None
        rated = RatedCard(card, answer, grade, rating, review_id, due)
        self.rated.append(rated)
        self.may_undo_newest = False
        self._hidden.clear()  # undo now takes back this rating first
        return rated

    @staticmethod
    def _corrections(
        card: Card, model_grade: Grade | None, grade: Grade, remembered: frozenset[str]
    ) -> tuple[Correction, ...]:
        if model_grade is None or model_grade is grade:
            return ()
        from failtui.corrections import corrections_between

        own = {kp.id for kp in card.key_points}
        found = []
        for c in corrections_between(model_grade, grade):
            if c.kind == KEY_POINT and c.item_id not in own:
                # A key point derived from the guidance (a card without key points) has no
                # cues to add to.
                c = replace(c, cue="")
            elif c.kind == RED_FLAG and not c.user and c.item_id in remembered:
                c = replace(c, remembered=True)
            found.append(c)
        return tuple(found)

    def can_undo(self) -> bool:
        """Whether a rating of this session can be undone."""
        return bool(self.rated)

    def undo(self) -> tuple[Card, str] | None:
        """Undo the last rating of this session completely; returns the card and its draft
        (the answer, below any text typed for that card since).

        Raises:
            RatingAlreadyUndone: that rating was taken back elsewhere (``failtui undo``); it
                is dropped from this session, so the next undo takes the one before it.
        """
        if not self.rated:
            return None
        last = self.rated[-1]
        taken_back = queries.undo_review(self.store, last.review_id, format_utc(self.now()))
        # Only once the undo is committed: a failed one can be tried again.
        self.rated.pop()
        self._forget_undone()
        if taken_back is None:
            raise RatingAlreadyUndone(
                f"That rating ({last.rating.capitalize()} of {last.card.key}) was already "
                "undone, by 'failtui undo' or another failtui; nothing was changed."
            )
        return last.card, taken_back.draft

    def undo_newest(self) -> tuple[UndoneRating, Card | None] | None:
        """Undo the newest rating of all (:func:`undo_newest_rating`), for a drill that has
        rated nothing itself (:attr:`may_undo_newest`; once per drill); with it, its card
        when this drill shows that card."""
        undone = undo_newest_rating(self.store, self.now())
        if undone is None:
            return None
        self.may_undo_newest = False
        self._forget_undone()
        deck_id = undone.card_key.partition("/")[0]
        in_drill = (
            self.card_key == undone.card_key
            if self.card_key is not None
            else self.deck_id in (None, deck_id)
        )
        return undone, self.catalog.card_by_key(undone.card_key) if in_drill else None

    def _forget_undone(self) -> None:
        """Forget what an undone rating may have changed since it was read."""
        self._cued = None  # a cue taught by that rating is forgotten with it
        self._dismissed = None  # and so is a red flag it dismissed
        self.queue.forget_unrated()  # an undone first rating makes the card new again

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

    def followup_draft(self, card: Card) -> str:
        """The saved draft of the answer to the follow-up asked after a card's answer."""
        return queries.load_followup_draft(self.store, card.key)

    def save_followup_draft(self, card: Card, text: str) -> None:
        """Save (or clear, if empty) the draft of the answer to a card's follow-up; it goes
        when the card is rated, stored with the attempt."""
        queries.save_followup_draft(self.store, card.key, text, format_utc(self.now()))

    def bury(self, card: Card) -> None:
        """Hide a card until the next study day."""
        until = scheduling.next_day_start(self.now(), self.settings.rollover_hour, self.tz)
        queries.set_card_flags(self.store, card.key, card.deck_id, buried_until=format_utc(until))
        self._hidden.append((card, "bury"))

    def suspend(self, card: Card) -> None:
        """Take a card out of the drill until it is unsuspended."""
        queries.set_card_flags(self.store, card.key, card.deck_id, suspended=True)
        self._hidden.append((card, "suspend"))

    def hidden_last(self) -> tuple[Card, str] | None:
        """The card this drill buried or suspended last, if that came after its last rating,
        and which (``bury`` or ``suspend``); undo brings it back before any rating."""
        return self._hidden[-1] if self._hidden else None

    def unhide_last(self) -> Card:
        """Bring back the card :meth:`hidden_last` names (unbury or unsuspend it); returns it."""
        from failtui.card_browser import apply

        card, how = self._hidden[-1]
        apply(
            self.store,
            card,
            f"un{how}",
            self.now(),
            rollover_hour=self.settings.rollover_hour,
            tz=self.tz,
        )
        self._hidden.pop()  # only once it is written: a failed write can be tried again
        return card

    # -- summary ------------------------------------------------------------------------------
    def summary(self) -> SessionSummary:
        """Cards done, ratings, average coverage, most-missed key points, most-raised red flags,
        next due time."""
        showing = self.next_showing()
        missed: Counter[str] = Counter()
        flagged: Counter[str] = Counter()
        for rated in self.rated:
            for kp in rated.grade.key_points:
                if not kp.covered:
                    missed[kp.label] += 1
            flagged.update(flag.label for flag in rated.grade.red_flags)
        return SessionSummary(
            done=len(self.rated),
            cards=len({r.card.key for r in self.rated}),
            ratings=Counter(r.rating for r in self.rated),
            average_coverage=(
                sum(r.grade.coverage for r in self.rated) / len(self.rated) if self.rated else 0.0
            ),
            missed_most=missed.most_common(5),
            flagged_most=flagged.most_common(3),
            next_due=showing[0] if showing else None,
            next_card_key=showing[1] if showing else None,
        )
