"""The plan for an interview as lines of text (``failtui plan``) and as short phrases the
screens share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from failtui.interview import Plan
from failtui.storage.interviews import Interview
from failtui.textclean import clean_text
from failtui.words import count, first_upper


def countdown(plan: Plan) -> str:
    """``in 12 study days``, ``tomorrow``, ``today`` or ``3 days ago``."""
    left = plan.days_left
    if left == 0:
        return "today"
    if left == 1:
        return "tomorrow"
    if left < 0:
        return f"{count(-left, 'day')} ago"
    return f"in {left} study days"


def over_text(plan: Plan) -> str:
    """``Interview was on 2026-11-30, 6 days ago: it is over.`` (a past interview's plan)."""
    ago = "yesterday" if plan.days_left == -1 else f"{count(-plan.days_left, 'day')} ago"
    return f"Interview was on {plan.interview.day}, {ago}: it is over."


def deck_problem_line(plan: Plan) -> str | None:
    """The decks the interview names that are gone or empty, as a sentence, or None; when it
    has no card at all, what to do about it."""
    if plan.cards:
        return f"{first_upper(plan.deck_problem)}." if plan.deck_problem else None
    found = f"{first_upper(plan.deck_problem)}: " if plan.deck_problem else ""
    return (
        f"{found}no cards to plan for. Restore or fill its deck, or remove the interview and "
        "add it again with another deck."
    )


def title_of(plan: Plan) -> str:
    """The plan's interview's title as shown (see :func:`interview_title`)."""
    return interview_title(plan.interview)


def interview_title(interview: Interview) -> str:
    """An interview's title on one line, cleaned, or "Interview" when it has none (its day is
    always shown beside it): the plan screen, the plan and the interview list say the same."""
    return " ".join(clean_text(interview.title).split()) or "Interview"


def never_studied_text(plan: Plan) -> str:
    """``the 26 never studied count 0`` (``counts`` for one card)."""
    return f"the {plan.never_studied} never studied count{'s' * (plan.never_studied == 1)} 0"


def recall_text(recall: float) -> str:
    """``recall  75%``: a card's chance of recall on the day, named, since the list beside it
    is of the cards likeliest to be forgotten and a bare percentage reads as that chance."""
    return f"recall {recall:>4.0%}"


def pace_text(plan: Plan) -> str:
    """How many new cards a day see every card before the day, against the limit."""
    pace = plan.pace
    if pace.unseen == 0:
        return "New cards: none left; every card has been seen."
    if plan.days_left <= 0:
        return (
            f"New cards: {pace.unseen} never studied; the interview is today (the limits let "
            f"in {pace.allowed} now)."
        )
    return (
        f"New cards: {pace.unseen} never studied; {pace.needed_per_day} a day over "
        f"{count(pace.days, 'study day')} sees them all before the day "
        f"(the limits let in {pace.allowed})."
    )


#: Days a plan lists one by one before it sums the reviews due by week.
DAILY_ROWS = 14


def due_rows(due_per_day: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """(label, reviews) rows: a day a row for :data:`DAILY_ROWS` days, then a week a row (its
    first day and "week"), so a plan months ahead stays readable."""
    rows = [
        (f"{day} {date.fromisoformat(day).strftime('%a')}", n)
        for day, n in due_per_day[:DAILY_ROWS]
    ]
    later = due_per_day[DAILY_ROWS:]
    for start in range(0, len(later), 7):
        week = later[start : start + 7]
        rows.append((f"{week[0][0]} week", sum(n for _day, n in week)))
    return rows


def plan_lines(plan: Plan, bar_width: int = 30) -> list[str]:
    """``failtui plan`` as lines."""
    decks = ", ".join(plan.interview.decks) if plan.interview.decks else "every deck"
    title = f": {clean_text(plan.interview.title)}" if clean_text(plan.interview.title) else ""
    lines = [f"Interview {plan.interview.id}{title} ({plan.interview.day}), {decks}"]
    if plan.over:
        remove = f"'failtui interview remove {plan.interview.id}'"
        return [*lines, f"{over_text(plan)} Remove it with {remove}."]
    lines.append(f"Countdown: {countdown(plan)}")
    deck_line = deck_problem_line(plan)
    if deck_line:
        lines.append(deck_line)
    if not plan.cards:
        return lines
    lines.append(
        f"Readiness: {plan.readiness:.0%} (the mean chance of recall of its "
        f"{count(plan.cards, 'card')} on the day; {never_studied_text(plan)})"
    )
    for deck in plan.decks:
        lines.append(
            f"  {deck.deck_id:<24} {count(deck.cards, 'card', fmt='{:>4}'):<10} "
            f"{deck.studied:>4} studied "
            f"{deck.readiness:>5.0%}"
        )
    lines.append(pace_text(plan))
    if plan.problem:
        lines.append(f"Not every card will be seen: {plan.problem}")
    if plan.review_problem:
        lines.append(f"Not every review fits the daily limit: {plan.review_problem}")
    rows = due_rows(plan.due_per_day)
    lines.append(
        "Reviews due:"
        if len(rows) == len(plan.due_per_day)
        else f"Reviews due (a day a line for {DAILY_ROWS} days, then a week a line):"
    )
    top = max((n for _label, n in rows), default=0)
    width = max((len(label) for label, _n in rows), default=0)
    for label, n in rows:
        bar = "#" * (round(n / top * bar_width) if top else 0)
        lines.append(f"  {label:<{width}} {n:>4} {bar}".rstrip())
    if plan.at_risk:
        lines.append("Likeliest to be forgotten on the day:")
        for key, recall in plan.at_risk:
            lines.append(f"  {recall_text(recall)}  {clean_text(key)}")
    return lines
