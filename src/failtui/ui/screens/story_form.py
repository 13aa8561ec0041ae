"""The story form: a failure story in STAR parts, and the details the drill will check.

As the user writes, the right-hand side lists the key points the story's card will have: the
standard ones and those made from the story's own numbers, mistake, fix and lesson.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, Label, Static, TextArea

from failtui import locations
from failtui.decks.editing import story_edit
from failtui.decks.files import DeckSource, DeckWriteError
from failtui.decks.ids import slugify, unique_id
from failtui.decks.story import (
    STORY_DECK_ID,
    STORY_PARTS,
    Story,
    create_user_deck,
    specific_key_points,
)
from failtui.models import STANDARD_KEY_POINTS
from failtui.ui.deck_saving import save_deck
from failtui.ui.keys import FORM_TAB_BINDINGS, HELP_F1, QUESTION_MARK_HIDDEN, after_typed_keys
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.unsaved import ask_before_leaving
from failtui.ui.widgets.text_field import LineField, TextField


def checked_details_text(story: Story) -> Text:
    """The key points a story's card will have, for the form's side panel."""
    text = Text()
    text.append("The drill will check\n", style="bold")
    text.append(
        " the shape of a strong answer: situation, task, your mistake, its impact and a "
        "number, the fix, the lesson, its later use\n",
        style="dim",
    )
    points = specific_key_points(story)
    text.append("\nand the details of your story:\n", style="bold")
    if not points:
        text.append(" (none yet: write the parts on the left)\n", style="dim italic")
    for kp in points:
        text.append(" • ", style="bold cyan")
        text.append(kp.label + "\n")
        text.append(f"   cues: {'; '.join(kp.cues)}\n", style="dim")
    missing = story.problems()
    if missing:
        text.append(f"\nTo save, write {', '.join(missing)}.", style="yellow")
    return text


class StoryFormScreen(FailtuiScreen):
    """Write or edit one story (``card_id`` None: a new one)."""

    DEFAULT_CSS = """
    StoryFormScreen #story-form {
        height: 1fr;
    }
    StoryFormScreen #story-parts {
        width: 3fr;
        padding: 0 1;
    }
    StoryFormScreen #story-form TextArea, StoryFormScreen #story-form Input {
        background: $boost;
        margin-bottom: 1;
    }
    StoryFormScreen #story-form Label {
        width: 100%;
        color: $text-muted;
    }
    StoryFormScreen .story-part {
        height: 2;
    }
    StoryFormScreen #story-side {
        width: 2fr;
        min-width: 30;
        border-left: tall $primary-background;
        padding: 0 1;
    }
    StoryFormScreen #story-parts Label {
        width: 100%;
    }
    """

    HELP_SECTION = "Story form"
    BINDINGS = [
        HELP_F1,
        QUESTION_MARK_HIDDEN,
        *FORM_TAB_BINDINGS,
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "leave", "Back"),
    ]

    UNSAVED_QUESTION = "This story has unsaved changes."

    def __init__(self, card_id: str | None, story: Story | None = None):
        super().__init__()
        self.card_id = card_id
        self.initial = story or Story(title="")
        self.saved_story: Story = self.initial

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="story-form"):
            with VerticalScroll(id="story-parts"):
                yield Label("Title (for you: which story this is)")
                yield LineField(value=self.initial.title, id="story-title", compact=True)
                for name, label, help_text in STORY_PARTS:
                    yield Label(Text.assemble((label, "bold"), "  ", (help_text, "dim")))
                    area = TextField(
                        getattr(self.initial, name),
                        id=f"story-{name}",
                        soft_wrap=True,
                        tab_behavior="focus",
                        compact=True,
                        classes="story-part",
                    )
                    yield area
            with VerticalScroll(id="story-side"):
                yield Static(id="story-details")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        self.query_one("#story-title", Input).focus()
        self.update_details()

    def _show(self, story: Story) -> None:
        self.query_one("#story-title", Input).value = story.title
        for name, _, _ in STORY_PARTS:
            self.query_one(f"#story-{name}", TextArea).load_text(getattr(story, name))

    def story(self) -> Story:
        """The story as typed."""
        values = {
            name: self.query_one(f"#story-{name}", TextArea).text for name, _, _ in STORY_PARTS
        }
        return Story(title=self.query_one("#story-title", Input).value.strip(), **values)

    def update_details(self) -> None:
        """Refresh the list of details the drill will check."""
        self.query_one("#story-details", Static).update(checked_details_text(self.story()))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.update_details()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.update_details()

    def _stories_source(self) -> DeckSource:
        """The stories deck file, created with the standard key points on the first story."""
        deck = self.app.catalog.deck(STORY_DECK_ID)
        if deck is not None and deck.path is not None:
            return DeckSource.read(deck.path)
        folder = locations.user_decks_dir(self.app.data_dir)
        path = folder / f"{STORY_DECK_ID}.toml"
        if path.exists():
            # The file is there but did not load: never write over it.
            raise DeckWriteError(f"{path}: the stories deck does not load; fix or move it first")
        locations.ensure_data_dir(self.app.data_dir)
        create_user_deck(folder, STORY_DECK_ID)
        self.app.reload_catalog()
        return DeckSource.read(path)

    @after_typed_keys
    def action_save(self) -> None:
        """Save the story (ctrl+s)."""
        self.save()

    def has_unsaved_changes(self) -> bool:
        """Whether the form differs from the story as last loaded or saved."""
        return asdict(self.story()) != asdict(self.saved_story)

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save the story; ``then`` runs once it is saved."""
        story = self.story()
        missing = story.problems()
        if missing:
            self.notify(f"Not saved: the story needs {', '.join(missing)}.", severity="error")
            return
        try:
            source = self._stories_source()
        except DeckWriteError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        deck = self.app.catalog.deck(STORY_DECK_ID)
        card_id = self.card_id
        if card_id is None:
            taken = {c.id for c in deck.cards} if deck else set()
            card_id = unique_id(slugify(story.title, limit=40) or "story", taken.__contains__)
        path = source.path
        edit, written = story_edit(path, self.saved_story, story, card_id, self.card_id)

        def done(saved: DeckSource | None) -> None:
            if saved is None:
                return
            self.card_id = card_id
            self.saved_story = written()
            if self.saved_story != story:
                self._show(self.saved_story)  # their parts, merged in
            card = self.app.catalog.find_card(card_id, STORY_DECK_ID)
            if not {kp.id for kp in card.key_points} & set(STANDARD_KEY_POINTS):
                self.notify(
                    f"{path.name} has no standard key points (it was not made by failtui), so "
                    "only your story's details are checked. Move the file away and save a story "
                    "again to get a stories deck that also checks the answer's shape.",
                    severity="warning",
                    markup=False,
                )
            if then is not None:
                then()

        save_deck(self.app, source, edit, done)

    def action_leave(self) -> None:
        if not self.has_unsaved_changes():
            self.app.pop_screen()
            return
        ask_before_leaving(self, self.UNSAVED_QUESTION, self.save, self.app.pop_screen)
