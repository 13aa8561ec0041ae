"""Read-only statistics over the stored history. Every figure comes from SQL, never a replay.

Each figure is its own function ``figure(store, scope)`` returning frozen dataclasses, listed in
:data:`FIGURES` so they can be timed one by one; :func:`collect_statistics` computes them all.
A :class:`StatsScope` holds the filters (a deck, the last N study days) and the clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from failtui import scheduling
from failtui.models import ADVISED_SECONDS, is_failure_question
from failtui.overview import TodayOverview, streak, today_overview  # noqa: F401 (re-exported)
from failtui.storage import queries, stats_queries
from failtui.storage.db import Store

if TYPE_CHECKING:
    from failtui.decks.catalog import DeckCatalog
    from failtui.decks.index import LazyCatalog

#: Study days shown by the review calendar when no ``--days`` filter is given (26 weeks).
CALENDAR_DAYS = 182
#: Study days of answer trends when no filter is given.
TREND_DAYS = 90
#: Months of true retention when no filter is given.
RETENTION_MONTHS = 12
#: Days ahead in the due forecast.
FORECAST_DAYS = 30
#: Practice days in a key point's trend (one miss rate per day, oldest first).
TREND_POINTS = 12
#: The last practice days that make a key point's "recent" miss rate.
RECENT_POINTS = 3
#: A card is a leech once it lapsed this often ...
LEECH_LAPSES = 4
#: ... or was rated Again this many times in its last LEECH_WINDOW ratings.
LEECH_AGAINS = 3
LEECH_WINDOW = 4

#: The built-in tip that helps with each standard key point of the failure question
#: (chosen by reading decks/failure-tips.toml; a test checks that each card exists).
KEY_POINT_TIPS = {
    "context": "failure-tips/star-method",
    "task": "failure-tips/star-method",
    "failure": "failure-tips/pinpoint-your-action",
    "impact": "failure-tips/explain-consequences",
    "quantified": "failure-tips/quantify-the-impact",
    "remedy": "failure-tips/describe-the-remedy",
    "lesson": "failure-tips/specific-lessons",
    "applied": "failure-tips/apply-lesson-later",
}
#: The built-in pitfall card about each standard red flag.
RED_FLAG_PITFALLS = {
    "never-failed": "failure-pitfalls/claiming-never-failed",
    "blame": "failure-pitfalls/blaming-others",
    "humblebrag": "failure-pitfalls/disguised-strength",
    "non-work": "failure-pitfalls/personal-life-story",
    "catastrophic": "failure-pitfalls/catastrophic-scope",
    "negative": "failure-pitfalls/negative-tone",
    "hypothetical": "failure-pitfalls/hypothetical-answer",
    "trivial": "failure-pitfalls/trivial-example",
}


# -- scope -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatsScope:
    """What the figures cover: the moment they are computed for, a deck, the last N days.

    ``days`` counts study days ending today (``days=1`` is today only); None means all history
    for counts and a default window for charts. ``question_decks`` limits the answer-length
    trend to decks with question cards (None: every deck), since the 2-3 minute advice is about
    the spoken answer, not about explaining a tip. ``failure_decks`` are the decks with
    failure-question cards, the only ones the advice is about (None: not known).
    """

    now: datetime
    deck_id: str | None = None
    days: int | None = None
    rollover_hour: int = scheduling.DEFAULT_ROLLOVER_HOUR
    tz: tzinfo | None = None
    question_decks: tuple[str, ...] | None = None
    failure_decks: tuple[str, ...] | None = None
    #: The decks of the catalog (None: not known): answers of other decks are of decks gone.
    present_decks: tuple[str, ...] | None = None

    def deck_present(self, deck_id: str) -> bool:
        """Whether ``deck_id`` is still in the catalog (True when the catalog is not known)."""
        return self.present_decks is None or deck_id in self.present_decks

    @property
    def speaking_advice_applies(self) -> bool:
        """Whether the 2-3 minute advice applies: the scope holds failure-question cards
        (assumed when the decks are not known)."""
        if self.failure_decks is None:
            return True
        if self.deck_id is None:
            return bool(self.failure_decks)
        return self.deck_id in self.failure_decks

    @property
    def today(self) -> date:
        """The current study day."""
        return scheduling.study_day(self.now, self.rollover_hour, self.tz)

    @property
    def first_day(self) -> date | None:
        """The first study day inside the ``days`` filter, or None without one."""
        return None if self.days is None else self.today - timedelta(days=self.days - 1)

    def window_start(self, default_days: int) -> date:
        """The first day of a chart: the filter's, or ``default_days`` back from today."""
        return self.first_day or self.today - timedelta(days=default_days - 1)


