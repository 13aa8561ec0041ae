"""The card browser: every card of every deck with its state; suspend, bury, forget, drill now."""

from __future__ import annotations

import contextlib
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Select, Static
from textual.worker import get_current_worker

from failtui.card_browser import STATES, CardRow, apply, card_rows
from failtui.ui.background import behind_the_screen
from failtui.ui.keys import HELP_WITH_FILTER
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.screens.choice import ChoiceScreen
from failtui.ui.tables import cursor_target

if TYPE_CHECKING:
    from failtui.decks.index import LazyCatalog

ANY = "any"
#: From this width the table shows every column, and due dates with their time.
WIDE = 100
#: Rows put in the table at a time. Textual measures every cell it is given, about a second
#: for 10,000 rows: the first chunk shows at once and the rest follow between frames, so a
#: deck of 100,000 cards opens as fast as a small one and keys are answered while it fills.
CHUNK = 1000
#: The status line while the decks are parsed, before any card can be listed.
LOADING_NOTE = "Loading cards…"


class CardBrowserScreen(FailtuiScreen):
    """All cards in one table, filtered by text, deck and state."""

    DEFAULT_CSS = """
    CardBrowserScreen #browser {
        height: 1fr;
        padding: 0 1;
    }
    CardBrowserScreen #browser-filters {
        height: auto;
    }
    CardBrowserScreen #browser-text {
        width: 1fr;
    }
    CardBrowserScreen #browser-deck {
        width: 24;
    }
    CardBrowserScreen #browser-state {
        width: 16;
    }
    CardBrowserScreen #browser-table {
        height: 1fr;
    }
    CardBrowserScreen #browser-status {
        height: auto;
    }
    """

    HELP_SECTION = "Card browser"
    BINDINGS = [
        *HELP_WITH_FILTER,
        # Priority, so that the table's own enter does not swallow it; a filter in focus keeps
        # its enter (check_action).
        Binding("enter", "edit", "Edit", priority=True),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("g", "toggle_suspend", "Suspend±"),
        Binding("b", "toggle_bury", "Bury±"),
        Binding("f", "forget", "Forget"),
        Binding("d", "drill", "Drill now"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, deck_id: str | None = None, state: str | None = None):
        super().__init__()
        self.start_deck = deck_id
        self.start_state = state
        self.rows: list[CardRow] = []
        self._listed: tuple[str | None, str | None, str] | None = None  # filters of the rows
        self._fill = 0  # counts the fills: a newer one stops the chunks of an older one
        self._cursor_row: int | None = None  # where the cursor goes once that row is in
        self._parsing = False  # a worker is parsing the decks; the rows are listed after it

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="browser"):
            with Horizontal(id="browser-filters"):
                yield Input(placeholder="Filter: id, prompt, tags", id="browser-text")
                decks = [(Text(d.id), d.id) for d in self.app.catalog.summaries()]
                yield Select(
                    [(Text("All decks"), ANY), *decks],
                    value=self.start_deck or ANY,
                    allow_blank=False,
                    id="browser-deck",
                    compact=True,
                )
                yield Select(
                    [(Text("Any state"), ANY), *[(Text(s), s) for s in STATES]],
                    value=self.start_state or ANY,
                    allow_blank=False,
                    id="browser-state",
                    compact=True,
                )
            yield DataTable(id="browser-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="browser-status")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        self._narrow: bool | None = None  # the column set the table has
        # The screen's first resume lists the cards; the filters post their first values as
        # changes, which must not list them again (each listing of 20,000 cards costs seconds).
        self._listed = self._filters()
        self.query_one("#browser-table", DataTable).focus()

    def on_resize(self) -> None:
        if self._narrow is not None and self._narrow != self._is_narrow():
            self.refresh_rows()

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def _is_narrow(self) -> bool:
        return self.app.size.width < WIDE

    def _filters(self) -> tuple[str | None, str | None, str]:
        deck = self.query_one("#browser-deck", Select).value
        state = self.query_one("#browser-state", Select).value
        text = self.query_one("#browser-text", Input).value
        return (
            deck if isinstance(deck, str) and deck != ANY else None,
            state if isinstance(state, str) and state != ANY else None,
            text,
        )

    def _set_columns(self, table: DataTable, narrow: bool) -> None:
        """Every column when wide; at 80 columns no kind (the line below the table shows it)."""
        table.clear(columns=True)
        columns = [("Card", "card"), ("Kind", "kind"), ("State", "state"), ("Due", "due")]
        columns += [("Last", "last"), ("Lapses", "lapses"), ("Cover", "cover")]
        if narrow:
            columns = [c for c in columns if c[1] != "kind"]
            columns = [
                (("Laps" if k == "lapses" else "Cov" if k == "cover" else n), k) for n, k in columns
            ]
        for label, key in columns:
            table.add_column(label, key=key)
        self._narrow = narrow

    def refresh_rows(self, select: str | None = None) -> None:
        """List the cards that pass the filters, keeping the cursor where it was.

        Decks not parsed yet are parsed in a worker first, the table empty and the status
        :data:`LOADING_NOTE` meanwhile. The first :data:`CHUNK` rows (and any more up to the
        cursor's row) go in at once, the others in chunks after each refresh.
        """
        self._listed = self._filters()
        if self.app.catalog.loaded:
            self._list_rows(select)
        else:
            self._parse_then_list(select)

    def _parse_then_list(self, select: str | None) -> None:
        """Parse every deck in a worker, then list the rows (tens of thousands of cards take
        seconds to parse: on the UI thread the screen would not even show)."""
        table = self.query_one("#browser-table", DataTable)
        if self._cursor_row is None:
            self._cursor_row = table.cursor_row  # where it goes once the rows are back
        self.rows = []
        narrow = self._is_narrow()
        if narrow != self._narrow:
            self._set_columns(table, narrow)
        table.clear()
        self._fill += 1  # the chunks of a fill under way stop
        if not self._parsing:
            self._parsing = True
            catalog, app = self.app.catalog, self.app

            def parse() -> None:
                catalog.parse_decks()
                if not get_current_worker().is_cancelled:  # cancelled: the screen is gone
                    with contextlib.suppress(RuntimeError):  # the app may be closing
                        app.call_from_thread(self._parsed, catalog, select)

            self.run_worker(
                behind_the_screen(parse),
                name="parse decks",
                group="browser-decks",
                thread=True,
                exit_on_error=False,
            )
        self._show_status()

    def _parsed(self, catalog: LazyCatalog, select: str | None) -> None:
        """List the rows now the worker has parsed ``catalog`` (the filters as they are now)."""
        self._parsing = False
        if self.app.catalog is not catalog:
            self.refresh_rows(select)  # the decks were read again meanwhile: parse those
        else:
            # Should the parse have failed, listing parses again here and reports it, as ever.
            self._list_rows(select)

    def _list_rows(self, select: str | None) -> None:
        deck_id, state, text = self._listed = self._filters()
        session = self.app.new_session()
        self.rows = card_rows(
            self.app.store,
            self.app.catalog.cards(),
            session.now(),
            rollover_hour=session.settings.rollover_hour,
            tz=self.app.tz,
            deck_id=deck_id,
            state=state,
            text=text,
        )
        table = self.query_one("#browser-table", DataTable)
        # A fill still under way has not placed the cursor yet: its row is the one meant.
        cursor = table.cursor_row if self._cursor_row is None else self._cursor_row
        narrow = self._is_narrow()
        if narrow != self._narrow:
            self._set_columns(table, narrow)
        table.clear()
        self._fill += 1
        self._cursor_row = cursor_target([r.key for r in self.rows], select, cursor)
        self._add_chunk(self._fill, deck_id is None, narrow)

    def _add_chunk(self, fill: int, with_deck: bool, narrow: bool) -> None:
        """Add the next :data:`CHUNK` rows of fill number ``fill``, and ask for the next."""
        if fill != self._fill:
            return  # a newer fill cleared the table
        table = self.query_one("#browser-table", DataTable)
        start = table.row_count
        # The first chunk reaches the cursor's row, so the cursor is in place before any key
        # is handled: an action never falls on the top row meanwhile.
        end = max(start + CHUNK, (self._cursor_row or 0) + 1)
        # The card column gets what the others leave (each cell has one space either side).
        card_width = max(12, self.app.size.width - 44) if narrow else None
        for row in self.rows[start:end]:
            when = row.due.astimezone(self.app.tz) if row.due else None
            due = when.strftime("%m-%d" if narrow else "%Y-%m-%d %H:%M") if when else "-"
            cover = f"{row.last_coverage:.0%}" if row.last_coverage is not None else "-"
            name = row.key if with_deck else row.card
            if card_width is not None and len(name) > card_width:
                name = name[: card_width - 1] + "…"
            cells = [Text(name), Text(row.kind, style="dim"), Text(row.state), Text(due)]
            cells += [
                Text(row.last_rating or "-"),
                Text(str(row.lapses), justify="right"),
                Text(cover, justify="right"),
            ]
            if narrow:
                del cells[1]
            table.add_row(*cells, key=row.key)
        if self._cursor_row is not None and self._cursor_row < table.row_count:
            table.move_cursor(row=self._cursor_row)
            self._cursor_row = None
        if self.loading_rows:
            self.set_timer(0.01, partial(self._add_chunk, fill, with_deck, narrow))
        self._show_status()

    @property
    def loading_rows(self) -> bool:
        """Whether some rows that pass the filters are not in the table yet (or the decks they
        come from are still being parsed)."""
        table = self.query_one("#browser-table", DataTable)
        return self._parsing or table.row_count < len(self.rows)

    def _show_status(self) -> None:
        """The count, and the highlighted card in full: its key, kind and prompt."""
        if self._parsing:
            self.query_one("#browser-status", Static).update(Text(LOADING_NOTE, style="dim"))
            return
        count = len(self.rows)
        status = Text(f"{count} card{'s' * (count != 1)}" if count else "No card matches.")
        if self.loading_rows:
            shown = self.query_one("#browser-table", DataTable).row_count
            status.append(f" (listing: {shown:,} so far)")
        status.stylize("dim")
        row = self.selected()
        if row is not None:
            status.append(f"  ·  {row.key} · {row.kind} · ")
            status.append(" ".join(row.prompt.split()))
        status.truncate(max(10, self.app.size.width - 4), overflow="ellipsis")
        self.query_one("#browser-status", Static).update(status)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_status()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._filters() != self._listed:
            self.refresh_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#browser-table", DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.is_mounted and self.query("#browser-table") and self._filters() != self._listed:
            self.refresh_rows()

    def selected(self) -> CardRow | None:
        """The highlighted card's row."""
        table = self.query_one("#browser-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if r.key == key), None)

    # -- actions --------------------------------------------------------------------------------
    def action_filter(self) -> None:
        self.query_one("#browser-text", Input).focus()

    def _apply(self, action: str) -> None:
        row = self.selected()
        if row is None:
            self.notify("No card is selected.", severity="warning")
            return
        card = self.app.catalog.card_by_key(row.key)
        if card is None:
            return
        session = self.app.new_session()
        with self.app.storage_errors(f"{action} the card"):
            done = apply(
                self.app.store,
                card,
                action,
                session.now(),
                rollover_hour=session.settings.rollover_hour,
                tz=self.app.tz,
            )
            self.notify(f"{row.key}: {done}", markup=False)
            self.refresh_rows(select=row.key)

    def action_toggle_suspend(self) -> None:
        row = self.selected()
        if row is not None and row.state == "suspended":
            self._apply("unsuspend")
        else:
            self._apply("suspend")

    def action_toggle_bury(self) -> None:
        row = self.selected()
        if row is not None and row.state == "buried":
            self._apply("unbury")
        else:
            self._apply("bury")

    def action_forget(self) -> None:
        row = self.selected()
        if row is None:
            self.notify("No card is selected.", severity="warning")
            return

        def answered(choice: str | None) -> None:
            if choice == "forget":
                self._apply("forget")

        self.app.push_screen(
            ChoiceScreen(
                f"Forget '{row.key}'? It becomes a new card; its reviews and answers are kept.",
                [("keep", "No, keep its schedule"), ("forget", "Yes, make it new again")],
            ),
            answered,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter edits only from the table: a filter keeps its own enter (submit the text, open
        # a list, choose in the open list, whose overlay is not the Select itself).
        return not (action == "edit" and not isinstance(self.focused, DataTable))

    def action_edit(self) -> None:
        """Open the highlighted card in the card editor; a built-in card says how to copy it."""
        from failtui.ui.screens.card_editor import CardEditorScreen

        row = self.selected()
        card = self.app.catalog.card_by_key(row.key) if row else None
        deck = self.app.catalog.deck(card.deck_id) if card else None
        if card is None or deck is None:
            self.notify("No card is selected.", severity="warning")
        elif deck.builtin:
            self.notify(
                "Built-in cards are read-only: in the deck list (e), c copies the deck to your "
                "decks, where you can edit it.",
                severity="warning",
                markup=False,
            )
        else:
            self.app.push_screen(CardEditorScreen(deck.id, card.id))

    def action_drill(self) -> None:
        """Drill the highlighted card now, due or not, suspended or not."""
        row = self.selected()
        card = self.app.catalog.card_by_key(row.key) if row else None
        if card is None:
            self.notify("No card is selected.", severity="warning")
            return
        session = self.app.new_session(card_key=card.key)
        self.app.open_drill(session, card, speak=False)

    def action_back(self) -> None:
        focused = self.focused
        if isinstance(focused, Input | Select):
            self.query_one("#browser-table", DataTable).focus()
        else:
            self.app.pop_screen()
