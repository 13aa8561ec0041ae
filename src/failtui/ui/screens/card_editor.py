"""The card editor: every field of a card, checked as you type, with a live grading preview.

Key points and red flags are edited as lines (see :mod:`failtui.decks.card_text`). The preview
grades a sample answer with the card as it stands in the form, so the cues can be tried before
saving. Saving writes only this card's block of the deck file; if the file changed on disk
since the editor opened, the user chooses how to save (:mod:`failtui.ui.deck_saving`). Turning
the form into a card and merging it with the file are the core's (:mod:`failtui.decks.editing`).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Header, Input, Label, Select, Static, TextArea

from failtui.decks.editing import CardForm, CardFormError, LoadedCard, card_edit, card_from_form
from failtui.decks.files import DeckSource
from failtui.grading import grade_answer
from failtui.models import CARD_KINDS, Card
from failtui.textclean import one_line
from failtui.ui.deck_saving import save_deck
from failtui.ui.keys import FORM_TAB_BINDINGS, HELP_F1, QUESTION_MARK_HIDDEN
from failtui.ui.marks import graded_key_point
from failtui.ui.screens.base import FailtuiFooter
from failtui.ui.screens.choice import ChoiceScreen
from failtui.ui.screens.deck_form import DeckFormScreen
from failtui.ui.widgets.text_field import LineField, TextField

#: The preview regrades this long after the last keystroke.
PREVIEW_DELAY = 0.15

KEY_POINTS_HELP = "Key points: id | label | cue; cue | hint  (or a deck-level id)"
RED_FLAGS_HELP = "Red flags: id | label | cue; cue | advice  (one a line)"


def preview_text(card: Card, sample: str) -> Text:
    """What the grader makes of a sample answer: each key point covered or not, red flags."""
    text = Text()
    if not sample.strip():
        text.append("Type or paste a sample answer above to see what it covers.", style="dim")
        return text
    grade = grade_answer(card, sample)
    text.append(
        f"Coverage {grade.coverage:.0%} · suggests {grade.suggested_rating}\n", style="bold"
    )
    for kp in grade.key_points:
        text.append_text(graded_key_point(kp.label + "\n", kp.covered))
    if not card.key_points:
        text.append("(no key points: graded against the guidance)\n", style="dim italic")
    for rf in grade.red_flags:
        text.append(" ! ", style="bold red")
        text.append(f'{rf.shown_label}: "{rf.evidence}"\n', style="red")
    return text


class KindSelect(Select, inherit_bindings=False):
    """The card kind: a letter picks it (q, t, p); typing never opens the list and is lost.

    Textual's Select opens its list on space and the list then takes the keys typed after it,
    so text typed into the wrong field vanished. Here enter, up or down open the list; a
    printable key picks the kind it starts, or is refused with a bell.
    """

    BINDINGS = [Binding("enter,down,up", "show_overlay", "Show menu", show=False)]

    async def _on_key(self, event: events.Key) -> None:
        if event.character is None or not event.is_printable:
            return
        event.stop()
        event.prevent_default()
        match = next((k for k in CARD_KINDS if k.startswith(event.character.lower())), None)
        if match is None:
            self.app.bell()
        else:
            self.value = match


class CardEditorScreen(DeckFormScreen):
    """Edit one card of a user deck (``card_id`` None: a new card)."""

    DEFAULT_CSS = """
    CardEditorScreen #editor {
        height: 1fr;
    }
    CardEditorScreen #editor-form {
        width: 3fr;
        padding: 0 1;
    }
    CardEditorScreen #editor-id-row {
        height: auto;
    }
    CardEditorScreen #card-id {
        width: 1fr;
    }
    CardEditorScreen #card-kind {
        width: 16;
        margin-left: 1;
    }
    CardEditorScreen #editor TextArea, CardEditorScreen #editor Input {
        background: $boost;
        margin-bottom: 1;
    }
    CardEditorScreen #editor Label {
        width: 100%;
        color: $text-muted;
    }
    CardEditorScreen #card-prompt {
        height: 2;
    }
    CardEditorScreen #card-answer, CardEditorScreen #card-red-flags {
        height: 3;
    }
    CardEditorScreen #card-key-points {
        height: 5;
    }
    CardEditorScreen #editor-preview {
        width: 2fr;
        min-width: 30;
        border-left: tall $primary-background;
        padding: 0 1;
    }
    CardEditorScreen #sample-answer {
        height: 7;
    }
    CardEditorScreen #editor-status {
        height: auto;
        max-height: 3;  /* a long message wraps (at 80 columns the id rule takes two lines) */
        padding: 0 1;
    }
    """

    HELP_SECTION = "Card editor"
    BINDINGS = [
        HELP_F1,
        QUESTION_MARK_HIDDEN,
        *FORM_TAB_BINDINGS,
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "leave", "Back"),
    ]

    UNSAVED_QUESTION = "This card has unsaved changes."

    def __init__(self, deck_id: str, card_id: str | None):
        super().__init__(deck_id)
        self.original_id = card_id
        self._preview_timer: Timer | None = None
        self.card: Card | None = None  # the card as the form stands, when it is valid
        self.loaded: LoadedCard | None = None  # the card as last read or saved: the merge base

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="editor"):
            with VerticalScroll(id="editor-form"):
                yield Static(id="editor-title")
                with Horizontal(id="editor-id-row"):
                    yield LineField(
                        placeholder="id (empty: from prompt)", id="card-id", compact=True
                    )
                    yield KindSelect(
                        [(kind, kind) for kind in CARD_KINDS],
                        allow_blank=False,
                        value="question",
                        id="card-kind",
                        compact=True,
                    )
                yield Label("Prompt")
                yield TextField(
                    id="card-prompt", soft_wrap=True, tab_behavior="focus", compact=True
                )
                yield Label("Guidance (shown after answering)")
                yield TextField(
                    id="card-answer", soft_wrap=True, tab_behavior="focus", compact=True
                )
                yield Label('Tags (separated by spaces; "two words" in quotes)')
                yield LineField(id="card-tags", compact=True)
                yield Label(KEY_POINTS_HELP)
                yield TextField(
                    id="card-key-points", soft_wrap=True, tab_behavior="focus", compact=True
                )
                yield Label(RED_FLAGS_HELP)
                yield TextField(
                    id="card-red-flags", soft_wrap=True, tab_behavior="focus", compact=True
                )
            with Vertical(id="editor-preview"):
                yield Label("Sample answer, graded as you type")
                yield TextField(
                    id="sample-answer", soft_wrap=True, tab_behavior="focus", compact=True
                )
                with VerticalScroll():
                    yield Static(id="preview-grade")
        yield Static(id="editor-status")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        loaded = self.read_deck()
        if loaded is None:
            return
        # The card as this file holds it (the catalog may be older): the base of a merge.
        card = loaded.card(self.original_id) if self.original_id else None
        self._load(card)
        # New or existing, the form starts on the prompt (the id is made from it if empty).
        self.query_one("#card-prompt").focus()

    def _load(self, card: Card | None) -> None:
        """Fill the form with a card as saved; it becomes the base of the next save."""
        assert self.source is not None  # read before any card is loaded
        self.loaded = LoadedCard.of(self.source, self.deck_id, self.original_id, card)
        self._show_title(card.id if card else None)
        if card is not None:
            form = CardForm.of(card, self.loaded.shared)
            self.query_one("#card-id", Input).value = form.id
            self.query_one("#card-kind", Select).value = form.kind
            self.query_one("#card-prompt", TextArea).load_text(form.prompt)
            self.query_one("#card-answer", TextArea).load_text(form.answer)
            self.query_one("#card-tags", Input).value = form.tags
            self.query_one("#card-key-points", TextArea).load_text(form.key_points)
            self.query_one("#card-red-flags", TextArea).load_text(form.red_flags)
        # Read back from the widgets: the text they hold is what later typing is compared with.
        self.saved_form = self.form_values()
        self.validate()

    def _show_title(self, card_id: str | None) -> None:
        deck = self.app.catalog.deck(self.deck_id)
        title = Text("Editing ", style="bold")
        title.append(
            f"{one_line(deck.title, 40) if deck else self.deck_id} / {card_id or 'new card'}"
        )
        self.query_one("#editor-title", Static).update(title)

    # -- the form -----------------------------------------------------------------------------
    def form_values(self) -> CardForm:
        """Everything typed in the form (to tell whether there are unsaved changes)."""
        return CardForm(
            id=self.query_one("#card-id", Input).value,
            kind=str(self.query_one("#card-kind", Select).value),
            prompt=self.query_one("#card-prompt", TextArea).text,
            answer=self.query_one("#card-answer", TextArea).text,
            tags=self.query_one("#card-tags", Input).value,
            key_points=self.query_one("#card-key-points", TextArea).text,
            red_flags=self.query_one("#card-red-flags", TextArea).text,
        )

    def build_card(self) -> Card:
        """The card the form describes.

        Raises:
            CardFormError: one line saying what is wrong and where.
        """
        assert self.loaded is not None  # the form is checked only once a card is loaded
        return card_from_form(
            self.form_values(),
            self.loaded,
            self.saved_form if isinstance(self.saved_form, CardForm) else None,
            self.app.catalog.deck(self.deck_id),
        )

    def validate(self) -> None:
        """Check the form and say so in one line; schedule the preview."""
        if self.source is None:
            return
        try:
            self.card = self.build_card()
        except CardFormError as exc:
            self.card = None
            self.show_status(str(exc), ok=False)
        else:
            changed = self.form_values() != self.saved_form
            note = "unsaved changes · ctrl+s saves" if changed else "saved"
            self.show_status(f"✓ Card '{self.card.id}' is valid ({note})", ok=True)
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self.update_preview)

    def update_preview(self) -> None:
        """Grade the sample answer with the card as it stands."""
        preview = self.query_one("#preview-grade", Static)
        if self.card is None:
            preview.update(Text("Fix the card to see the preview.", style="dim"))
            return
        preview.update(preview_text(self.card, self.query_one("#sample-answer", TextArea).text))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.saved_form is not None:
            self.validate()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.saved_form is not None:
            self.validate()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.saved_form is not None:
            self.validate()

    # -- saving -------------------------------------------------------------------------------
    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save the card; ``then`` runs once it is saved."""
        if self.source is None:
            return
        try:
            card = self.build_card()
        except CardFormError as exc:
            self.show_status(str(exc), ok=False)
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        if self.original_id is not None and card.id != self.original_id:

            def answered(choice: str | None) -> None:
                if choice == "new-id":
                    self._write(card, then)

            self.app.push_screen(
                ChoiceScreen(
                    f"Change the id from '{self.original_id}' to '{card.id}'? The card becomes "
                    "a new card: it starts with no reviews, and the old card's history stays "
                    "under the old id, marked as deleted.",
                    [("new-id", f"Yes, save as '{card.id}'"), ("cancel", "No, go back")],
                ),
                answered,
            )
            return
        self._write(card, then)

    def _write(self, card: Card, then: Callable[[], None] | None) -> None:
        source, loaded = self.source, self.loaded
        assert source is not None and loaded is not None  # save() writes only a loaded form

        def done(saved: DeckSource | None) -> None:
            if saved is None:
                self.validate()
                return
            self.source = saved
            self.original_id = card.id
            # Show what the file now holds (a merge may have brought in their changes).
            self._load(saved.deck().card(card.id))
            if then is not None:
                then()

        save_deck(self.app, source, card_edit(source.path, loaded, card), done)
