"""End of a drill: cards done, ratings, average coverage, most-missed key points, next due."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.widgets import Header, Static

from failtui.models import RATING_LABELS
from failtui.session import DrillSession
from failtui.ui.keys import HELP
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.words import count, first_upper


class SummaryScreen(FailtuiScreen):
    """Shown when no card is left (or nothing was due)."""

    DEFAULT_CSS = """
    SummaryScreen #summary {
        width: auto;
        max-width: 80;
        padding: 1 2;
    }
    """

    HELP_SECTION = "Summary"
    BINDINGS = [
        HELP,
        # One of them shows: enter goes back to the screen the drill came from, named.
        Binding("enter", "back('home')", "Home", priority=True),
        Binding("enter", "back('stories')", "My stories", priority=True),
        Binding("enter", "back('cards')", "Cards", priority=True),
        Binding("enter", "back('plan')", "Plan", priority=True),
        Binding("enter", "back('other')", "Back", priority=True),
        Binding("escape", "back", "Back", show=False),
        Binding("u", "undo", "Undo last"),
        Binding("p", "practise_ahead", "Practise ahead"),
        Binding("n", "new_anyway", "New cards now"),
    ]

    def __init__(self, session: DrillSession, nothing_due: bool = False):
        super().__init__()
        self.session = session
        self.nothing_due = nothing_due
        self._held = False  # whether a daily limit holds new cards back (set with the text)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(), Center():
            yield Static(self._summary_text(), id="summary")
        yield FailtuiFooter()

    def _summary_text(self) -> Text:
        summary = self.session.summary()
        text = Text()
        # After a drill with ratings too, once a daily limit was reached during it (a drill that
        # ended at its own length leaves new cards to the next drill, not to n).
        session = self.session
        limited = summary.done == 0 or session.new_limit_reached() or session.review_limit_reached()
        held = session.held_back() if limited else []
        held_new = next((h for h in held if h.new), None)
        held_reviews = next((h for h in held if not h.new), None)
        self._held = held_new is not None
        if summary.done == 0:
            text.append("Nothing is due right now.\n\n", style="bold")
            for limit in held:
                text.append(f"{first_upper(limit.reason)}: {limit.wait}.\n")
            ahead = "p to practise ahead"
            if held_reviews is not None:
                ahead += " (the waiting reviews first)"
            if held_new is not None:
                text.append(f"Press n to study the {held_new.waiting} now", style="bold")
                text.append(f", {ahead}, or come back tomorrow.\n")
            elif held_reviews is not None:
                text.append(f"Press {ahead}, or come back tomorrow.\n")
            else:
                text.append("New cards are limited per day so reviews stay manageable. ")
                text.append("Press p to practise ahead, or come back later.\n")
        else:
            done = f"{count(summary.cards, 'card')} rated"
            if summary.cards != summary.done:  # a card in its learning steps came back
                done = f"{count(summary.done, 'rating')} of {count(summary.cards, 'card')}"
            text.append(f"Drill done: {done}\n\n", style="bold")
            ratings = "   ".join(
                f"{name.capitalize()} {summary.ratings.get(name, 0)}" for name in RATING_LABELS
            )
            text.append(f"Ratings     {ratings}\n")
            text.append(f"Coverage    {summary.average_coverage:.0%} on average\n")
            for limit in held:
                how = "n studies them now" if limit.new else "p practises them now"
                text.append(f"\n{first_upper(limit.reason)}: {limit.wait} ({how}).\n")
            if summary.missed_most:
                text.append("\nMissed most this session\n", style="bold")
                for label, times in summary.missed_most:
                    text.append(f"  {times}×  ")
                    text.append(label + "\n")
            if summary.flagged_most:
                text.append("\nRed flags this session\n", style="bold")
                for label, times in summary.flagged_most:
                    text.append(f"  {times}×  ")
                    text.append(label + "\n")
        if summary.next_due is not None and summary.next_card_key is not None:
            next_line = self.session.describe_next((summary.next_due, summary.next_card_key))
            text.append(f"\n{next_line}\n")
        back = {"home": "home", "stories": "My stories", "cards": "Cards", "plan": "Plan"}.get(
            self._came_from(), "back"
        )
        keys = f"\nenter: {back}   u: undo the last rating   p: practise ahead"
        text.append(keys + ("   n: new cards now" if self._held else ""), style="dim")
        return text

    def action_back(self, _to: str = "") -> None:
        """Back to the screen the drill was started from (``_to`` names it for the footer)."""
        # After the next refresh: an enter that comes with the one that opened this screen
        # would remove it while its header is still being set up (the app also shrugs off
        # what Textual raises then: see _header_title_race).
        self.call_after_refresh(self._back)

    def _back(self) -> None:
        if self.is_current:
            self.app.pop_screen()

    def action_undo(self) -> None:
        hidden = self.session.hidden_last()
        if hidden is not None:  # the drill ended on a bury or suspend: that goes first
            card, how = hidden
            with self.app.storage_errors(f"bring back the card ({how})"):
                self.session.unhide_last()
                draft = self.session.draft(card)
                self.app.open_drill(self.session, card, answer=draft, speak=False, replace=True)
                self.notify(f"{how.capitalize()} undone: the card is back.")
            return
        # With no rating of its own, the newest rating of all (from an earlier drill).
        undone = self.app.undo_rating(self.session)
        if undone is not None and undone[0] is not None:
            self.app.open_drill(
                self.session, undone[0], answer=undone[1], speak=False, replace=True
            )

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Offer ``n`` (new cards now) only when a daily limit holds new cards back."""
        if action == "new_anyway":
            return self._held
        if action == "back" and parameters:
            return parameters[0] == self._came_from()
        return True

    def _came_from(self) -> str:
        """The screen the drill was started from, where enter goes back: ``home``, ``stories``
        (My stories), ``cards`` (the card browser), ``plan`` (the interview plan) or
        ``other``."""
        from failtui.ui.screens.browser import CardBrowserScreen
        from failtui.ui.screens.home import HomeScreen
        from failtui.ui.screens.plan import PlanScreen
        from failtui.ui.screens.stories import StoryListScreen

        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        if isinstance(below, StoryListScreen):
            return "stories"
        if isinstance(below, CardBrowserScreen):
            return "cards"
        if isinstance(below, PlanScreen):
            return "plan"
        return "home" if isinstance(below, HomeScreen) or below is None else "other"

    def action_new_anyway(self) -> None:
        """Study the new cards a daily limit holds back (a deck imported late in the day)."""
        session = self.app.new_session(self.session.deck_id, new_anyway=True)
        card = session.next_card()
        if card is None:
            self.notify("No new card is waiting.", severity="warning")
            return
        self.app.open_drill(session, card, speak=False, replace=True)

    def action_practise_ahead(self) -> None:
        session = self.app.new_session(self.session.deck_id, ahead=True)
        card = session.next_card()
        if card is None:
            hint = (
                "press n to study new cards now"
                if self.session.held_new_count()
                else ("start a normal drill")
            )
            self.notify(f"No card has been studied yet: {hint}.", severity="warning")
            return
        self.app.open_drill(session, card, speak=False, replace=True)