def make_scope(
    store: Store,
    now: datetime,
    *,
    deck_id: str | None = None,
    days: int | None = None,
    tz: tzinfo | None = None,
    catalog: DeckCatalog | LazyCatalog | None = None,
) -> StatsScope:
    """A scope with the user's rollover hour; with a catalog, the decks that hold questions
    and those that hold failure-question cards.

    Raises:
        ValueError: ``days`` is given and smaller than 1, or ``now`` is naive.
    """
    if days is not None and days < 1:
        raise ValueError(f"days must be 1 or more, not {days}")
    question_decks = failure_decks = present_decks = None
    if catalog is not None:
        present_decks = tuple(catalog.card_ids_by_deck())
        question_decks = tuple(
            d.id for d in catalog.decks if any(c.kind == "question" for c in d.cards)
        )
        failure_decks = tuple(
            d.id for d in catalog.decks if any(is_failure_question(c) for c in d.cards)
        )
    return StatsScope(
        now=scheduling.require_utc(now),
        deck_id=deck_id,
        days=days,
        rollover_hour=int(
            queries.get_setting(store, "rollover_hour", scheduling.DEFAULT_ROLLOVER_HOUR)
        ),
        tz=tz,
        question_decks=question_decks,
        failure_decks=failure_decks,
        present_decks=present_decks,
    )


def has_history(store: Store, deck_id: str) -> bool:
    """True when any card of ``deck_id`` was ever rated (even if its file is gone now)."""
    return stats_queries.deck_has_history(store, deck_id)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# -- weak key points and red flags -------------------------------------------------------------
@dataclass(frozen=True)
class WeakKeyPoint:
    """One key point id across every card: how often expected and missed, and lately."""

    id: str
    label: str
    expected: int
    missed: int
    miss_rate: float
    #: Miss rate of each of the last practice days with this key point, oldest first.
    trend: tuple[float, ...]
    #: The study days of ``trend``.
    trend_days: tuple[str, ...]
    #: Miss rate over the last RECENT_POINTS practice days (compare with ``miss_rate``).
    recent_miss_rate: float
    last_day: str
    #: The key (``deck/card``) of the tip card that helps, if there is one.
    tip: str | None = None
    #: Lower bound of the 95% Wilson interval of the miss rate: the ranking score, so a point
    #: missed 145 of 195 times ranks above one missed 2 of 2.
    score: float = 0.0
    #: "question" for the question cards' key points, "tip-pitfall" for the other cards'.
    group: str = "question"
    #: A card graded against this key point (to tell its group), or None.
    card: str | None = None

    @property
    def improving(self) -> bool | None:
        """True when the recent miss rate is clearly below the overall one, False when above,
        None when too few days to tell or no clear change."""
        if len(self.trend) <= RECENT_POINTS:
            return None
        # Rounded so that a change of exactly ten points (0.6 - 0.5 = 0.0999...) counts.
        change = round(self.recent_miss_rate - self.miss_rate, 9)
        if abs(change) < 0.1:
            return None
        return change < 0


def wilson_lower_bound(missed: int, expected: int, z: float = 1.96) -> float:
    """The lower bound of the Wilson score interval of ``missed / expected`` (95% by default).

    A rate seen over few attempts gets a low bound, so ranking by it puts points missed often
    over many attempts ahead of points missed once or twice.
    """
    if expected <= 0:
        return 0.0
    rate = missed / expected
    spread = z * z / expected
    centre = rate + spread / 2
    margin = z * math.sqrt(rate * (1 - rate) / expected + spread / (4 * expected))
    return max(0.0, (centre - margin) / (1 + spread))


