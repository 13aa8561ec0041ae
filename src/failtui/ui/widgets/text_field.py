"""A text box with the answer box's editing keys, for every multi-line field of a form."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import TextArea

from failtui.textclean import clean_text


class TextField(TextArea):
    """A TextArea whose keys work as the drill's answer box does, and whose pasted and loaded
    text is cleaned of terminal control characters.

    Textual's own ``ctrl+a`` goes to the start of the line (as in Emacs): in a form that meant
    typing into the middle of a field the user thought was selected. Here ``ctrl+a`` selects
    all of it, ``ctrl+home`` and ``ctrl+end`` jump to its start and end, and ``ctrl+l`` clears
    it (``ctrl+z`` brings it back). TextArea draws its text as it is, so an escape sequence
    pasted in (or loaded from a file) would reach the terminal; keys typed cannot carry one.
    """

    BINDINGS = [
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("ctrl+home", "text_start", "Start of text", show=False),
        Binding("ctrl+end", "text_end", "End of text", show=False),
        Binding("ctrl+l", "clear_text", "Clear", show=False),
    ]

    def action_text_start(self) -> None:
        """Move the cursor to the start of the text."""
        self.move_cursor((0, 0))

    def action_text_end(self) -> None:
        """Move the cursor to the end of the text."""
        self.move_cursor(self.document.end)

    def action_clear_text(self) -> None:
        """Delete the whole text as one edit, so ``ctrl+z`` restores it."""
        if self.text and not self.read_only:
            self.delete((0, 0), self.document.end)

    async def _on_paste(self, event: events.Paste) -> None:
        """Insert the cleaned paste once.

        Textual calls ``_on_paste`` of every class in the MRO, so this handler inserts the text
        itself and stops the event before ``TextArea._on_paste`` inserts it a second time.
        """
        event.prevent_default()
        if self.read_only:
            return
        if result := self._replace_via_keyboard(clean_text(event.text), *self.selection):
            self.move_cursor(result.end_location)
            self.focus()

    def load_text(self, text: str) -> None:
        """Replace the text, cleaned of control characters other than tab and newline."""
        super().load_text(clean_text(text))
