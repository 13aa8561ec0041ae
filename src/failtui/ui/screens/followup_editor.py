"""The follow-up editor (``f`` on a deck's cards): the deck's interviewer follow-ups as lines.

One question a line, ``key point | question`` (:mod:`failtui.decks.card_text`), checked as you
type. Saving rewrites only the deck's ``[[followups]]`` tables, through the same saving as the
card editor: a file changed on disk meanwhile is merged or kept (:mod:`failtui.ui.deck_saving`),
and escape or ctrl+q ask before unsaved lines are lost. A built-in deck's follow-ups are shown
read-only.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Label, Static, TextArea

from failtui.decks.card_text import (
    CardTextError,
    format_followup,
    format_followups,
    parse_followups,
)
from failtui.decks.editing import followups_edit
from failtui.decks.files import DeckSource
from failtui.followups import fallback_followups
from failtui.models import FOLLOWUP_ORDER, Deck, FollowUp, is_failure_question
from failtui.textclean import one_line
from failtui.ui.deck_saving import save_deck
from failtui.ui.keys import FORM_TAB_BINDINGS, HELP_F1, QUESTION_MARK_HIDDEN
from failtui.ui.screens.base import FailtuiFooter
from failtui.ui.screens.deck_form import DeckFormScreen
from failtui.ui.widgets.text_field import TextField
from failtui.words import count

FOLLOWUPS_HELP = (
    "One a line: key point | question. An answer is asked about the first key point it "
    "misses, in the order below; several questions on one take turns."
)


def followups_summary(followups: tuple[FollowUp, ...], deck: Deck | None) -> Text:
    """Which key points have a question, which have none, and whether the deck asks them."""
    text = Text()
    if followups:
        asked = [(kp, sum(f.key_point == kp for f in followups)) for kp in FOLLOWUP_ORDER]
        text.append("Questions: ", style="bold")
        text.append(" · ".join(f"{kp} {n}" for kp, n in asked if n))
        missing = [kp for kp, n in asked if not n]
        if missing:
            text.append("\nNo question for: ", style="bold")
            text.append(", ".join(missing) + " (an answer missing only these is asked nothing)")
    if deck is not None:
        questions = sum(is_failure_question(c) for c in deck.cards)
        if not questions:
            text.append(
                "\nNone of this deck's cards is a failure-question card (one with the eight "
                "standard key points), so these are not asked yet.",
                style="dim",
            )
    return text


class FollowUpEditorScreen(DeckFormScreen):
    """Edit the ``[[followups]]`` of one deck (read-only for a built-in deck)."""

    HELP_SECTION = "Follow-up editor"
    DEFAULT_CSS = """
    FollowUpEditorScreen #followup-editor {
        height: 1fr;
        padding: 0 1;
    }
    FollowUpEditorScreen #followups-help {
        width: 100%;
        color: $text-muted;
    }
    FollowUpEditorScreen #followups-text {
        height: 1fr;
        background: $boost;
        margin-bottom: 1;
    }
    FollowUpEditorScreen #followups-summary {
        height: auto;
    }
    FollowUpEditorScreen #editor-status {
        height: auto;
        max-height: 3;
        padding: 0 1;
    }
    """
    BINDINGS = [
        HELP_F1,
        QUESTION_MARK_HIDDEN,
        *FORM_TAB_BINDINGS,
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+b", "add_builtin", "Add built-in ones"),
        Binding("escape", "leave", "Back"),
    ]

    UNSAVED_QUESTION = "The follow-ups have unsaved changes."

    def __init__(self, deck_id: str):
        super().__init__(deck_id)
        self.previous: tuple[FollowUp, ...] = ()
        self.read_only = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="followup-editor"):
            yield Static(id="editor-title")
            yield Label(FOLLOWUPS_HELP, id="followups-help")
            yield TextField(id="followups-text", soft_wrap=True, tab_behavior="focus", compact=True)
            yield Static(id="followups-summary")
        yield Static(id="editor-status")
        yield FailtuiFooter()

    @property
    def text_area(self) -> TextArea:
        """The box holding the lines."""
        return self.query_one("#followups-text", TextArea)

    def on_mount(self) -> None:
        deck = self.app.catalog.deck(self.deck_id)
        self.read_only = deck is not None and deck.builtin
        self.text_area.read_only = self.read_only
        self.refresh_bindings()
        title = Text("Follow-ups of ", style="bold")
        title.append(one_line(deck.title, 50) if deck else self.deck_id)
        if self.read_only:
            title.append("  · built-in, read-only (c in the deck list copies it)", style="dim")
        self.query_one("#editor-title", Static).update(title)
        loaded = self.read_deck()
        if loaded is None:
            return
        self._load(loaded.followups)
        self.text_area.focus()

    def _load(self, followups: tuple[FollowUp, ...]) -> None:
        """Show the follow-ups as saved; they become the base of the next save."""
        self.previous = followups
        self.text_area.load_text(format_followups(followups))
        self.saved_form = self.form_values()
        self.validate()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A built-in deck is read-only: no save, nothing to add (hidden from the footer).
        return not (self.read_only and action in ("add_builtin", "save"))

    # -- the form -----------------------------------------------------------------------------
    def form_values(self) -> tuple:
        """The lines as typed."""
        return (self.text_area.text,)

    def build_followups(self) -> tuple[FollowUp, ...]:
        """The follow-ups the lines describe.

        Raises:
            CardTextError: one line naming the line that is wrong and how to write it.
        """
        return parse_followups(self.text_area.text, self.previous)

    def validate(self) -> None:
        """Check the lines and say so in one line; update the summary."""
        if self.source is None:
            return
        deck = self.app.catalog.deck(self.deck_id)
        summary = self.query_one("#followups-summary", Static)
        try:
            followups = self.build_followups()
        except CardTextError as exc:
            self.show_status(str(exc), ok=False)
            return
        summary.update(followups_summary(followups, deck))
        if self.read_only:
            self.show_status(f"{count(len(followups), 'follow-up')} (read-only)", ok=True)
        elif not followups:
            fallback = len(fallback_followups(self.app.catalog))
            asks = deck is not None and any(is_failure_question(c) for c in deck.cards)
            # Without a failure-question card the deck asks no follow-up at all (the summary
            # above says so): the built-in ones are then only there to copy.
            gets = f"its cards get the built-in deck's {fallback}" if asks else "none is asked yet"
            self.show_status(
                f"No follow-ups of its own: {gets}. ctrl+b adds the built-in ones here to edit.",
                ok=True,
            )
        else:
            note = "unsaved changes · ctrl+s saves" if self.has_unsaved_changes() else "saved"
            self.show_status(f"✓ {count(len(followups), 'follow-up')}, valid ({note})", ok=True)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.saved_form is not None:
            self.validate()

    def action_add_builtin(self) -> None:
        """Add the built-in questions this deck does not have yet at the end (ctrl+z undoes)."""
        if self.read_only or self.source is None:
            return
        present = {line.strip() for line in self.text_area.text.splitlines()}
        lines = [
            format_followup(f)
            for f in fallback_followups(self.app.catalog)
            if format_followup(f) not in present
        ]
        if not lines:
            self.notify("Every built-in follow-up is here already.")
            return
        area = self.text_area
        text = "\n".join(lines)
        if area.text and not area.text.endswith("\n"):
            text = "\n" + text
        area.insert(text, area.document.end)
        area.focus()
        self.notify(f"Added {count(len(lines), 'built-in follow-up')}; ctrl+s saves them.")

    # -- saving -------------------------------------------------------------------------------
    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save the follow-ups into the deck file; ``then`` runs once they are saved."""
        if self.source is None:
            return
        if self.read_only:
            self.notify(
                "Built-in decks are read-only: in the deck list, c copies it to your decks.",
                severity="warning",
            )
            return
        try:
            mine = self.build_followups()
        except CardTextError as exc:
            self.show_status(str(exc), ok=False)
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        edit = followups_edit(self.source.path, self.previous, mine)

        def done(saved: DeckSource | None) -> None:
            if saved is None:
                self.validate()
                return
            self.source = saved
            self._load(saved.deck().followups)
            if then is not None:
                then()

        save_deck(self.app, self.source, edit, done)
