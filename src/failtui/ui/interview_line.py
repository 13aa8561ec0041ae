"""The home screen's line about the next interview: its countdown and readiness."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from failtui.session import DrillSession
from failtui.words import first_upper


def interview_line(session: DrillSession) -> Text | None:
    """``Interview "Acme" in 12 study days (2026-12-20) · readiness 43%``, or None when no
    interview is ahead. Reads every card state of the interview's decks: run it off the
    first frame."""
    from failtui.interview import days_left, deck_problem_text, make_plan
    from failtui.plan_report import countdown

    ahead = session.interviews_ahead()
    if not ahead:
        return None
    chosen = ahead[0]
    done = session.today_counts()
    plan = make_plan(
        session.store,
        chosen,
        session.card_ids_by_deck(),
        session.settings,
        session.now(),
        session.tz,
        done.new,
        done.reviews,
        session.catalog.errors,
    )
    text = Text()
    title = f'"{chosen.title}"' if chosen.title else ""
    text.append(f"Interview {title} {countdown(plan)}".replace("  ", " "), style="bold")
    text.append(f" ({chosen.day})")
    if plan.cards:  # of no cards there is no readiness to show
        text.append(f"   Readiness: {plan.readiness:.0%}", style="bold")
    # On the day itself too: cards never studied by then are still worth knowing about.
    too_slow = days_left(chosen, date.fromisoformat(plan.today)) >= 0 and bool(
        plan.problem or plan.review_problem
    )
    if plan.deck_problem and too_slow:
        # Both sentences would not fit beside the countdown in 80 columns: the plan (i) says them.
        text.append("   2 problems (i)", style="bold red")
    elif plan.deck_problem:
        # The loader's error names a file path, too long for this line: the plan (i) says it.
        broken = tuple((deck, "") for deck, _why in plan.broken_decks)
        short = deck_problem_text(plan.missing_decks, plan.empty_decks, broken)
        text.append(f"   {first_upper(short)} (i)", style="bold red")
    elif too_slow:
        text.append("   Not every card can be seen in time (i)", style="bold red")
    return text
