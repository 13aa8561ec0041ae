"""What the screens that edit a deck file in a form share: the file as read, a one-line status,
and the question before unsaved changes are left behind.

A form screen fills its form from :meth:`DeckFormScreen.read_deck`, sets ``saved_form`` to
:meth:`form_values` once the form shows what is saved, and saves through
:func:`failtui.ui.deck_saving.save_deck`; escape and ctrl+q then ask before its changes are lost
(:mod:`failtui.ui.unsaved`).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static

from failtui.decks.files import DeckSource, DeckWriteError
from failtui.decks.reader import DeckLoadError
from failtui.models import Deck
from failtui.ui.keys import after_typed_keys
from failtui.ui.screens.base import FailtuiScreen
from failtui.ui.unsaved import ask_before_leaving


class DeckFormScreen(FailtuiScreen):
    """A form over one deck file, with a ``#editor-status`` line; subclasses fill in the form."""

    UNSAVED_QUESTION = "There are unsaved changes."

    def __init__(self, deck_id: str):
        super().__init__()
        self.deck_id = deck_id
        self.source: DeckSource | None = None
        self.saved_form: object | None = None

    def read_deck(self) -> Deck | None:
        """Read the deck's file as it is on disk now (the base of the next save).

        On failure the status line says why, ``source`` stays None (nothing can be saved) and
        None is returned.
        """
        deck = self.app.catalog.deck(self.deck_id)
        if deck is None or deck.path is None:
            self.show_status(f"The deck '{self.deck_id}' is not loaded.", ok=False)
            return None
        try:
            source = DeckSource.read(deck.path)
            loaded = source.deck(builtin=deck.builtin)
        except DeckWriteError as exc:
            self.show_status(str(exc), ok=False)
            return None
        except DeckLoadError as exc:
            self.show_status(str(exc.error), ok=False)
            return None
        self.source = source
        return loaded

    def show_status(self, message: str, *, ok: bool) -> None:
        """One line under the form: green when all is well, red naming what is wrong."""
        self.query_one("#editor-status", Static).update(
            Text(message, style="green" if ok else "bold red")
        )

    def form_values(self) -> object:
        """Everything typed in the form (to tell whether there are unsaved changes)."""
        raise NotImplementedError

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save the form; ``then`` runs once it is saved."""
        raise NotImplementedError

    def has_unsaved_changes(self) -> bool:
        """Whether the form differs from what was last loaded or saved."""
        return self.saved_form is not None and self.form_values() != self.saved_form

    @after_typed_keys
    def action_save(self) -> None:
        """Save (ctrl+s)."""
        self.save()

    def action_leave(self) -> None:
        """Back (escape); asks first when there are unsaved changes."""
        if not self.has_unsaved_changes():
            self.app.pop_screen()
            return
        ask_before_leaving(self, self.UNSAVED_QUESTION, self.save, self.app.pop_screen)
