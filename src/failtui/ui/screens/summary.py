"""End of a drill: cards done, ratings, average coverage, most-missed key points, next due."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from failtui.scheduling import format_interval
from failtui.session import DrillSession


class SummaryScreen(Screen):
    """Shown when no card is left (or nothing was due)."""

    BINDINGS = [
        Binding("enter", "home", "Home", priority=True),
        Binding("escape", "home", "Home", show=False),
        Binding("u", "undo", "Undo last"),
        Binding("p", "practise_ahead", "Practise ahead"),
    ]

    def __init__(self, session: DrillSession, nothing_due: bool = False):
        super().__init__()
        self.session = session
        self.nothing_due = nothing_due

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(), Center():
            yield Static(self._summary_text(), id="summary")
        yield Footer()

    def _summary_text(self) -> Text:
        summary = self.session.summary()
        text = Text()
        if summary.done == 0:
            text.append("Nothing is due right now.\n\n", style="bold")
            text.append("New cards are limited per day so reviews stay manageable. ")
            text.append("Press p to practise ahead, or come back later.\n")
        else:
            text.append(
                f"Drill done: {summary.done} card{'s' * (summary.done != 1)}\n\n", style="bold"
            )
            ratings = "   ".join(
                f"{name.capitalize()} {summary.ratings.get(name, 0)}"
                for name in ("again", "hard", "good", "easy")
            )
            text.append(f"Ratings     {ratings}\n")
            text.append(f"Coverage    {summary.average_coverage:.0%} on average\n")
            if summary.missed_most:
                text.append("\nMissed most this session\n", style="bold")
                for label, count in summary.missed_most:
                    text.append(f"  {count}×  ")
                    text.append(label + "\n")
        if summary.next_due is not None:
            wait = summary.next_due - self.session.now()
            when = "now" if wait.total_seconds() <= 0 else f"in {format_interval(wait)}"
            text.append(
                f"\nNext card due {when} "
                f"({summary.next_due.astimezone().strftime('%a %d %b %H:%M')}).\n"
            )
        text.append("\nenter: home   u: undo the last rating   p: practise ahead", style="dim")
        return text

    def action_home(self) -> None:
        self.app.pop_screen()

    def action_undo(self) -> None:
        from failtui.ui.screens.drill import DrillScreen

        if not self.session.can_undo():
            self.notify("Nothing to undo.", severity="warning")
            return
        with self.app.storage_errors("undo the last rating"):
            card, answer = self.session.undo()
            self.app.switch_screen(DrillScreen(self.session, card, answer))

    def action_practise_ahead(self) -> None:
        from failtui.ui.screens.drill import DrillScreen

        session = self.app.new_session(self.session.deck_id, ahead=True)
        card = session.next_card()
        if card is None:
            self.notify("No card has been studied yet: start a normal drill.", severity="warning")
            return
        self.app.switch_screen(DrillScreen(session, card))