def weak_key_points(store: Store, scope: StatsScope) -> tuple[WeakKeyPoint, ...]:
    """Every key point id graded in scope, worst first by the Wilson lower bound of its miss rate.

    Ties go to the key point missed more often, then by id, so the order is stable.
    """
    figures = _item_figures(store, scope, "key_point")
    cards = stats_queries.item_sample_cards(store, "key_point", (f.id for f in figures))
    figures = [replace(f, card=cards.get(f.id)) for f in figures]
    figures.sort(key=lambda f: (-f.score, -f.missed, f.id))
    return tuple(figures)


def _item_figures(store: Store, scope: StatsScope, kind: str) -> list[WeakKeyPoint]:
    first = _day(scope.first_day)
    totals = stats_queries.item_totals(store, kind, first, scope.deck_id)
    days: dict[str, list[tuple[str, int, int]]] = {}
    recent_days = stats_queries.item_recent_days(
        store, kind, first, scope.deck_id, TREND_POINTS, (row["item_id"] for row in totals)
    )
    for row in recent_days:
        days.setdefault(row["item_id"], []).append(
            (row["study_day"], row["expected"], row["missed"])
        )
    figures = []
    for row in totals:
        item_id, expected, missed = row["item_id"], row["expected"], row["missed"]
        if expected <= 0:
            continue
        recent = days.get(item_id, [])
        last = recent[-RECENT_POINTS:]
        figures.append(
            WeakKeyPoint(
                id=item_id,
                label=stats_queries.latest_label(store, kind, item_id) or item_id,
                expected=expected,
                missed=missed,
                miss_rate=_rate(missed, expected),
                trend=tuple(_rate(m, e) for _d, e, m in recent),
                trend_days=tuple(d for d, _e, _m in recent),
                recent_miss_rate=_rate(sum(m for _d, _e, m in last), sum(e for _d, e, _m in last)),
                last_day=row["last_day"],
                tip=(KEY_POINT_TIPS if kind == "key_point" else RED_FLAG_PITFALLS).get(item_id),
                score=wilson_lower_bound(missed, expected),
            )
        )
    figures.sort(key=lambda f: (-f.miss_rate, -f.missed, f.id))
    return figures


@dataclass(frozen=True)
class RedFlagCount:
    """One red flag id: how often it was raised, and on which study day last."""

    id: str
    label: str
    raised: int
    last_day: str
    #: Raised per practice day, oldest first (for a sparkline).
    trend: tuple[int, ...]
    #: The key of the pitfall card about this red flag, if there is one.
    pitfall: str | None = None


def red_flag_counts(store: Store, scope: StatsScope) -> tuple[RedFlagCount, ...]:
    """Every red flag raised in scope, the most often raised first."""
    first = _day(scope.first_day)
    totals = stats_queries.item_totals(store, "red_flag", first, scope.deck_id)
    days: dict[str, list[int]] = {}
    rows = stats_queries.item_recent_days(
        store,
        "red_flag",
        first,
        scope.deck_id,
        TREND_POINTS,
        (row["item_id"] for row in totals if row["missed"] > 0),
    )
    for row in rows:
        days.setdefault(row["item_id"], []).append(row["missed"])
    flags = [
        RedFlagCount(
            id=row["item_id"],
            label=stats_queries.latest_label(store, "red_flag", row["item_id"]) or row["item_id"],
            raised=row["missed"],
            last_day=row["last_day"],
            trend=tuple(days.get(row["item_id"], ())),
            pitfall=RED_FLAG_PITFALLS.get(row["item_id"]),
        )
        for row in totals
        if row["missed"] > 0
    ]
    flags.sort(key=lambda f: (-f.raised, f.id))
    return tuple(flags)


# -- cards -------------------------------------------------------------------------------------
#: Whose forgetting curve the figures follow (read once, nothing is replayed).
_SCHEDULER = scheduling.make_scheduler(fuzz=False)


@dataclass(frozen=True)
class CardFigure:
    """One reviewed card's memory state now."""

    card_key: str
    deck_id: str
    state: str
    retrievability: float
    stability: float
    difficulty: float
    reps: int
    lapses: int
    #: Again ratings among the card's last LEECH_WINDOW ratings.
    recent_again: int
    last_coverage: float | None
    due: str | None
    suspended: bool
    #: Why the card is a leech and what to do, or None for a card that is not one.
    leech: str | None = None


