"""Interview dates: the cap on intervals before the day, the plan and the readiness for it.

While an interview is ahead, a rating never schedules a card of its decks after the study day
before it (the interval is cut there; FSRS keeps the card's stability and difficulty, so after
the day the card goes on as before). Adding the interview does the same to the cards already
due after that day: their due date alone is moved to it, and the caller says how many moved.
New cards of its decks come before other new cards, and the plan says whether the daily limits
let every card be seen before the day, and what would.

Readiness is the mean FSRS probability of recall of the interview's cards at the start of its
study day, if no card were reviewed again until then; a card never studied counts 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from failtui import scheduling
from failtui.models import CardState, title_problem
from failtui.scheduling import Settings, format_utc, parse_utc
from failtui.storage import interviews as interview_store
from failtui.storage.db import Store
from failtui.storage.interviews import Interview as Interview

# Re-exported (``X as X``): the interview operations the screens use, in one place.
from failtui.storage.interviews import interview_days as interview_days
from failtui.storage.interviews import interviews as interviews
from failtui.storage.interviews import remove_interview as remove_interview

#: How far ahead an interview may be, in days (about three years): a plan is made day by day.
MAX_DAYS_AHEAD = 1096
#: How many of the cards likeliest to be forgotten a plan lists.
AT_RISK_SHOWN = 10
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InterviewError(ValueError):
    """An interview date, title, deck or id that cannot be used; the message is one line."""


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` date.

    Raises:
        InterviewError: ``text`` is not a real date in that form.
    """
    raw = text.strip()
    try:
        if not _DAY.match(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise InterviewError(
            f"'{raw[:40]}' is not a date: write it as YYYY-MM-DD, such as 2026-12-20"
        ) from None


@dataclass(frozen=True)
class Added:
    """An interview just stored, and the cards whose due date adding it moved."""

    interview: Interview
    #: Cards of its decks that were due after the study day before it, now due by that day.
    moved: int = 0

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
        return (
            f"{cards} due after {self.day_before}, the day before, "
            f"{'are' if self.moved != 1 else 'is'} now due by then "
            "(only due dates moved; FSRS memory state is kept)."
        )


def add(
    store: Store,
    day_text: str,
    title: str,
    decks: tuple[str, ...],
    known_decks: list[str],
    now: datetime,
    rollover_hour: int,
    tz: tzinfo | None,
) -> Added:
    """Check and store an interview on ``day_text`` covering ``decks`` (none: every deck).

    Cards of its decks already due after the study day before it are brought forward to that
    day, as a rating would be capped now (due dates only; stability, difficulty and the review
    history stay), in the same transaction.

    Raises:
        InterviewError: a bad date, a date before today's study day, a title too long, or a
            deck that does not exist. Nothing is stored then.
    """
    today = scheduling.study_day(now, rollover_hour, tz)
    day = parse_day(day_text)
    if day < today:
        raise InterviewError(
            f"{day.isoformat()} is before today ({today.isoformat()}): give a date ahead"
        )
    if (day - today).days > MAX_DAYS_AHEAD:
        raise InterviewError(
            f"{day.isoformat()} is {(day - today).days:,} days away; give a date at most "
            f"{MAX_DAYS_AHEAD:,} days (about three years) ahead"
        )
    problem = title_problem(title)  # the same limit as a deck's title
    if problem:
        raise InterviewError(problem)
    unknown = [d for d in decks if d not in known_decks]
    if unknown:
        raise InterviewError(f"no deck '{unknown[0]}' (decks: {', '.join(known_decks) or 'none'})")
    new = Interview(0, day.isoformat(), title, tuple(dict.fromkeys(decks)))
    ahead = sorted([*upcoming(store, today), new], key=lambda i: i.day)
    covered = [d for d in known_decks if new.covers(d)]
    moves = due_moves(store, ahead, covered, now, rollover_hour, tz)
    stored, moved = interview_store.add_interview(
        store, new.day, title, new.decks, format_utc(now), due_moves=moves
    )
    return Added(stored, moved)


def due_moves(
    store: Store,
    ahead: list[Interview],
    deck_ids: list[str],
    now: datetime,
    rollover_hour: int,
    tz: tzinfo | None,
) -> list[tuple[str, str, str]]:
    """(card key, due now, due capped) of the studied cards of ``deck_ids`` that are due after
    the study day before the soonest interview ``ahead`` covering their deck.

    A card due during that day is left as it is: it comes up then anyway. Suspended cards stay
    out of it.
    """
    moves = []
    for key, state in interview_store.card_states_of_decks(store, deck_ids).items():
        if state.due is None or state.state == "new" or state.suspended:
            continue
        cap = due_cap(ahead, key.split("/", 1)[0], now, rollover_hour, tz)
        if cap is None:
            continue
        due = parse_utc(state.due)
        last_day = scheduling.study_day(cap, rollover_hour, tz)
        if scheduling.study_day(due, rollover_hour, tz) > last_day:
            moves.append((key, state.due, format_utc(cap)))
    return moves


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
    the cap (the start of the study day before it), or None.

    From the day before on there is nothing to cap: a card rated the day before, or on the
    day, has just been seen.
    """
    for interview in ahead:  # soonest first
        if not interview.covers(deck_id):
            continue
        day_before = date.fromisoformat(interview.day) - timedelta(days=1)
        cap = scheduling.study_day_start(day_before, rollover_hour, tz)
        if now < cap:
            return interview, cap
    return None


def due_cap(
    ahead: list[Interview], deck_id: str, now: datetime, rollover_hour: int, tz: tzinfo | None
) -> datetime | None:
    """The latest a rating at ``now`` may schedule a card of ``deck_id``, or None for no limit."""
    held = holding_interview(ahead, deck_id, now, rollover_hour, tz)
    return held[1] if held else None


def hold_note(interview: Interview) -> str:
    """Why the intervals shown stop short: one line naming the interview."""
    day = date.fromisoformat(interview.day)
    before = day - timedelta(days=1)
    return f"Intervals stop at {before:%a %d %b}, the day before {interview.name} ({day:%a %d %b})."


def capped(state: CardState, cap: datetime | None) -> CardState:
    """``state`` with its due moved back to ``cap`` when it falls after it (stability, difficulty
    and the rest untouched)."""
    if cap is None or state.due is None or parse_utc(state.due) <= cap:
        return state
    from dataclasses import replace

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
class Plan:
    """What stands between today and an interview."""

    interview: Interview
    today: str
    days_left: int
    readiness: float
    decks: tuple[DeckReadiness, ...]
    #: (study day, reviews due that day) from today to the day before the interview.
    due_per_day: tuple[tuple[str, int], ...]
    #: (card key, recall on the day) of studied cards, likeliest to be forgotten first.
    at_risk: tuple[tuple[str, float], ...]
    pace: NewCardPace
    cards: int = 0
    never_studied: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def problem(self) -> str | None:
        """One line saying that the limits leave cards unseen and what would fix it, or None."""
        pace = self.pace
        if pace.possible:
            return None
        until = "today" if self.days_left <= 0 else f"before {self.interview.day}"
        return (
            f"{pace.unseen} card{'s' * (pace.unseen != 1)} of {self.interview.name} "
            f"{'are' if pace.unseen != 1 else 'is'} new and the daily limits let in "
            f"{pace.allowed} {until}: {pace.fix}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``failtui plan --json``."""
        return {
            "interview": interview_dict(self.interview),
            "today": self.today,
            "days_left": self.days_left,
            "readiness": round(self.readiness, 4),
            "cards": self.cards,
            "never_studied": self.never_studied,
            "decks": [
                {
                    "deck": d.deck_id,
                    "cards": d.cards,
                    "studied": d.studied,
                    "readiness": round(d.readiness, 4),
                }
                for d in self.decks
            ],
            "due_per_day": [{"day": day, "reviews": n} for day, n in self.due_per_day],
            "at_risk": [{"card": key, "recall": round(r, 4)} for key, r in self.at_risk],
            "new_cards": {
                "unseen": self.pace.unseen,
                "days": self.pace.days,
                "needed_per_day": self.pace.needed_per_day,
                "allowed": self.pace.allowed,
                "possible": self.pace.possible,
            },
            "problem": self.problem,
        }


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
) -> Plan:
    """The plan for ``interview`` as the collection stands at ``now``.

    ``card_ids_by_deck`` are the cards a drill would show (paused stories left out);
    ``new_today`` the new cards already studied today (the daily limit is shared).
    """
    from failtui.scheduling import make_scheduler, retrievability

    today = scheduling.study_day(now, settings.rollover_hour, tz)
    day = date.fromisoformat(interview.day)
    on_the_day = max(now, scheduling.study_day_start(day, settings.rollover_hour, tz))
    decks = [d for d in card_ids_by_deck if interview.covers(d)]
    keys = {f"{d}/{c}": d for d in decks for c in card_ids_by_deck[d]}
    states = interview_store.card_states_of_decks(store, decks)
    scheduler = make_scheduler(settings, fuzz=False)
    last_day = max(today, day - timedelta(days=1))
    due_counts = {
        (today + timedelta(days=n)).isoformat(): 0 for n in range((last_day - today).days + 1)
    }
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
        if state.due is not None:
            due_day = scheduling.study_day(parse_utc(state.due), settings.rollover_hour, tz)
            due_key = max(due_day, today).isoformat()
            if due_key in due_counts:
                due_counts[due_key] += 1
    every = [r for values in per_deck.values() for r in values]
    at_risk.sort(key=lambda item: (item[1], item[0]))
    left = days_left(interview, today)
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
        due_per_day=tuple(due_counts.items()),
        at_risk=tuple(at_risk[:AT_RISK_SHOWN]),
        pace=new_card_pace(unseen_by_deck, left, settings, new_today),
        cards=len(every),
        never_studied=sum(unseen_by_deck.values()),
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
    today_left = max(0, overall - new_today)
    allowed = 0
    # Decks whose own limit is too low: (deck, its limit, the limit it would need).
    binding: list[tuple[str, int, int]] = []
    for deck_id, count in unseen_by_deck.items():
        own = settings.deck_new_per_day.get(deck_id)
        if own is None:
            allowed += count
            continue
        deck_allowed = min(count, own * days)
        allowed += deck_allowed
        if deck_allowed < count:
            binding.append((deck_id, own, math.ceil(count / days)))
    # The overall limit is shared by every deck: today what is left of it, then all of it.
    allowed = min(allowed, today_left + overall * (days - 1))
    fix = ""
    if allowed < unseen:
        if days_left <= 0:
            fix = "run 'failtui drill --new' to study them now"
        else:
            parts = []
            # N a day with today's new cards counted: N * days >= what is left + done today.
            target = math.ceil((unseen + new_today) / days)
            if overall < target:
                parts.append(
                    f"set new_cards_per_day to {target} ('failtui settings new_cards_per_day "
                    f"{target}')"
                )
            for deck_id, _own, need in binding:
                parts.append(
                    f"set {deck_id}'s own limit to {need} ('failtui settings --deck {deck_id} "
                    f"new_cards_per_day {need}')"
                )
            parts.append("study them now with 'failtui drill --new'")
            fix = "; ".join(parts[:-1]) + (", or " if len(parts) > 1 else "") + parts[-1]
    return NewCardPace(unseen, days, needed, allowed, fix)
