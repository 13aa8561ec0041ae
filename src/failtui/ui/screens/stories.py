"""My stories (``s`` in the deck list): the user's failure stories; write, edit, drill, choose.

Each story is a card of the ``my-stories`` deck. ``d`` drills one story now, whatever is due;
``a`` makes one the active story, so the daily drill uses it and not the others.
"""

from __future__ import annotations

from collections import Counter

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static

from failtui.decks.files import DeckSource, DeckWriteError
from failtui.decks.story import STORY_DECK_ID, Story, read_stories
from failtui.models import Deck
from failtui.storage.stories import activate_story, active_story, clear_active_story
from failtui.ui.deck_saving import delete_card_after_asking
from failtui.ui.keys import HELP
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.tables import restore_cursor


class StoryListScreen(FailtuiScreen):
    """The stories, with the active one marked."""

    DEFAULT_CSS = """
    StoryListScreen #story-list {
        padding: 1 2;
    }
    StoryListScreen #story-intro {
        height: auto;
        margin-bottom: 1;
    }
    StoryListScreen #story-table {
        height: auto;
        max-height: 1fr;
    }
    """

    HELP_SECTION = "My stories"
    BINDINGS = [
        HELP,
        Binding("enter", "edit", "Edit", priority=True),
        Binding("n", "new", "New story"),
        Binding("d", "drill", "Drill it"),
        Binding("a", "activate", "Active story"),
        Binding("x", "delete", "Delete"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stories: dict[str, Story] = {}
        #: Each listed story's title as shown (its card id if it has none), by card id.
        self.titles: dict[str, str] = {}

    @property
    def deck(self) -> Deck | None:
        """The stories deck, if the user has written a story."""
        return self.app.catalog.deck(STORY_DECK_ID)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="story-list"):
            yield Static(id="story-intro")
            yield DataTable(id="story-table", cursor_type="row", zebra_stripes=True)
        yield FailtuiFooter()

    def on_mount(self) -> None:
        table = self.query_one("#story-table", DataTable)
        table.add_column("Story", key="title")
        table.add_column("Details checked", key="points")
        table.add_column("In the drill", key="active")
        self.refresh_stories()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_stories()

    def refresh_stories(self, select: str | None = None) -> None:
        """Read the stories from the deck file and list them."""
        deck = self.deck
        self.stories = {}
        if deck is not None and deck.path is not None:
            try:
                self.stories = read_stories(DeckSource.read(deck.path).text)
            except DeckWriteError as exc:
                self.notify(str(exc), severity="error", markup=False)
        table = self.query_one("#story-table", DataTable)
        table.clear()
        cards = [c for c in deck.cards if c.id in self.stories] if deck else []
        # The same rule as the drill's (storage.stories): every card of the deck counts.
        active = active_story(self.app.store, {c.key for c in deck.cards} if deck else set())
        # A long title is cut, so the other two columns stay on screen (they take about 35).
        title_width = max(20, self.app.size.width - 40)
        titles = {c.id: " ".join((self.stories[c.id].title or c.id).split()) for c in cards}
        # Two stories of one title (written twice, or a copy) are told apart by their card ids,
        # as home tells apart two decks of one title.
        shared = {t for t, n in Counter(titles.values()).items() if n > 1}
        self.titles = titles
        for card in cards:
            specific = sum(kp.id.startswith("story-") for kp in card.key_points)
            in_drill = "active" if card.key == active else ("paused" if active else "yes")
            title = Text(titles[card.id])
            note = ""
            if titles[card.id] in shared:
                # At most half the room when the title needs it; an id is cut at its start, as
                # its end tells it apart ("...-2").
                room = max(title_width - cell_len(titles[card.id]), title_width // 2) - 3
                note = " · " + (card.id if len(card.id) <= room else "…" + card.id[1 - room :])
            title.truncate(title_width - cell_len(note), overflow="ellipsis")
            title.append(note, style="dim")
            table.add_row(
                title,
                Text(f"{specific} of your details", style="dim"),
                Text(in_drill, style="bold green" if in_drill == "active" else "dim"),
                key=card.id,
            )
        restore_cursor(table, [c.id for c in cards], select)
        intro = Text()
        if not cards:
            intro.append("No stories yet.\n", style="bold")
            intro.append(
                "Press n and write your own failure story in parts: situation, task, what you "
                "did wrong, the result, what you fixed, what you learned and how you use it now. "
                "failtui turns it into a card that checks you tell it with its details."
            )
        else:
            intro.append(
                "enter edits · d drills the story now · a makes it the one the daily drill uses"
            )
            if active:
                intro.append("\nOnly the active story is in the daily drill.", style="dim")
        self.query_one("#story-intro", Static).update(intro)

    def story_name(self, card_id: str) -> str:
        """The story as the list names it, whole: its title, and its card id when another
        story has that title."""
        title = self.titles.get(card_id, card_id)
        shared = list(self.titles.values()).count(title) > 1
        return f"{title} · {card_id}" if shared else title

    def selected_id(self) -> str | None:
        """The card id of the highlighted story."""
        table = self.query_one("#story-table", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_new(self) -> None:
        from failtui.ui.screens.story_form import StoryFormScreen

        self.app.push_screen(StoryFormScreen(None))

    def action_edit(self) -> None:
        from failtui.ui.screens.story_form import StoryFormScreen

        card_id = self.selected_id()
        if card_id is not None:
            self.app.push_screen(StoryFormScreen(card_id, self.stories.get(card_id)))

    def action_drill(self) -> None:
        card_id, deck = self.selected_id(), self.deck
        card = deck.card(card_id) if deck and card_id else None
        if card is None:
            return
        session = self.app.new_session(STORY_DECK_ID, limit=1, ahead=True)
        self.app.open_drill(session, card, speak=False)

    def action_activate(self) -> None:
        card_id, deck = self.selected_id(), self.deck
        if card_id is None or deck is None:
            return
        key = f"{deck.id}/{card_id}"
        if active_story(self.app.store) == key:
            clear_active_story(self.app.store)
            self.notify("Every story is in the daily drill again.")
        else:
            activate_story(self.app.store, key)
            self.notify("The daily drill now uses this story; the others are paused.")
        self.refresh_stories(select=card_id)

    def action_delete(self) -> None:
        card_id, deck = self.selected_id(), self.deck
        if card_id is None or deck is None or deck.path is None:
            return
        delete_card_after_asking(
            self.app,
            deck.path,
            card_id,
            f"Delete the story '{self.story_name(card_id)}'? Your answers to it stay in the "
            "history, and the deck file is first copied to backups/decks/.",
            "story",
            self.refresh_stories,
        )