def _leech_advice(lapses: int, recent_again: int) -> str | None:
    if lapses >= LEECH_LAPSES:
        return (
            f"Forgotten {lapses} times after it was learned: rewrite it in your own words or "
            "split it into smaller cards."
        )
    if recent_again >= LEECH_AGAINS:
        return (
            f"Again in {recent_again} of its last {LEECH_WINDOW} ratings: read its guidance and "
            "the tip for the point you miss, or suspend it for now."
        )
    return None


def card_table(store: Store, scope: StatsScope, limit: int | None = None) -> tuple[CardFigure, ...]:
    """Every reviewed card in scope (deck filter only: it is the state now), the card most
    likely to be forgotten first; ``limit`` keeps the first rows only.

    A card whose chance of recall cannot be known (its state too damaged to tell when it was
    last reviewed) is left out, as a card never reviewed is.
    """
    figures = []
    for row in stats_queries.card_rows(store, scope.deck_id, LEECH_WINDOW):
        state = queries.state_from_row(row)
        recall = scheduling.retrievability(_SCHEDULER, state, scope.now)
        if recall is None:
            continue
        figures.append(
            CardFigure(
                card_key=state.card_key,
                deck_id=row["deck_id"],
                state=state.state,
                retrievability=recall,
                stability=row["stability"],
                difficulty=row["difficulty"],
                reps=row["reps"],
                lapses=row["lapses"],
                recent_again=row["recent_again"],
                last_coverage=row["last_coverage"],
                due=row["due"],
                suspended=state.suspended,
                leech=_leech_advice(row["lapses"], row["recent_again"]),
            )
        )
    figures.sort(key=lambda figure: (figure.retrievability, figure.card_key))
    return tuple(figures[:limit])


# -- practice ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewCalendar:
    """Reviews per study day over a window (every day present, zeros included)."""

    days: tuple[tuple[str, int], ...]
    streak_days: int
    total: int
    days_studied: int
    #: The days of the window that held an interview (marked on the calendar).
    interview_days: frozenset[str] = frozenset()

    @property
    def per_study_day(self) -> float:
        """Mean reviews on the days with any review."""
        return _rate(self.total, self.days_studied)


def review_heatmap(store: Store, scope: StatsScope) -> ReviewCalendar:
    """Reviews per study day for the calendar (the filter's days, or the last 26 weeks)."""
    start = scope.window_start(CALENDAR_DAYS)
    counts = {
        row["study_day"]: row["reviews"]
        for row in stats_queries.reviews_per_day(store, start.isoformat(), scope.deck_id)
    }
    today = scope.today
    days = tuple(
        (day.isoformat(), counts.get(day.isoformat(), 0))
        for day in (start + timedelta(days=n) for n in range((today - start).days + 1))
    )
    from failtui.storage.interviews import interview_days

    return ReviewCalendar(
        days=days,
        streak_days=streak(queries.study_days_desc(store), today),
        total=sum(n for _d, n in days),
        days_studied=sum(1 for _d, n in days if n),
        interview_days=frozenset(interview_days(store) & {d for d, _n in days}),
    )


@dataclass(frozen=True)
class DueForecast:
    """Cards falling due on each of the next study days (index 0 is today, overdue included)."""

    days: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        """Cards due within the forecast."""
        return sum(n for _d, n in self.days)


def due_forecast(store: Store, scope: StatsScope) -> DueForecast:
    """Cards due on each of the next 30 study days (suspended and deleted cards left out)."""
    day_start = scheduling.day_start(scope.now, scope.rollover_hour, scope.tz)
    horizon = day_start + timedelta(days=FORECAST_DAYS)
    counts = {
        row["day_offset"]: row["cards"]
        for row in stats_queries.due_per_day(
            store,
            scheduling.format_utc(day_start),
            scheduling.format_utc(horizon),
            scope.deck_id,
        )
    }
    today = scope.today
    return DueForecast(
        days=tuple(
            ((today + timedelta(days=n)).isoformat(), counts.get(n, 0))
            for n in range(FORECAST_DAYS)
        )
    )


