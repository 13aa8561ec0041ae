"""Home: every deck with its new, learning and due counts; today's reviews and streak.

The first screen, so it draws from the deck index and one read of the card states: no deck is
parsed and neither the drill's session (fsrs) nor the other screens are imported before its
first frame.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.style import Style
from textual.widgets import Header, Static

from failtui.overview import count_decks, drill_card_ids, today_overview
from failtui.studyday import format_interval, study_day
from failtui.textclean import one_line
from failtui.ui.keys import HELP
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.widgets.deck_list import DeckList
from failtui.user_settings import scheduling_settings
from failtui.words import count

ALL_DECKS = "__all__"
#: The count columns after the deck's title, each right-aligned under its heading.
COUNT_COLUMNS = ("New", "Learning", "Due")
#: Cells of a deck line that hold no text: the padding of #home and of a row, and a scrollbar.
LINE_MARGINS = 8
#: A title is never cut shorter than this, however narrow the terminal.
MIN_TITLE_CELLS = 20
BOLD = Style(bold=True)
DIM = Style(dim=True)
#: From this width home's footer has room to list ``p`` (practise ahead) beside ``ctrl+r``.
AHEAD_IN_FOOTER_WIDTH = 100


# A NamedTuple, not a dataclass: it is defined on the way to home's first frame, where a
# dataclass costs several times as much to define.
class DeckRow(NamedTuple):
    """One line of the deck list: the deck (or all decks) and its counts for today."""

    key: str  # a deck id, or ALL_DECKS
    title: str
    new: int
    learning: int
    due: int


class HomeScreen(FailtuiScreen):
    """The first screen: pick a deck (or all) and press enter to drill."""

    HELP_SECTION = "Home"
    BINDINGS = [
        HELP,
        Binding("enter", "drill", "Drill"),
        # In the footer where there is room for it (from 100 columns); at 80 it is full, and
        # home names p where practising ahead is what is left to do ("p practises ahead").
        Binding("p", "practise_ahead('footer')", "Ahead"),
        Binding("p", "practise_ahead", "Ahead", show=False),
        Binding("s", "stats", "Stats"),
        Binding("e", "decks", "Decks"),
        Binding("c", "cards", "Cards"),
        Binding("o", "settings", "Settings"),
        Binding("i", "plan", "Plan"),
        Binding("r", "refresh", "Reload"),
        Binding("ctrl+r", "undo", "Undo"),
        Binding("q", "app.quit", "Quit"),
    ]

    _counted_on_mount = False
    #: The deck list as shown, first line "All decks" (empty until counted).
    deck_rows: list[DeckRow]

    def compose(self) -> ComposeResult:
        self.deck_rows = []
        yield Header()
        # The interview line (above the heading) and the deck errors (below the list) are
        # mounted the first time they have something to show: most users never see them, and
        # every widget on the first frame costs its share of styling and layout.
        with Vertical(id="home"):
            yield Static(id="overview")
            yield Static(id="deck-heading")
            yield DeckList(id="decks")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        self.refresh_counts()
        self._counted_on_mount = True
        self.query_one("#decks", DeckList).focus()
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
        from failtui.storage.db import open_reader
        from failtui.storage.interviews import interviews

        app = self.app
        if app.store.path is None:
            return
        # Its own connection: the app's may be closed under this thread when the app quits.
        reader = open_reader(app.store.path)
        try:
            settings = scheduling_settings(reader)
            today = study_day(app.clock(), settings.rollover_hour, app.tz)
            line = None
            # Most users have no interview: then neither the session nor the decks load here.
            if interviews(reader, today.isoformat()):
                from failtui.session import DrillSession
                from failtui.ui.interview_line import interview_line

                session = DrillSession(reader, app.catalog, clock=app.clock, tz=app.tz)
                line = interview_line(session)
        except sqlite3.Error:
            return  # the database is busy or being replaced: the line waits for the next visit
        finally:
            reader.close()
        with contextlib.suppress(RuntimeError):  # the app may be closing
            app.call_from_thread(self._show_interview_line, line)

    def _show_interview_line(self, line: Text | None) -> None:
        self._show_optional("interview-line", line, before="#deck-heading")

    def _show_optional(
        self, widget_id: str, text: Text | None, *, before: str | None = None
    ) -> None:
        """Show ``text`` in the optional line ``widget_id``, or hide it when there is none.

        The line is mounted (in #home, before ``before`` or at the end) the first time it has
        something to show, then kept and hidden when it has nothing.
        """
        widget = self.query_one_optional(f"#{widget_id}", Static)
        if widget is None:
            if text is not None:
                home = self.query_one("#home", Vertical)
                home.mount(Static(text, id=widget_id), before=before)
            return
        widget.display = text is not None
        if text is not None:
            widget.update(text)

    def refresh_counts(self) -> None:
        """Recount every deck and the overview line (cheap: one read of the card states)."""
        app = self.app
        settings = scheduling_settings(app.store)
        now = app.clock()
        summaries = app.catalog.summaries()  # from the deck index: no deck is parsed here
        ids = drill_card_ids(app.store, app.catalog.card_ids_by_deck())
        counts = count_decks(app.store, ids, settings, now, app.tz)
        overall = counts[None]
        rows = [DeckRow(ALL_DECKS, "All decks", overall.new, overall.learning, overall.due)]
        rows += [
            DeckRow(deck.id, deck.title, c.new, c.learning, c.due)
            for deck in summaries
            for c in [counts[deck.id]]
        ]
        # Two decks of one title (a deck imported again under another id, a copy renamed) are
        # told apart by their ids.
        shared = {t for t, n in Counter(deck.title for deck in summaries).items() if n > 1}
        notes = {
            deck.id: f"  {count(len(deck.card_ids), 'card')}"
            + ("" if deck.builtin else " · yours")
            + (f" · {deck.id}" if deck.title in shared else "")
            for deck in summaries
        }
        self._show_rows(rows, notes)

        today = study_day(now, settings.rollover_hour, app.tz)
        overview = today_overview(app.store, today)
        line = Text()
        reviews = overview.reviews_today
        line.append(f"Today: {reviews} review{'s' * (reviews != 1)}", style="bold")
        line.append(f"   Streak: {overview.streak_days} day{'s' * (overview.streak_days != 1)}")
        if overall.total == 0:
            self._nothing_left(line)
        self.query_one("#overview", Static).update(line)

        errors = None
        if app.catalog.errors:
            errors = Text("Decks that failed to load:\n", style="bold red")
            for error in app.catalog.errors:
                errors.append(f"  {error}\n", style="red")
        self._show_optional("deck-errors", errors)

    def _nothing_left(self, line: Text) -> None:
        """Say why nothing is due and what to do (the drill's session knows: imported here)."""
        session = self.app.new_session()
        held = session.held_back()
        if held:
            waiting = " and ".join(limit.waiting for limit in held)
            limits = "limit" if len(held) == 1 else "limits"
            line.append(f"   All done for now; {waiting} past today's {limits} ")
            how = {
                (True,): "enter, then n studies them",
                (False,): "p practises them",
                (False, True): "p practises the reviews; enter, then n studies the new cards",
            }[tuple(limit.new for limit in held)]
            line.append(f"({how})", style="dim")
            return
        next_due = session.next_due()
        if next_due is None:
            line.append("   Nothing scheduled yet: press enter to start.")
        else:
            wait = format_interval(next_due - session.now())
            line.append(f"   All done for now. Next card due in {wait} ")
            line.append("(p practises ahead)", style="dim")

    def _show_rows(self, rows: list[DeckRow], notes: dict[str, str]) -> None:
        """Fill the deck list, columns aligned as in a table, keeping the highlighted line."""
        self.deck_rows = rows
        columns = ([r.new for r in rows], [r.learning for r in rows], [r.due for r in rows])
        widths = [
            max(len(heading), *(len(str(n)) for n in numbers))
            for heading, numbers in zip(COUNT_COLUMNS, columns, strict=True)
        ]
        # A title written by hand in a deck file may be of any length, or hold line breaks: it
        # is shown on one line, cut so that its note and the counts stay on screen.
        room = self.app.size.width - LINE_MARGINS - sum(2 + width for width in widths)
        titles = {
            row.key: one_line(
                row.title, max(MIN_TITLE_CELLS, room - cell_len(notes.get(row.key, "")))
            )
            for row in rows
        }
        # Widths in terminal cells: a title in CJK or with an emoji takes two cells a character.
        title_width = max(
            cell_len(titles[row.key]) + cell_len(notes.get(row.key, "")) for row in rows
        )
        heading = Text("Deck" + " " * (title_width - 4))
        for name, width in zip(COUNT_COLUMNS, widths, strict=True):
            heading.append("  " + name.rjust(width))
        self.query_one("#deck-heading", Static).update(heading)

        lines = []
        for row in rows:
            note = notes.get(row.key, "")
            title = titles[row.key]
            parts: list[str | tuple[str, Style]] = [title]
            if note:
                parts.append((note, DIM))
            parts.append(" " * (title_width - cell_len(title) - cell_len(note)))
            for n, width in zip((row.new, row.learning, row.due), widths, strict=True):
                parts += ["  ", (str(n).rjust(width), BOLD if n else DIM)]
            line = Content.assemble(*parts)
            lines.append(line.stylize_before(BOLD) if row.key == ALL_DECKS else line)
        self.query_one("#decks", DeckList).set_rows(lines)

    def _selected_deck(self) -> str | None:
        index = self.query_one("#decks", DeckList).highlighted
        if index is None or index >= len(self.deck_rows):
            return None
        key = self.deck_rows[index].key
        return None if key == ALL_DECKS else key

    def action_drill(self) -> None:
        self.app.start_session(self.app.new_session(self._selected_deck()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``p`` is listed in the footer only where there is room for it."""
        if action == "practise_ahead":
            wide = self.app.size.width >= AHEAD_IN_FOOTER_WIDTH
            return (parameters == ("footer",)) == wide
        return True

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_bindings()  # the footer lists p from AHEAD_IN_FOOTER_WIDTH columns

    def action_practise_ahead(self, _listed: str = "") -> None:
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

    def action_undo(self) -> None:
        """Undo the newest rating of all (as ``failtui undo``) once the user says so, and
        count again."""
        self.app.ask_to_undo_newest(then=self.refresh_counts)

    def action_refresh(self) -> None:
        self.app.reload_catalog()
        self.refresh_counts()
        self.notify("Decks reloaded from disk.")
