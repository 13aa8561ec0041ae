"""Interview dates: the cap on intervals before the day, the plan and the readiness for it.

While an interview is ahead, a rating never schedules a card of its decks after the study day
before it (the interval is cut there; FSRS keeps the card's stability and difficulty, so after
the day the card goes on as before). A rating on that day before itself brings the card back on
the interview's day at the latest, for a last look that morning; on the interview's day a rating
schedules as usual. Adding the interview brings the cards already due after the day before it
forward, spread over the study days from today to that day so that the fullest day holds as few
as it can; their due date alone is moved, and the caller says how many moved. New cards of its
decks come before other new cards, and the plan says whether the daily limits let every card be
seen, and every review be done, before the day, and what would.

Readiness is the mean FSRS probability of recall of the interview's cards at the start of its
study day, if no card were reviewed again until then; a card never studied counts 0.
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from failtui import scheduling
from failtui.drill_queue import DrillQueue, PlannedCard, deck_of, reviews_shown_per_day
from failtui.models import CardState, DeckError, title_problem
from failtui.scheduling import Settings, format_utc, parse_utc
from failtui.storage import interviews as interview_store
from failtui.storage.db import Store
from failtui.storage.home_queries import counts_by_deck_on
from failtui.storage.interviews import Interview as Interview

# Re-exported (``X as X``): the interview operations the screens use, in one place.
from failtui.storage.interviews import interview_days as interview_days
from failtui.storage.interviews import interviews as interviews
from failtui.storage.interviews import remove_interview as remove_interview

#: How far ahead an interview may be, in days (about three years): a plan is made day by day.
MAX_DAYS_AHEAD = 1096
#: How many of the cards likeliest to be forgotten a plan lists.
AT_RISK_SHOWN = 10
#: ASCII digits only (``\d`` takes any script's digits, which ``int`` would then read).
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class InterviewError(ValueError):
    """An interview date, title, deck or id that cannot be used; the message is one line.

    ``field`` names what it is about (``day``, ``title`` or ``decks``), so a form can point at
    it; it is empty for an interview id.
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` date.

    Raises:
        InterviewError: ``text`` is not a real date in that form; the message says which part
            is out of range when the form is right (asking for the form again would not help).
    """
    raw = text.strip()
    if not _DAY.match(raw):
        raise InterviewError(
            f"'{raw[:40]}' is not a date: write it as YYYY-MM-DD, such as 2026-12-20", "day"
        )
    year, month, day = (int(part) for part in raw.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        problem = _out_of_range(year, month, day)
        raise InterviewError(f"'{raw}' is not a date: {problem}", "day") from None


def _out_of_range(year: int, month: int, day: int) -> str:
    """Which part of a ``YYYY-MM-DD`` date that :class:`date` refused is out of range."""
    if year < 1:
        return f"there is no year {year}"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    return f"{date(year, month, 1):%B} {year} has no day {day}"


@dataclass(frozen=True)
class Added:
    """An interview just stored, and the cards whose due date adding it moved."""

    interview: Interview
    #: Cards of its decks that were due after the study day before it, now due by that day.
    moved: int = 0
    #: How many study days the moved cards were spread over.
    spread_over: int = 0
    #: Decks it names that have no cards yet (it is stored all the same).
    empty_decks: tuple[str, ...] = ()

    @property
    def day_before(self) -> str:
        """The study day before the interview (YYYY-MM-DD): the moved cards are due by then."""
        return (date.fromisoformat(self.interview.day) - timedelta(days=1)).isoformat()

    @property
    def moved_text(self) -> str:
        """One line saying how many cards were brought forward, or "" when none were."""
        if not self.moved:
            return ""
        cards = f"{self.moved} card{'s' * (self.moved != 1)}"
        spread = f", spread over {self.spread_over} study days" if self.spread_over > 1 else ""
        return (
            f"{cards} due after {self.day_before}, the day before, "
            f"{'are' if self.moved != 1 else 'is'} now due by then{spread} "
            "(only due dates moved; FSRS memory state is kept)."
        )

    @property
    def empty_text(self) -> str:
        """One line saying which of its decks have no cards yet, or "" when all have some
        (lower case, as the plan's problems: the caller puts it in a sentence)."""
        if not self.empty_decks:
            return ""
        return (
            f"{deck_problem_text((), self.empty_decks)}: add cards before the day; the plan "
            "counts them as they come"
        )


def add(
    store: Store,
    day_text: str,
    title: str,
    decks: tuple[str, ...],
    known_decks: Mapping[str, Sequence[str]],
    now: datetime,
    rollover_hour: int,
    tz: tzinfo | None,
) -> Added:
    """Check and store an interview on ``day_text`` covering ``decks`` (none: every deck).

    ``known_decks`` are the card ids of every deck, by deck id. Cards of its decks already due
    after the study day before it are brought forward, spread over the study days from today
    to that day (due dates only; stability, difficulty and the review history stay), in the
    same transaction. A deck with no cards yet is accepted (its cards may come later) and
    named in the result.

    Raises:
        InterviewError: a bad date, a date before today's study day, a title too long, or a
            deck that does not exist. Nothing is stored then.
    """
    today = scheduling.study_day(now, rollover_hour, tz)
    day = parse_day(day_text)
    if day < today:
        raise InterviewError(
            f"{day.isoformat()} is before today ({today.isoformat()}): give a date ahead", "day"
        )
    if (day - today).days > MAX_DAYS_AHEAD:
        raise InterviewError(
            f"{day.isoformat()} is {(day - today).days:,} days away; give a date at most "
            f"{MAX_DAYS_AHEAD:,} days (about three years) ahead",
            "day",
        )
    problem = title_problem(title)  # the same limit as a deck's title
    if problem:
        raise InterviewError(problem, "title")
    unknown = [d for d in decks if d not in known_decks]
    if unknown:
        known = ", ".join(known_decks) or "none"
        raise InterviewError(f"no deck '{unknown[0]}' (decks: {known})", "decks")
    new = Interview(0, day.isoformat(), title, tuple(dict.fromkeys(decks)))
    ahead = sorted([*upcoming(store, today), new], key=lambda i: i.day)
    covered = [d for d in known_decks if new.covers(d)]
    moves = due_moves(store, ahead, covered, today, rollover_hour, tz)
    stored, moved = interview_store.add_interview(
        store, new.day, title, new.decks, format_utc(now), due_moves=moves
    )
    spread_over = len({new_due for _key, _due, new_due in moves})
    empty = tuple(d for d in new.decks if not known_decks[d])
    return Added(stored, moved, spread_over, empty)


def due_moves(
    store: Store,
    ahead: list[Interview],
    deck_ids: list[str],
    today: date,
    rollover_hour: int,
    tz: tzinfo | None,
) -> list[tuple[str, str, str]]:
    """(card key, due now, due brought forward) of the studied cards of ``deck_ids`` that are
    due after the study day before the soonest interview ``ahead`` covering their deck.

    They are spread over the study days from ``today`` to that day before, onto the days
    holding the fewest reviews of these decks (today: those due and those already done), so the
    fullest day holds as few as it can; the cards that were due soonest take the latest days,
    the nearest the interview. A card due by that day is left as it is: it comes up then
    anyway. Suspended cards stay out of it. The same cards give the same moves.
    """
    states = interview_store.card_states_of_decks(store, deck_ids)
    # Reviews each study day already holds, and the cards to move, by the day before their
    # interview.
    # Today holds these decks' reviews already done too; the other days count only these
    # decks' cards, so today must not count other decks' reviews either.
    done_today = counts_by_deck_on(store, today.isoformat())
    loads: dict[date, int] = {today: sum(done_today.get(d, (0, 0))[1] for d in deck_ids)}
    late: dict[date, list[tuple[datetime, str, str]]] = {}
    for key, state in states.items():
        if state.due is None or state.state == "new" or state.suspended:
            continue
        due = parse_utc(state.due)
        due_day = max(today, scheduling.study_day(due, rollover_hour, tz))
        eve = _day_before_of(ahead, key.split("/", 1)[0], today)
        if eve is not None and due_day > eve:
            late.setdefault(eve, []).append((due, key, state.due))
        else:
            loads[due_day] = loads.get(due_day, 0) + 1
    moves = []
    for eve in sorted(late):
        days = [today + timedelta(days=n) for n in range((eve - today).days + 1)]
        shares = level_out([loads.get(d, 0) for d in days], len(late[eve]))
        cards = iter(sorted(late[eve]))  # due soonest first: they take the latest days
        for day, share in reversed(list(zip(days, shares, strict=True))):
            loads[day] = loads.get(day, 0) + share
            start = format_utc(scheduling.study_day_start(day, rollover_hour, tz))
            moves += [(key, due_text, start) for _due, key, due_text in islice(cards, share)]
    return moves


def level_out(loads: Sequence[int], cards: int) -> list[int]:
    """How many of ``cards`` each day takes so that the fullest day, with what it already
    holds (``loads``), holds as few as it can; on a tie the later day takes one first."""
    if not loads or cards <= 0:
        return [0] * len(loads)

    def room(level: int) -> int:
        return sum(max(0, level - load) for load in loads)

    low, high = min(loads), min(loads) + cards  # room(high) >= cards
    while low < high:  # the lowest level with room for every card
        middle = (low + high) // 2
        low, high = (middle + 1, high) if room(middle) < cards else (low, middle)
    shares = [max(0, low - 1 - load) for load in loads]  # everything below that level
    left = cards - sum(shares)
    for n in reversed(range(len(loads))):  # the rest reach the level, latest days first
        if left and loads[n] <= low - 1:
            shares[n] += 1
            left -= 1
    return shares


def _day_before_of(ahead: list[Interview], deck_id: str, today: date) -> date | None:
    """The study day before the soonest interview ``ahead`` (after ``today``) covering
    ``deck_id``: a card of that deck should be due by then. None when there is none."""
    for interview in ahead:  # soonest first
        day = date.fromisoformat(interview.day)
        if day > today and interview.covers(deck_id):
            return day - timedelta(days=1)
    return None


def upcoming(store: Store, today: date) -> list[Interview]:
    """Interviews on or after ``today``, soonest first."""
    return interview_store.interviews(store, today.isoformat())


def find(store: Store, interview_id: int | None, today: date) -> Interview:
    """The interview with this id, or the next one (on or after ``today``) when None.

    Raises:
        InterviewError: no such interview, or none ahead.
    """
    if interview_id is None:
        ahead = upcoming(store, today)
        if not ahead:
            raise InterviewError(
                "no interview ahead: add one with 'failtui interview add YYYY-MM-DD'"
            )
        return ahead[0]
    for interview in interview_store.interviews(store):
        if interview.id == interview_id:
            return interview
    raise InterviewError(f"no interview with id {interview_id} (see 'failtui interview list')")


# -- the cap -------------------------------------------------------------------------------------
def holding_interview(
    ahead: list[Interview], deck_id: str, now: datetime, rollover_hour: int, tz: tzinfo | None
) -> tuple[Interview, datetime] | None:
    """The soonest interview ahead that caps a rating of a card of ``deck_id`` at ``now``, with
    the cap, or None.

    The cap is the start of the study day before the interview. On that day itself it is the
    start of the interview's day: a card rated then comes back for a last look that morning
    (a cap at the day already begun would bring it back at once, over and over). On the
    interview's day there is nothing left to hold a card for.
    """
    today = scheduling.study_day(now, rollover_hour, tz)
    for interview in ahead:  # soonest first
        day = date.fromisoformat(interview.day)
        if day <= today or not interview.covers(deck_id):
            continue
        last_day = max(today + timedelta(days=1), day - timedelta(days=1))
        return interview, scheduling.study_day_start(last_day, rollover_hour, tz)
    return None


def due_cap(
    ahead: list[Interview], deck_id: str, now: datetime, rollover_hour: int, tz: tzinfo | None
) -> datetime | None:
    """The latest a rating at ``now`` may schedule a card of ``deck_id``, or None for no limit."""
    held = holding_interview(ahead, deck_id, now, rollover_hour, tz)
    return held[1] if held else None


def hold_note(interview: Interview, today: str) -> str:
    """Why the intervals shown on study day ``today`` (YYYY-MM-DD) stop short: one line naming
    the interview."""
    day = date.fromisoformat(interview.day)
    before = day - timedelta(days=1)
    if date.fromisoformat(today) >= before:
        return f"Intervals stop at {day:%a %d %b}, the day of {interview.name}, for a last look."
    return f"Intervals stop at {before:%a %d %b}, the day before {interview.name} ({day:%a %d %b})."


def capped(state: CardState, cap: datetime | None) -> CardState:
    """``state`` with its due moved back to ``cap`` when it falls after it (stability, difficulty
    and the rest untouched)."""
    if cap is None or state.due is None or parse_utc(state.due) <= cap:
        return state
    return replace(state, due=format_utc(cap))


# -- the plan ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DeckReadiness:
    """One deck's part of an interview: its cards, how many were studied, its readiness."""

    deck_id: str
    cards: int
    studied: int
    readiness: float


@dataclass(frozen=True)
class NewCardPace:
    """Whether the daily new-card limits let every card be seen before the day."""

    unseen: int
    #: Study days left to bring new cards in: today up to the day before the interview.
    days: int
    needed_per_day: int
    #: The most new cards of the interview's decks the limits let in before the day.
    allowed: int
    #: What would fix it, when ``allowed`` is short of ``unseen``; else "".
    fix: str = ""

    @property
    def possible(self) -> bool:
        return self.unseen <= self.allowed


@dataclass(frozen=True)
class DeckLimit:
    """A deck whose own daily limit is too low for the interview, and the limit it needs."""

    deck_id: str
    limit: int
    needed_per_day: int


@dataclass(frozen=True)
class ReviewPace:
    """Whether the daily review limits let every review due before the day be done by then."""

    #: Reviews of the interview's decks due from today to the day before it (overdue ones, and
    #: cards in their learning steps, too).
    due: int = 0
    #: The overall daily review limit (``reviews_per_day``).
    limit: int = 0
    #: How many of them the drill shows by the day before within the limits (overall and each
    #: deck's own), those left over on a day waiting for the next (today's reviews already done
    #: count against today's limits).
    allowed: int = 0
    #: The smallest overall daily limit that lets them all in (with the decks' own limits of
    #: ``deck_limits`` raised as they say).
    needed_per_day: int = 0
    #: Decks whose own ``reviews_per_day`` leaves some of their reviews undone.
    deck_limits: tuple[DeckLimit, ...] = ()
    #: Reviews of the other decks the drill shows by then: they share the overall limit.
    other_decks: int = 0

    @property
    def possible(self) -> bool:
        return self.due <= self.allowed


def let_in_per_day(arriving: Sequence[int], limit: int, used_today: int = 0) -> list[int]:
    """How many of the cards ``arriving`` each day (from today on) a daily ``limit`` lets in
    on each day, those left over on a day waiting for the next (``used_today`` of today's
    limit already used): the pace of new cards (reviews are counted as the drill shows them,
    by :func:`failtui.drill_queue.reviews_shown_per_day`)."""
    waiting = 0
    taken = []
    for n, arrived in enumerate(arriving):
        room = max(0, limit - (used_today if n == 0 else 0))
        waiting += arrived
        taken.append(min(waiting, room))
        waiting -= taken[-1]
    return taken


def limit_needed(arriving: Sequence[int], used_today: int = 0) -> int:
    """The smallest daily limit that lets every card ``arriving`` in by the last day.

    A card cannot come in before it arrives, so each day's cards must fit in the days from
    then on: the limit needed is the largest number arriving from a day on, over those days.
    """
    needed = later = 0
    for n in reversed(range(len(arriving))):
        later += arriving[n]  # arriving from day n on
        used = used_today if n == 0 else 0
        needed = max(needed, math.ceil((later + used) / (len(arriving) - n)))
    return needed


def review_pace(
    cards: Sequence[PlannedCard],
    deck_ids: Sequence[str],
    days: int,
    settings: Settings,
    reviews_today: int = 0,
    deck_reviews_today: Mapping[str, int] | None = None,
) -> ReviewPace:
    """Whether the drill shows every review of ``deck_ids`` due in the ``days`` study days from
    today by the last of them, and what limits would let it.

    ``cards`` are the cards of every deck the drill can show on those days
    (:meth:`DrillQueue.planned_cards`): the other decks' reviews take their share of the
    overall limit, and cards in their learning steps are shown whatever the limits but count
    against them, as in the drill. ``reviews_today`` and ``deck_reviews_today`` are today's
    reviews already done.
    """
    done = deck_reviews_today or {}
    wanted = set(deck_ids)

    def shown(of: Sequence[PlannedCard], limits: Settings) -> dict[str, list[int]]:
        return reviews_shown_per_day(of, days, limits, reviews_today, done)

    ours = [card for card in cards if deck_of(card.key) in wanted]
    shown_now = shown(cards, settings)
    allowed = sum(sum(shown_now.get(d, ())) for d in deck_ids)
    others = sum(sum(per_day) for d, per_day in shown_now.items() if d not in wanted)
    # With no overall limit, each deck's own limit alone holds its reviews back.
    no_overall_limit = settings._replace(reviews_per_day=len(cards) + reviews_today)
    binding = []
    own_limits = dict(settings.deck_reviews_per_day)

    def deck_fits(deck_id: str, limit: int) -> bool:
        of = [card for card in ours if deck_of(card.key) == deck_id]
        limits = no_overall_limit._replace(deck_reviews_per_day={deck_id: limit})
        return sum(shown(of, limits).get(deck_id, ())) == len(of)

    for deck_id in deck_ids:
        own = settings.deck_reviews_per_day.get(deck_id)
        if own is not None and not deck_fits(deck_id, own):
            needed = smallest_limit(partial(deck_fits, deck_id), len(ours) + done.get(deck_id, 0))
            binding.append(DeckLimit(deck_id, own, needed))
            own_limits[deck_id] = needed
    raised = settings._replace(deck_reviews_per_day=own_limits)

    def fits(limit: int) -> bool:
        shown_then = shown(cards, raised._replace(reviews_per_day=limit))
        return sum(sum(shown_then.get(d, ())) for d in deck_ids) == len(ours)

    # A limit that lets every card of every deck in on its day holds none back.
    enough = settings.reviews_per_day if allowed == len(ours) else len(cards) + reviews_today
    needed_per_day = smallest_limit(fits, enough)
    limit = settings.reviews_per_day
    return ReviewPace(len(ours), limit, allowed, needed_per_day, tuple(binding), others)


def smallest_limit(fits: Callable[[int], bool], enough: int) -> int:
    """The smallest daily limit, from 0 up to ``enough`` (which fits), that ``fits``: a higher
    limit never lets fewer cards in."""
    low, high = 0, enough
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if fits(middle) else (middle + 1, high)
    return low


@dataclass(frozen=True)
class Plan:
    """What stands between today and an interview."""

    interview: Interview
    today: str
    days_left: int
    readiness: float
    decks: tuple[DeckReadiness, ...]
    #: (study day, reviews due that day) from today to the day before the interview (none once
    #: it is over).
    due_per_day: tuple[tuple[str, int], ...]
    #: (card key, recall on the day) of studied cards, likeliest to be forgotten first.
    at_risk: tuple[tuple[str, float], ...]
    pace: NewCardPace
    cards: int = 0
    never_studied: int = 0
    notes: tuple[str, ...] = field(default=())
    reviews: ReviewPace = ReviewPace()
    #: Decks it names that no longer exist (deleted, or their file does not load).
    missing_decks: tuple[str, ...] = ()
    #: Decks it names that have no cards to drill.
    empty_decks: tuple[str, ...] = ()
    #: (deck, why) of the missing decks whose file is there but does not load.
    broken_decks: tuple[tuple[str, str], ...] = ()

    @property
    def over(self) -> bool:
        """Whether the interview's day has passed: then there is nothing left to plan."""
        return self.days_left < 0

    @property
    def problem(self) -> str | None:
        """One line saying that the limits leave cards unseen and what would fix it, or None."""
        pace = self.pace
        if self.over or pace.possible:
            return None
        until = "today" if self.days_left <= 0 else f"before {self.interview.day}"
        return (
            f"{pace.unseen} card{'s' * (pace.unseen != 1)} of {self.interview.name} "
            f"{'are' if pace.unseen != 1 else 'is'} new and the daily limits let in "
            f"{pace.allowed} {until}: {pace.fix}"
        )

    @property
    def review_problem(self) -> str | None:
        """One line saying that the review limits leave reviews undone before the day and what
        would fix it, or None."""
        reviews = self.reviews
        if self.over or reviews.possible:
            return None
        last_day = self.due_per_day[-1][0]
        until = "today" if last_day == self.today else f"by {last_day}"
        needed = reviews.needed_per_day
        # Named when they take some of what the overall limit, too low, lets in.
        shared = (
            f", shared with {reviews.other_decks} review{'s' * (reviews.other_decks != 1)} of "
            "other decks,"
            if reviews.other_decks and reviews.limit < needed
            else ""
        )
        limits = (
            f"the daily review limits{shared} let"
            if reviews.deck_limits
            else f"reviews_per_day ({reviews.limit}){shared} lets"
        )
        fixes = []
        if reviews.limit < needed:
            fixes.append(
                f"set reviews_per_day to {needed} ('failtui settings reviews_per_day {needed}')"
            )
        for deck in reviews.deck_limits:
            need = deck.needed_per_day
            fixes.append(
                f"set {deck.deck_id}'s own reviews_per_day to {need} ('failtui settings --deck "
                f"{deck.deck_id} reviews_per_day {need}')"
            )
        fixes.append("practise ahead (p on home) on the days before")
        return (
            f"{reviews.due} review{'s' * (reviews.due != 1)} of {self.interview.name} "
            f"{'are' if reviews.due != 1 else 'is'} due {until} and {limits} in "
            f"{reviews.allowed} of them by then: {'; '.join(fixes[:-1])}, or {fixes[-1]}"
        )

    @property
    def deck_problem(self) -> str | None:
        """One line naming the decks it names that are gone or have no cards, or None."""
        return deck_problem_text(self.missing_decks, self.empty_decks, self.broken_decks) or None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``failtui plan --json``."""

        def readiness(value: float, cards: int) -> float | None:
            # No readiness once the day is past, nor of no cards at all.
            return None if self.over or not cards else round(value, 4)

        return {
            "interview": interview_dict(self.interview),
            "today": self.today,
            "days_left": self.days_left,
            "over": self.over,
            "readiness": readiness(self.readiness, self.cards),
            "cards": self.cards,
            "never_studied": self.never_studied,
            "decks": [
                {
                    "deck": d.deck_id,
                    "cards": d.cards,
                    "studied": d.studied,
                    "readiness": readiness(d.readiness, d.cards),
                }
                for d in self.decks
            ],
            "missing_decks": list(self.missing_decks),
            "empty_decks": list(self.empty_decks),
            "broken_decks": [{"deck": d, "error": why} for d, why in self.broken_decks],
            "deck_problem": self.deck_problem,
            "due_per_day": [{"day": day, "reviews": n} for day, n in self.due_per_day],
            "at_risk": [{"card": key, "recall": round(r, 4)} for key, r in self.at_risk],
            "new_cards": {
                "unseen": self.pace.unseen,
                "days": self.pace.days,
                "needed_per_day": self.pace.needed_per_day,
                "allowed": self.pace.allowed,
                "possible": None if self.over else self.pace.possible,
            },
            "problem": self.problem,
            "reviews": {
                "due": self.reviews.due,
                "limit": self.reviews.limit,
                "allowed": self.reviews.allowed,
                "needed_per_day": self.reviews.needed_per_day,
                "deck_limits": [
                    {"deck": d.deck_id, "limit": d.limit, "needed_per_day": d.needed_per_day}
                    for d in self.reviews.deck_limits
                ],
                "other_decks": self.reviews.other_decks,
                "possible": None if self.over else self.reviews.possible,
            },
            "review_problem": self.review_problem,
        }


def deck_problem_text(
    missing: Sequence[str], empty: Sequence[str], broken: Sequence[tuple[str, str]] = ()
) -> str:
    """``deck x is not found (deleted?); deck y has no cards yet``, or "" when neither; a
    missing deck whose file is there but fails to load (``broken``: deck, why) is said so, with
    its why when that is not empty."""
    why_broken = dict(broken)
    gone = [d for d in missing if d not in why_broken]
    parts = []
    if gone:
        several = len(gone) > 1
        parts.append(
            f"deck{'s' * several} {', '.join(gone)} {'are' if several else 'is'} not found "
            "(deleted?)"
        )
    parts += [
        f"deck {d} does not load" + (f": {why_broken[d]}" if why_broken[d] else "")
        for d in missing
        if d in why_broken
    ]
    if empty:
        several = len(empty) > 1
        parts.append(
            f"deck{'s' * several} {', '.join(empty)} {'have' if several else 'has'} no cards yet"
        )
    return "; ".join(parts)


def load_failures(
    errors: Sequence[DeckError], deck_ids: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """(deck, why) of the decks among ``deck_ids`` whose file failed to load (``errors``, a
    catalog's): why is the error in short and the command that shows every problem. The deck
    a file claims is its ``id`` line, or its name."""
    from failtui.decks.reader import claimed_deck_id  # only when a deck file failed to load

    claimed = {claimed_deck_id(error.path): error for error in errors}
    failures = []
    for deck_id in deck_ids:
        error = claimed.get(deck_id)
        if error is not None:
            short = str(replace(error, path=Path(error.path.name)))
            command = f"failtui decks validate {shlex.quote(str(error.path))}"
            failures.append((deck_id, f"{short}; run '{command}'"))
    return tuple(failures)


def deck_gaps(
    interview: Interview, card_ids_by_deck: Mapping[str, Sequence[str]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(missing, empty): the decks ``interview`` names that are not among ``card_ids_by_deck``,
    and those that have no cards there."""
    missing = tuple(d for d in interview.decks if d not in card_ids_by_deck)
    empty = tuple(d for d in interview.decks if d in card_ids_by_deck and not card_ids_by_deck[d])
    return missing, empty


def interview_dict(interview: Interview) -> dict[str, Any]:
    """An interview as ``failtui interview list --json`` prints it."""
    return {
        "id": interview.id,
        "day": interview.day,
        "title": interview.title,
        "decks": list(interview.decks),
    }


def days_left(interview: Interview, today: date) -> int:
    """Study days from ``today`` to the interview's day (0 on the day, negative after it)."""
    return (date.fromisoformat(interview.day) - today).days


def make_plan(
    store: Store,
    interview: Interview,
    card_ids_by_deck: Mapping[str, Sequence[str]],
    settings: Settings,
    now: datetime,
    tz: tzinfo | None,
    new_today: int = 0,
    reviews_today: int = 0,
    load_errors: Sequence[DeckError] = (),
) -> Plan:
    """The plan for ``interview`` as the collection stands at ``now``.

    ``card_ids_by_deck`` are the cards a drill would show (paused stories left out);
    ``new_today`` and ``reviews_today`` the new cards and reviews already done today (the
    daily limits are shared); ``load_errors`` the catalog's, to tell a deck whose file no
    longer loads from one deleted. Once the day is past, the plan holds no days, cards at risk or
    problems: only the cards and what is missing.
    """
    from failtui.scheduling import make_scheduler, retrievability

    today = scheduling.study_day(now, settings.rollover_hour, tz)
    day = date.fromisoformat(interview.day)
    on_the_day = max(now, scheduling.study_day_start(day, settings.rollover_hour, tz))
    decks = [d for d in card_ids_by_deck if interview.covers(d)]
    keys = {f"{d}/{c}": d for d in decks for c in card_ids_by_deck[d]}
    # One read of every deck's card states: the readiness takes this interview's cards (a card
    # flagged deleted as never studied), the days ahead every card the drill can show.
    stored = interview_store.card_states_flagged(store, list(card_ids_by_deck))
    states = {k: s for k, s in stored.states.items() if k not in stored.flagged_deleted}
    scheduler = make_scheduler(settings, fuzz=False)
    last_day = max(today, day - timedelta(days=1))
    study_days = [
        (today + timedelta(days=n)).isoformat() for n in range((last_day - today).days + 1)
    ]
    per_deck: dict[str, list[float]] = {d: [] for d in decks}
    studied_per_deck: dict[str, int] = dict.fromkeys(decks, 0)
    at_risk: list[tuple[str, float]] = []
    unseen_by_deck: dict[str, int] = dict.fromkeys(decks, 0)
    for key, deck_id in keys.items():
        state = states.get(key)
        if state is not None and state.suspended:
            continue  # out of the drill until unsuspended: it cannot be made ready
        if state is None or state.state == "new":
            per_deck[deck_id].append(0.0)
            unseen_by_deck[deck_id] += 1
            continue
        recall = retrievability(scheduler, state, on_the_day) or 0.0
        per_deck[deck_id].append(recall)
        studied_per_deck[deck_id] += 1
        at_risk.append((key, recall))
    # Every deck's cards the drill can show by the day before: the reviews due each day, and
    # what the daily limits, shared with the other decks, let in.
    queue = DrillQueue(store, settings, lambda: card_ids_by_deck, tz=tz)
    planned = queue.planned_cards(now, len(study_days), stored.states)
    due_counts = [0] * len(study_days)
    for card in planned:
        if deck_of(card.key) in decks:
            due_counts[card.day] += 1
    every = [r for values in per_deck.values() for r in values]
    at_risk.sort(key=lambda item: (item[1], item[0]))
    left = days_left(interview, today)
    due_per_day = tuple(zip(study_days, due_counts, strict=True))
    unseen = sum(unseen_by_deck.values())
    pace = new_card_pace(unseen_by_deck, left, settings, new_today)
    done_today = counts_by_deck_on(store, today.isoformat())
    reviews = review_pace(
        planned,
        decks,
        len(study_days),
        settings,
        reviews_today,
        {d: reviews for d, (_new, reviews) in done_today.items()},
    )
    if left < 0:  # over: nothing is due before it any more, and nothing can be made ready
        due_per_day, at_risk, pace = (), [], NewCardPace(unseen, 0, 0, 0)
    missing, empty = deck_gaps(interview, card_ids_by_deck)
    return Plan(
        interview=interview,
        today=today.isoformat(),
        days_left=left,
        readiness=sum(every) / len(every) if every else 0.0,
        decks=tuple(
            DeckReadiness(
                d,
                len(per_deck[d]),
                studied_per_deck[d],
                sum(per_deck[d]) / len(per_deck[d]) if per_deck[d] else 0.0,
            )
            for d in decks
        ),
        due_per_day=due_per_day,
        at_risk=tuple(at_risk[:AT_RISK_SHOWN]),
        pace=pace,
        cards=len(every),
        never_studied=unseen,
        reviews=reviews,
        missing_decks=missing,
        empty_decks=empty,
        broken_decks=load_failures(load_errors, missing),
    )


def new_card_pace(
    unseen_by_deck: dict[str, int], days_left: int, settings: Settings, new_today: int
) -> NewCardPace:
    """How many new cards a day it takes to see every card before the day, and whether the
    daily limits (overall and each deck's own) let that many in."""
    unseen = sum(unseen_by_deck.values())
    days = max(1, days_left)  # on the day itself, today is still there to study
    needed = math.ceil(unseen / days)
    overall = settings.new_per_day
    allowed = 0
    # Decks whose own limit is too low: (deck, its limit, the limit it would need).
    binding: list[DeckLimit] = []
    for deck_id, count in unseen_by_deck.items():
        own = settings.deck_new_per_day.get(deck_id)
        if own is None:
            allowed += count
            continue
        deck_allowed = sum(let_in_per_day([count] + [0] * (days - 1), own))
        allowed += deck_allowed
        if deck_allowed < count:
            binding.append(DeckLimit(deck_id, own, limit_needed([count] + [0] * (days - 1))))
    # The overall limit is shared by every deck: today what is left of it, then all of it.
    allowed = sum(let_in_per_day([allowed] + [0] * (days - 1), overall, new_today))
    fix = ""
    if allowed < unseen:
        if days_left <= 0:
            fix = "run 'failtui drill --new' to study them now"
        else:
            parts = []
            # N a day with today's new cards counted: N * days >= what is left + done today.
            target = limit_needed([unseen] + [0] * (days - 1), new_today)
            if overall < target:
                parts.append(
                    f"set new_cards_per_day to {target} ('failtui settings new_cards_per_day "
                    f"{target}')"
                )
            for deck in binding:
                parts.append(
                    f"set {deck.deck_id}'s own limit to {deck.needed_per_day} ('failtui "
                    f"settings --deck {deck.deck_id} new_cards_per_day {deck.needed_per_day}')"
                )
            parts.append("study them now with 'failtui drill --new'")
            fix = "; ".join(parts[:-1]) + (", or " if len(parts) > 1 else "") + parts[-1]
    return NewCardPace(unseen, days, needed, allowed, fix)
