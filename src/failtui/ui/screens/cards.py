"""The cards of one deck, filtered by text and tag; open one in the editor, add or delete one,
or edit the deck's interviewer follow-ups."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static

from failtui.models import Card, Deck, is_failure_question
from failtui.textclean import one_line
from failtui.ui.deck_saving import delete_card_after_asking
from failtui.ui.keys import HELP_WITH_FILTER
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.tables import restore_cursor
from failtui.words import count


def card_matches(card: Card, query: str) -> bool:
    """Whether a card passes the filter: ``#tag`` words must be tags, other words in its text."""
    for word in query.lower().split():
        if word.startswith("#") and len(word) > 1:
            if word[1:] not in (t.lower() for t in card.tags):
                return False
        elif word not in f"{card.id} {card.prompt} {card.answer}".lower():
            return False
    return True


def followups_note(deck: Deck) -> str:
    """Which follow-ups the deck's cards are asked, in the words of the follow-up editor (f).

    Only a failure-question card is asked one: a deck without any asks none, its own or the
    built-in ones.
    """
    asked = any(is_failure_question(card) for card in deck.cards)
    if deck.followups:
        return count(len(deck.followups), "follow-up") + ("" if asked else ", not asked yet")
    return "built-in follow-ups" if asked else "no follow-ups asked yet"


class CardListScreen(FailtuiScreen):
    """One deck's cards in a table; typing in the filter narrows it down."""

    DEFAULT_CSS = """
    CardListScreen #card-list {
        padding: 1 2;
    }
    CardListScreen #card-list-title {
        height: auto;
        margin-bottom: 1;
    }
    CardListScreen #card-table {
        height: auto;
        max-height: 1fr;
    }
    CardListScreen #card-list-empty {
        height: auto;
        margin-top: 1;
    }
    CardListScreen #card-filter {
        margin-bottom: 1;
    }
    """

    HELP_SECTION = "Cards"
    BINDINGS = [
        *HELP_WITH_FILTER,
        Binding("enter", "edit", "Edit", priority=True),
        Binding("n", "new", "New card"),
        Binding("x", "delete", "Delete"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("f", "followups", "Follow-ups"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, deck_id: str):
        super().__init__()
        self.deck_id = deck_id

    @property
    def deck(self) -> Deck | None:
        """The deck as currently loaded (None if it vanished from disk)."""
        return self.app.catalog.deck(self.deck_id)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="card-list"):
            yield Static(id="card-list-title")
            yield Input(placeholder="Filter: words in the text, #tag for a tag", id="card-filter")
            yield DataTable(id="card-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="card-list-empty")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        table = self.query_one("#card-table", DataTable)
        table.add_column("Id", key="id")
        table.add_column("Kind", key="kind")
        table.add_column("Prompt", key="prompt")
        table.add_column("Tags", key="tags")
        self.refresh_cards()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_cards()

    def refresh_cards(self, select: str | None = None) -> None:
        """Fill the table with the cards that pass the filter."""
        deck = self.deck
        table = self.query_one("#card-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        title = Text()
        empty = self.query_one("#card-list-empty", Static)
        if deck is None:
            title.append(f"The deck '{self.deck_id}' is gone from disk.", style="bold red")
            self.query_one("#card-list-title", Static).update(title)
            empty.display = False
            return
        # A title written by hand may be any length: cut so the counts after it stay in view.
        title.append(one_line(deck.title, max(20, self.app.size.width - 50)), style="bold")
        title.append(f"  {count(len(deck.cards), 'card')}", style="dim")
        title.append(f" · {followups_note(deck)} (f)", style="dim")
        if deck.builtin:
            title.append("  · built-in, read-only (c in the deck list copies it)", style="dim")
        self.query_one("#card-list-title", Static).update(title)
        query = self.query_one("#card-filter", Input).value
        shown = [c for c in deck.cards if card_matches(c, query)]
        for card in shown:
            prompt = " ".join(card.prompt.split())
            table.add_row(
                Text(card.id),
                Text(card.kind, style="dim"),
                Text(prompt[:70] + ("…" if len(prompt) > 70 else "")),
                Text(" ".join(card.tags), style="dim"),
                key=card.id,
            )
        restore_cursor(table, [c.id for c in shown], select, cursor)
        if not deck.cards:
            empty.update(Text("No cards yet. Press n to write the first one."))
        elif not shown:
            empty.update(Text("No card matches the filter."))
        empty.display = not shown

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_cards()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#card-table", DataTable).focus()

    def selected(self) -> Card | None:
        """The highlighted card."""
        table = self.query_one("#card-table", DataTable)
        deck = self.deck
        if table.row_count == 0 or deck is None:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return deck.card(key) if key is not None else None

    def _editable(self) -> Deck | None:
        deck = self.deck
        if deck is None:
            return None
        if deck.builtin:
            self.notify(
                "Built-in decks are read-only: in the deck list, c copies it to your decks.",
                severity="warning",
            )
            return None
        return deck

    def action_filter(self) -> None:
        self.query_one("#card-filter", Input).focus()

    def action_back(self) -> None:
        filter_box = self.query_one("#card-filter", Input)
        if filter_box.has_focus:
            self.query_one("#card-table", DataTable).focus()
            return
        self.app.pop_screen()

    def action_edit(self) -> None:
        from failtui.ui.screens.card_editor import CardEditorScreen

        if self.query_one("#card-filter", Input).has_focus:
            self.query_one("#card-table", DataTable).focus()
            return
        deck, card = self._editable(), self.selected()
        if deck is not None and card is not None:
            self.app.push_screen(CardEditorScreen(deck.id, card.id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A built-in deck is read-only (its title says so): no new card, no delete, and none
        # shown in the footer.
        deck = self.deck
        return not (action in ("new", "delete") and deck is not None and deck.builtin)

    def action_new(self) -> None:
        from failtui.ui.screens.card_editor import CardEditorScreen

        deck = self._editable()
        if deck is not None:
            self.app.push_screen(CardEditorScreen(deck.id, None))

    def action_followups(self) -> None:
        from failtui.ui.screens.followup_editor import FollowUpEditorScreen

        if self.query_one("#card-filter", Input).has_focus:
            return
        if self.deck is not None:
            self.app.push_screen(FollowUpEditorScreen(self.deck_id))

    def action_delete(self) -> None:
        deck, card = self._editable(), self.selected()
        if deck is None or card is None or deck.path is None:
            return
        delete_card_after_asking(
            self.app,
            deck.path,
            card.id,
            f"Delete the card '{card.id}'? Its review history is kept (marked as deleted), and "
            "the deck file is first copied to backups/decks/.",
            "card",
            self.refresh_cards,
        )
