"""Home: every deck with its new, learning and due counts; today's reviews and streak."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from failtui.overview import today_overview
from failtui.scheduling import format_interval
from failtui.ui.keys import HELP
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.words import count

ALL_DECKS = "__all__"


class HomeScreen(FailtuiScreen):
    """The first screen: pick a deck (or all) and press enter to drill."""

    HELP_SECTION = "Home"
    BINDINGS = [
        HELP,
        Binding("enter", "drill", "Drill", priority=True),
        Binding("p", "practise_ahead", "Ahead"),
        Binding("s", "stats", "Stats"),
        Binding("e", "decks", "Decks"),
        Binding("c", "cards", "Cards"),
        Binding("o", "settings", "Settings"),
        Binding("i", "plan", "Plan"),
        Binding("r", "refresh", "Reload"),
        Binding("q", "app.quit", "Quit"),
    ]

    _counted_on_mount = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="overview")
            yield Static(id="interview-line")
            yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
            yield Static(id="deck-errors")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        table = self.query_one("#decks", DataTable)
        table.add_column("Deck", key="deck")
        table.add_column("New", key="new")
        table.add_column("Learning", key="learning")
        table.add_column("Due", key="due")
        self.refresh_counts()
        self._counted_on_mount = True
        table.focus()
        self.query_one("#interview-line", Static).display = False
        # The countdown and readiness read every card of the interview: after the first frame.
        self.call_after_refresh(self.refresh_interview_line)

    def on_screen_resume(self) -> None:
        # The first resume comes straight after mounting, which has just counted.
        if self._counted_on_mount:
            self._counted_on_mount = False
            return
        self.refresh_counts()
        self.refresh_interview_line()

    def refresh_interview_line(self) -> None:
        """Show the next interview's countdown and readiness (worked out in a thread)."""
        self.run_worker(self._interview_line, thread=True, exclusive=True, group="interview")

    def _interview_line(self) -> None:
        from failtui.session import DrillSession
        from failtui.storage.db import open_reader
        from failtui.ui.interview_line import interview_line

        app = self.app
        if app.store.path is None:
            return
        # Its own connection: the app's may be closed under this thread when the app quits.
        reader = open_reader(app.store.path)
        try:
            session = DrillSession(reader, app.catalog, clock=app.clock, tz=app.tz)
            line = interview_line(session)
        except sqlite3.Error:
            return  # the database is busy or being replaced: the line waits for the next visit
        finally:
            reader.close()
        with contextlib.suppress(RuntimeError):  # the app may be closing
            app.call_from_thread(self._show_interview_line, line)

    def _show_interview_line(self, line: Text | None) -> None:
        widget = self.query_one("#interview-line", Static)
        widget.display = line is not None
        if line is not None:
            widget.update(line)

    def refresh_counts(self) -> None:
        """Recount every deck and the overview line (cheap: one read of the card states)."""
        app = self.app
        session = app.new_session()
        counts = session.counts_by_deck()
        table = self.query_one("#decks", DataTable)
        cursor = table.cursor_row
        table.clear()
        overall = counts[None]
        total = [overall.new, overall.learning, overall.due]
        table.add_row(Text("All decks", style="bold"), *(_count(n) for n in total), key=ALL_DECKS)
        for deck in app.catalog.summaries():  # from the deck index: no deck is parsed here
            c = counts[deck.id]
            title = Text(deck.title)
            title.append(
                f"  {len(deck.card_ids)} card{'s' * (len(deck.card_ids) != 1)}"
                + ("" if deck.builtin else " · yours"),
                style="dim",
            )
            table.add_row(title, _count(c.new), _count(c.learning), _count(c.due), key=deck.id)
        if cursor and cursor < table.row_count:
            table.move_cursor(row=cursor)

        overview = today_overview(app.store, date.fromisoformat(session.today()))
        line = Text()
        reviews = overview.reviews_today
        line.append(f"Today: {reviews} review{'s' * (reviews != 1)}", style="bold")
        line.append(f"   Streak: {overview.streak_days} day{'s' * (overview.streak_days != 1)}")
        held = session.held_new_count() if sum(total) == 0 else 0
        if held:
            line.append(f"   All done for now; {count(held, 'new card')} past today's limit ")
            line.append("(enter, then n studies them)", style="dim")
        elif sum(total) == 0:
            next_due = session.next_due()
            if next_due is None:
                line.append("   Nothing scheduled yet: press enter to start.")
            else:
                wait = format_interval(next_due - session.now())
                line.append(f"   All done for now. Next card due in {wait} ")
                line.append("(p practises ahead)", style="dim")
        self.query_one("#overview", Static).update(line)

        errors = self.query_one("#deck-errors", Static)
        if app.catalog.errors:
            text = Text("Decks that failed to load:\n", style="bold red")
            for error in app.catalog.errors:
                text.append(f"  {error}\n", style="red")
            errors.update(text)
            errors.display = True
        else:
            errors.display = False

    def _selected_deck(self) -> str | None:
        table = self.query_one("#decks", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key == ALL_DECKS else key

    def action_drill(self) -> None:
        self.app.start_session(self.app.new_session(self._selected_deck()))

    def action_practise_ahead(self) -> None:
        self.app.start_session(self.app.new_session(self._selected_deck(), ahead=True))

    def action_stats(self) -> None:
        from failtui.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(deck_id=self._selected_deck()))

    def action_decks(self) -> None:
        from failtui.ui.screens.decks import DeckListScreen

        self.app.push_screen(DeckListScreen())

    def action_cards(self) -> None:
        from failtui.ui.screens.browser import CardBrowserScreen

        self.app.push_screen(CardBrowserScreen(deck_id=self._selected_deck()))

    def action_settings(self) -> None:
        from failtui.ui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_plan(self) -> None:
        from failtui.ui.screens.plan import PlanScreen

        self.app.push_screen(PlanScreen())

    def action_refresh(self) -> None:
        self.app.reload_catalog()
        self.refresh_counts()
        self.notify("Decks reloaded from disk.")


def _count(n: int) -> Text:
    return Text(str(n), style="bold" if n else "dim", justify="right")
