"""The card editor: every field of a card, checked as you type, with a live grading preview.

Key points and red flags are edited as lines (see :mod:`failtui.decks.card_text`). The preview
grades a sample answer with the card as it stands in the form, so the cues can be tried before
saving. Saving writes only this card's block of the deck file; if the file changed on disk
since the editor opened, the user chooses how to save (:mod:`failtui.ui.deck_saving`).
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

from failtui.decks.card_merge import FIELD_NAMES, merge_card
from failtui.decks.card_text import (
    CardTextError,
    format_key_points,
    format_red_flags,
    format_tags,
    parse_key_points,
    parse_red_flags,
    parse_tags,
)
from failtui.decks.files import DeckSource, DeckWriteError
from failtui.decks.ids import slugify, unique_id
from failtui.decks.reader import parse_deck
from failtui.decks.writer import check_card, set_card, shared_items
from failtui.grading import grade_answer
from failtui.models import CARD_KINDS, Card
from failtui.ui.deck_saving import Edited, save_deck
from failtui.ui.keys import FORM_TAB_BINDINGS, HELP_F1, QUESTION_MARK_HIDDEN
from failtui.ui.marks import graded_key_point
from failtui.ui.screens.base import FailtuiFooter
from failtui.ui.screens.choice import ChoiceScreen
from failtui.ui.screens.deck_form import DeckFormScreen

#: The preview regrades this long after the last keystroke.
PREVIEW_DELAY = 0.15

KEY_POINTS_HELP = "Key points: id | label | cue; cue  (or a deck-level id)"
RED_FLAGS_HELP = "Red flags: id | label | cue; cue | advice  (one a line)"
#: The card fields behind :meth:`CardEditorScreen.form_values`, in its order.
_FORM_FIELDS = ("id", "kind", "prompt", "answer", "tags", "key_points", "red_flags")


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
        text.append(f'{rf.label}: "{rf.evidence}"\n', style="red")
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
        height: 1;
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

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="editor"):
            with VerticalScroll(id="editor-form"):
                yield Static(id="editor-title")
                with Horizontal(id="editor-id-row"):
                    yield Input(
                        placeholder="id (made from the prompt if empty)", id="card-id", compact=True
                    )
                    yield KindSelect(
                        [(kind, kind) for kind in CARD_KINDS],
                        allow_blank=False,
                        value="question",
                        id="card-kind",
                        compact=True,
                    )
                yield Label("Prompt")
                yield TextArea(id="card-prompt", soft_wrap=True, tab_behavior="focus", compact=True)
                yield Label("Guidance (shown after answering)")
                yield TextArea(id="card-answer", soft_wrap=True, tab_behavior="focus", compact=True)
                yield Label('Tags (separated by spaces; "two words" in quotes)')
                yield Input(id="card-tags", compact=True)
                yield Label(KEY_POINTS_HELP)
                yield TextArea(
                    id="card-key-points", soft_wrap=True, tab_behavior="focus", compact=True
                )
                yield Label(RED_FLAGS_HELP)
                yield TextArea(
                    id="card-red-flags", soft_wrap=True, tab_behavior="focus", compact=True
                )
            with Vertical(id="editor-preview"):
                yield Label("Sample answer, graded as you type")
                yield TextArea(
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
        self.shared = shared_items(self.source.text, self.source.path)
        self.previous = card
        self._show_title(card.id if card else None)
        if card is not None:
            self.query_one("#card-id", Input).value = card.id
            self.query_one("#card-kind", Select).value = card.kind
            self.query_one("#card-prompt", TextArea).load_text(card.prompt)
            self.query_one("#card-answer", TextArea).load_text(card.answer)
            self.query_one("#card-tags", Input).value = format_tags(card.tags)
            self.query_one("#card-key-points", TextArea).load_text(
                format_key_points(card.key_points, self.shared["key_points"])
            )
            self.query_one("#card-red-flags", TextArea).load_text(
                format_red_flags(card.red_flags, self.shared["red_flags"])
            )
        self.saved_form = self.form_values()
        self.validate()

    def _show_title(self, card_id: str | None) -> None:
        deck = self.app.catalog.deck(self.deck_id)
        title = Text("Editing ", style="bold")
        title.append(f"{deck.title if deck else self.deck_id} / {card_id or 'new card'}")
        self.query_one("#editor-title", Static).update(title)

    # -- the form -----------------------------------------------------------------------------
    def form_values(self) -> tuple:
        """Everything typed in the form (to tell whether there are unsaved changes)."""
        return (
            self.query_one("#card-id", Input).value,
            self.query_one("#card-kind", Select).value,
            self.query_one("#card-prompt", TextArea).text,
            self.query_one("#card-answer", TextArea).text,
            self.query_one("#card-tags", Input).value,
            self.query_one("#card-key-points", TextArea).text,
            self.query_one("#card-red-flags", TextArea).text,
        )

    def build_card(self) -> Card:
        """The card the form describes.

        Raises:
            CardTextError, DeckWriteError: one line saying what is wrong and where.
        """
        form = self.form_values()
        card_id, kind, prompt, answer, tags, key_points, red_flags = form
        card_id = card_id.strip() or self._id_from_prompt(prompt)
        base = self.previous
        # A field the user did not touch keeps the card's own value, exactly: the form's text
        # of it need not read back the same (a hand-written file may hold anything).
        untouched = (
            {
                name
                for name, now, then in zip(_FORM_FIELDS, form, self.saved_form, strict=True)
                if now == then
            }
            if base is not None and self.saved_form is not None
            else set()
        )

        def value(name: str, parse):
            return getattr(base, name) if name in untouched else parse()

        previous = base.key_points if base else ()
        card = Card(
            deck_id=self.deck_id,
            id=card_id,
            kind=value("kind", lambda: str(kind)),
            prompt=value("prompt", prompt.strip),
            answer=value("answer", answer.strip),
            tags=value("tags", lambda: parse_tags(tags)),
            key_points=value(
                "key_points",
                lambda: parse_key_points(key_points, self.shared["key_points"], previous),
            ),
            red_flags=value(
                "red_flags", lambda: parse_red_flags(red_flags, self.shared["red_flags"])
            ),
        )
        if not card.prompt:
            raise DeckWriteError("the prompt is empty: write the question or the tip")
        check_card(card)
        deck = self.app.catalog.deck(self.deck_id)
        if card.id != self.original_id and deck is not None and deck.card(card.id):
            raise DeckWriteError(f"card id '{card.id}' is already used in this deck")
        return card

    def _id_from_prompt(self, prompt: str) -> str:
        deck = self.app.catalog.deck(self.deck_id)
        taken = {c.id for c in deck.cards} if deck else set()
        taken.discard(self.original_id or "")
        return unique_id(slugify(prompt, limit=40) or "card", taken.__contains__)

    def validate(self) -> None:
        """Check the form and say so in one line; schedule the preview."""
        if self.source is None:
            return
        try:
            self.card = self.build_card()
        except (CardTextError, DeckWriteError) as exc:
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
        except (CardTextError, DeckWriteError) as exc:
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
        source = self.source
        assert source is not None  # save() writes only a form loaded from its file
        path = source.path
        old_id = self.original_id
        base = self.previous

        def edit(text: str) -> Edited:
            # The text is what the editor loaded, or the file as it is now (a merge): only the
            # fields changed in the form replace the card's fields there.
            on_disk = parse_deck(text, path)
            theirs = on_disk.card(old_id) if old_id else None
            if old_id is None and on_disk.card(card.id):
                raise DeckWriteError(
                    f"card id '{card.id}' was added to the file meanwhile; choose another id"
                )
            merged = merge_card(base, card, theirs)
            overridden = ""
            if merged.conflicts:
                names = ", ".join(FIELD_NAMES[name] for name in merged.conflicts)
                overridden = f"The file also changed this card's {names}"
            elif merged.deleted_on_disk:
                overridden = "This card had been deleted in the file; it is saved again"
            target = old_id if theirs is not None else None
            return Edited(set_card(text, path, merged.card, old_id=target), overridden)

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

        save_deck(self.app, source, edit, done)