@dataclass(frozen=True)
class MonthRetention:
    """True retention in a month: the share of reviews of learned cards not rated Again."""

    month: str
    reviews: int
    recalled: int

    @property
    def retention(self) -> float:
        return _rate(self.recalled, self.reviews)


def retention_by_month(store: Store, scope: StatsScope) -> tuple[MonthRetention, ...]:
    """True retention per month (the filter's days, or the last 12 months)."""
    if scope.first_day is not None:
        start = scope.first_day
    else:
        today = scope.today
        month_index = today.year * 12 + today.month - 1 - (RETENTION_MONTHS - 1)
        start = date(month_index // 12, month_index % 12 + 1, 1)
    rows = stats_queries.retention_per_month(store, start.isoformat(), scope.deck_id)
    return tuple(MonthRetention(row["month"], row["reviews"], row["recalled"]) for row in rows)


@dataclass(frozen=True)
class AnswerDay:
    """The rated answers of one study day: how long, how long to say, how complete."""

    day: str
    answers: int
    words: float
    speaking_seconds: float
    coverage: float
    #: Answers whose speaking time was within the advised 2-3 minutes.
    within_advice: int
    #: Answers said aloud (speak mode), and their mean measured time (None without any).
    spoken: int = 0
    spoken_seconds: float | None = None


def answer_trends(store: Store, scope: StatsScope) -> tuple[AnswerDay, ...]:
    """Mean answer length, speaking time and coverage per study day (the filter's days, or the
    last 90), over decks with question cards when the scope knows them."""
    if scope.deck_id is not None:
        decks: tuple[str, ...] | None = (scope.deck_id,)
    else:
        decks = scope.question_decks
    rows = stats_queries.answers_per_day(
        store, scope.window_start(TREND_DAYS).isoformat(), decks, ADVISED_SECONDS
    )
    return tuple(
        AnswerDay(
            day=row["study_day"],
            answers=row["answers"],
            # A day of answers said aloud only has no typed words or estimate.
            words=row["words"] or 0.0,
            speaking_seconds=row["seconds"] or 0.0,
            coverage=row["coverage"],
            within_advice=row["within_advice"],
            spoken=row["spoken"],
            spoken_seconds=row["spoken_seconds"],
        )
        for row in rows
    )


def answers_left_out(store: Store, scope: StatsScope) -> tuple[tuple[str, int], ...]:
    """(deck id, answers) of the period that :func:`answer_trends` leaves out of all decks:
    those of decks without question cards, and of decks no longer in the catalog (a deck's
    own view counts all of its answers)."""
    if scope.deck_id is not None or scope.question_decks is None:
        return ()
    counted = set(scope.question_decks)
    per_deck = stats_queries.answers_by_deck(store, scope.window_start(TREND_DAYS).isoformat())
    return tuple((deck, n) for deck, n in sorted(per_deck.items()) if deck not in counted)


# -- everything ----------------------------------------------------------------------------------
#: Every figure by name, each callable as ``figure(store, scope)`` (the benchmark times each).
FIGURES: dict[str, Callable[[Store, StatsScope], object]] = {
    "weak_key_points": weak_key_points,
    "red_flag_counts": red_flag_counts,
    "card_table": card_table,
    "review_heatmap": review_heatmap,
    "due_forecast": due_forecast,
    "retention_by_month": retention_by_month,
    "answer_trends": answer_trends,
    "answers_left_out": answers_left_out,
}


@dataclass(frozen=True)
class Statistics:
    """Every figure of the statistics screen and of ``failtui stats``."""

    scope: StatsScope
    weak_key_points: tuple[WeakKeyPoint, ...]
    red_flags: tuple[RedFlagCount, ...]
    cards: tuple[CardFigure, ...]
    calendar: ReviewCalendar
    forecast: DueForecast
    retention: tuple[MonthRetention, ...]
    answers: tuple[AnswerDay, ...]
    #: Prompts of the tip and pitfall cards named by the figures, by card key.
    prompts: dict[str, str] = field(default_factory=dict)
    #: The deck's own hint for each key point id, for key points no built-in tip covers
    #: (the user's own cards and stories).
    hints: dict[str, str] = field(default_factory=dict)
    #: (deck id, answers) that ``answers`` leaves out: see :func:`answers_left_out`.
    answers_left_out: tuple[tuple[str, int], ...] = ()

    def advice_for(self, point: WeakKeyPoint) -> str | None:
        """The prompt of the tip that helps with ``point``, or else its hint, if any."""
        return self.prompts.get(point.tip or "") or self.hints.get(point.id) or None

    @property
    def empty(self) -> bool:
        """True when nothing was ever rated in scope (a new user, or an unused deck)."""
        return not self.cards and not self.calendar.total and not self.weak_key_points

    @property
    def leeches(self) -> tuple[CardFigure, ...]:
        """The cards flagged as leeches."""
        return tuple(card for card in self.cards if card.leech)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``failtui stats --json``); miss rates and retention are 0..1."""
        return {
            "scope": {
                "deck": self.scope.deck_id,
                "days": self.scope.days,
                "today": self.scope.today.isoformat(),
            },
            "weak_key_points": [
                asdict(k)
                | {
                    "tip_prompt": self.prompts.get(k.tip or ""),
                    "hint": self.hints.get(k.id),
                    "improving": k.improving,
                }
                for k in self.weak_key_points
            ],
            "red_flags": [
                asdict(r) | {"pitfall_prompt": self.prompts.get(r.pitfall or "")}
                for r in self.red_flags
            ],
            "cards": [asdict(c) for c in self.cards],
            "leeches": [c.card_key for c in self.leeches],
            "practice": {
                "streak_days": self.calendar.streak_days,
                "reviews": self.calendar.total,
                "days_studied": self.calendar.days_studied,
                "reviews_per_study_day": round(self.calendar.per_study_day, 2),
                "calendar": [{"day": d, "reviews": n} for d, n in self.calendar.days],
                "due_forecast": [{"day": d, "cards": n} for d, n in self.forecast.days],
                "retention_by_month": [
                    asdict(m) | {"retention": m.retention} for m in self.retention
                ],
                "answers_by_day": [asdict(a) for a in self.answers],
                "answers_left_out": [
                    {"deck": deck, "answers": n, "present": self.scope.deck_present(deck)}
                    for deck, n in self.answers_left_out
                ],
            },
        }


def collect_statistics(
    store: Store, scope: StatsScope, catalog: DeckCatalog | LazyCatalog | None = None
) -> Statistics:
    """Compute every figure; with a catalog, the prompts of the tips and pitfalls they name."""
    weak = weak_key_points(store, scope)
    if catalog is not None:
        weak = tuple(replace(k, group=_group_of(catalog, k.card)) for k in weak)
    flags = red_flag_counts(store, scope)
    prompts: dict[str, str] = {}
    hints: dict[str, str] = {}
    if catalog is not None:
        for key in {k.tip for k in weak} | {r.pitfall for r in flags}:
            card = catalog.card_by_key(key) if key else None
            if key and card is not None:
                prompts[key] = card.prompt
        hints = _hints(catalog, {k.id for k in weak if k.tip is None})
    return Statistics(
        scope=scope,
        weak_key_points=weak,
        red_flags=flags,
        cards=card_table(store, scope),
        calendar=review_heatmap(store, scope),
        forecast=due_forecast(store, scope),
        retention=retention_by_month(store, scope),
        answers=answer_trends(store, scope),
        answers_left_out=answers_left_out(store, scope),
        prompts=prompts,
        hints=hints,
    )


def _group_of(catalog: DeckCatalog | LazyCatalog, card_key: str | None) -> str:
    """ "question" for a key point of question cards, "tip-pitfall" for tip and pitfall cards'."""
    card = catalog.card_by_key(card_key) if card_key else None
    return "tip-pitfall" if card is not None and card.kind != "question" else "question"


def _hints(catalog: DeckCatalog | LazyCatalog, ids: set[str]) -> dict[str, str]:
    """The first non-empty hint the catalog's cards give each key point id."""
    hints: dict[str, str] = {}
    for deck in catalog.decks:
        for card in deck.cards:
            for point in card.key_points:
                if point.id in ids and point.hint and point.id not in hints:
                    hints[point.id] = point.hint
    return hints
