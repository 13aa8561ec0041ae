"""Decks (``e`` from home): every deck with its cards and source; create, copy, rename, delete.

Built-in decks are read-only; ``c`` copies one into the user's decks, where it can be edited.
The list is read from disk when the screen opens and on ``r``, so files edited by hand show up.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from failtui import locations
from failtui.decks.files import DeckSource, DeckWriteError, delete_deck_file, write_new_deck_file
from failtui.decks.story import create_user_deck
from failtui.decks.writer import (
    check_deck_id,
    check_deck_title,
    copy_deck_text,
    derived_title,
    set_deck_fields,
    unique_deck_id,
)
from failtui.models import Deck
from failtui.textclean import one_line
from failtui.ui.deck_saving import save_deck
from failtui.ui.keys import HELP
from failtui.ui.screens.ask_text import AskTextScreen
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.screens.choice import ChoiceScreen
from failtui.ui.tables import restore_cursor
from failtui.words import count


class DeckListScreen(FailtuiScreen):
    """The decks; enter opens one's cards."""

    DEFAULT_CSS = """
    DeckListScreen #deck-list {
        padding: 1 2;
    }
    DeckListScreen #deck-list-intro {
        height: auto;
        margin-bottom: 1;
    }
    DeckListScreen #deck-table {
        height: auto;
        max-height: 1fr;
    }
    DeckListScreen #deck-list-errors {
        height: auto;
        margin-top: 1;
    }
    """

    HELP_SECTION = "Decks"
    BINDINGS = [
        HELP,
        Binding("enter", "open", "Cards", priority=True),
        Binding("n", "new", "New"),
        Binding("c", "copy", "Copy"),
        Binding("t", "rename", "Rename"),
        Binding("x", "delete", "Delete"),
        Binding("s", "stories", "Stories"),
        Binding("r", "refresh", "Reload"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="deck-list"):
            yield Static(id="deck-list-intro")
            yield DataTable(id="deck-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="deck-list-errors")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        table = self.query_one("#deck-table", DataTable)
        table.add_column("Deck", key="title")
        table.add_column("Id", key="id")
        table.add_column("Cards", key="cards")
        table.add_column("Source", key="source")
        self.app.reload_catalog()  # files edited by hand since the app opened
        self.refresh_list()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self, select: str | None = None) -> None:
        """Show the app's decks (and the files that failed to load)."""
        table = self.query_one("#deck-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        # A title written by hand may be of any length: cut so that the other columns stay on
        # screen (the id, and 25 cells of padding, card count and source). Short source words
        # leave a copy's title room for its " (mine)" at 80 columns.
        ids_width = max((cell_len(d.id) for d in self.app.catalog.decks), default=0)
        title_width = max(20, self.app.size.width - 25 - ids_width)
        for deck in self.app.catalog.decks:
            table.add_row(
                Text(one_line(deck.title, title_width)),
                Text(deck.id, style="dim"),
                Text(str(len(deck.cards)), justify="right"),
                Text("built-in" if deck.builtin else "yours", style="dim"),
                key=deck.id,
            )
        restore_cursor(table, [d.id for d in self.app.catalog.decks], select, cursor)
        mine = sum(not d.builtin for d in self.app.catalog.decks)
        intro = Text()
        if mine:
            intro.append(f"{mine} deck{'s' * (mine != 1)} of your own. ", style="bold")
            intro.append("Built-in decks are read-only: c copies one to edit.")
        else:
            intro.append("No decks of your own yet. ", style="bold")
            intro.append("n creates one, c copies a built-in deck, s writes your story.")
        intro.append(
            "\nYour decks are TOML files you may also edit by hand; "
            "'failtui decks path' shows where.",
            style="dim",
        )
        self.query_one("#deck-list-intro", Static).update(intro)
        errors = self.query_one("#deck-list-errors", Static)
        if self.app.catalog.errors:
            text = Text("Decks that failed to load (fix the file, then r):\n", style="bold red")
            for error in self.app.catalog.errors:
                text.append(f"  {error}\n", style="red")
            errors.update(text)
            errors.display = True
        else:
            errors.display = False

    def selected(self) -> Deck | None:
        """The highlighted deck."""
        table = self.query_one("#deck-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.app.catalog.deck(key) if key is not None else None

    # -- actions --------------------------------------------------------------------------------
    def action_open(self) -> None:
        from failtui.ui.screens.cards import CardListScreen

        deck = self.selected()
        if deck is not None:
            self.app.push_screen(CardListScreen(deck.id))

    def action_stories(self) -> None:
        from failtui.ui.screens.stories import StoryListScreen

        self.app.push_screen(StoryListScreen())

    def action_refresh(self) -> None:
        self.app.reload_catalog()
        self.refresh_list()
        self.notify("Decks reloaded from disk.")

    def _taken(self) -> set[str]:
        return {d.id for d in self.app.catalog.decks}

    def _check_new_id(self, value: str) -> str | None:
        deck_id = value.strip()
        try:
            check_deck_id(deck_id)
        except DeckWriteError as exc:
            return str(exc)
        if deck_id in self._taken():
            return f"a deck with id '{deck_id}' already exists"
        return None

    @staticmethod
    def _check_title(value: str) -> str | None:
        """A title's problem (too long); an empty one is fine where a default takes its place."""
        try:
            check_deck_title(value)
        except DeckWriteError as exc:
            return str(exc)
        return None

    @classmethod
    def _check_new_title(cls, value: str) -> str | None:
        return cls._check_title(value) if value.strip() else "the title is empty"

    def action_new(self) -> None:
        def created(values: list[str] | None) -> None:
            if values is None:
                return
            deck_id, title = values[0].strip(), values[1].strip()
            try:
                locations.ensure_data_dir(self.app.data_dir)
                create_user_deck(locations.user_decks_dir(self.app.data_dir), deck_id, title)
            except DeckWriteError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.app.reload_catalog()
            self.refresh_list(select=deck_id)
            self.notify(f"Created deck '{deck_id}'. Enter opens it; n there adds a card.")

        self.app.push_screen(
            AskTextScreen(
                "New deck",
                [("Id (lowercase, e.g. interview-prep; it names the file)", ""), ("Title", "")],
                [self._check_new_id, self._check_title],
            ),
            created,
        )

    def action_copy(self) -> None:
        deck = self.selected()
        if deck is None or deck.path is None:
            return
        path = deck.path
        folder = locations.user_decks_dir(self.app.data_dir)
        suggested = unique_deck_id(folder, f"{deck.id}-mine", self._taken())
        suggested_title = derived_title(deck.title, " (mine)")

        def copied(values: list[str] | None) -> None:
            if values is None:
                return
            # Never the built-in deck's own title: home would list two decks of one name.
            new_id, title = values[0].strip(), values[1].strip() or suggested_title
            try:
                source = DeckSource.read(path)
                text = copy_deck_text(source.text, new_id, title, path)
                locations.ensure_data_dir(self.app.data_dir)
                write_new_deck_file(folder, text, new_id)
            except DeckWriteError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.app.reload_catalog()
            self.refresh_list(select=new_id)
            self.notify(f"Copied to your deck '{new_id}': you can edit its cards.", markup=False)

        self.app.push_screen(
            AskTextScreen(
                f"Copy '{one_line(deck.title, 40)}' to my decks",
                [("Id of the copy", suggested), ("Title", suggested_title)],
                [self._check_new_id, self._check_title],
            ),
            copied,
        )

    def _user_deck(self, verb: str) -> Deck | None:
        deck = self.selected()
        if deck is None:
            return None
        if deck.builtin:
            self.notify(
                f"Built-in decks are read-only; c copies it to your decks to {verb} it.",
                severity="warning",
            )
            return None
        return deck

    def action_rename(self) -> None:
        deck = self._user_deck("rename")
        if deck is None or deck.path is None:
            return
        path = deck.path

        def renamed(values: list[str] | None) -> None:
            if values is None or not values[0].strip():
                return
            try:
                source = DeckSource.read(path)
            except DeckWriteError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            save_deck(
                self.app,
                source,
                lambda text: set_deck_fields(text, path, title=values[0]),
                lambda _saved: self.refresh_list(select=deck.id),
            )

        self.app.push_screen(
            AskTextScreen(
                "Rename deck (the id stays, so your cards keep their history)",
                [("Title", deck.title)],
                [self._check_new_title],
            ),
            renamed,
        )

    def action_delete(self) -> None:
        deck = self._user_deck("delete")
        if deck is None or deck.path is None:
            return
        path = deck.path

        def answered(choice: str | None) -> None:
            if choice != "delete":
                return
            try:
                target = delete_deck_file(path, locations.deck_backups_dir(self.app.data_dir))
            except DeckWriteError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.app.reload_catalog()
            self.refresh_list()
            self.notify(f"Deleted '{deck.id}'. The file is kept in {target.parent}.", markup=False)

        self.app.push_screen(
            ChoiceScreen(
                f"Delete the deck '{one_line(deck.title, 40)}' ({count(len(deck.cards), 'card')})? "
                "Its review history "
                "is kept, and its file is moved to backups/decks/.",
                [("keep", "No, keep it"), ("delete", "Yes, delete the deck")],
            ),
            answered,
        )
