"""The answer box: a TextArea that keeps terminal control characters out of what it shows."""

from __future__ import annotations

from textual import events
from textual.binding import Binding

from failtui.textclean import clean_text
from failtui.ui.widgets.wrapped_text_area import WrappedTextArea


class AnswerArea(WrappedTextArea):
    """The answer TextArea (with the wrapped-row cache): pasted and loaded text is cleaned.

    TextArea draws its text as it is, so an escape sequence pasted in (or loaded from an old
    draft) would reach the terminal. Keys typed cannot carry one; pastes and loads can.

    Long answers are replaced whole: ``ctrl+a`` selects all of it, ``ctrl+home`` and
    ``ctrl+end`` jump to its start and end, ``ctrl+l`` clears it (``ctrl+z`` brings it back).
    """

    BINDINGS = [
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("ctrl+home", "answer_start", "Start of answer", show=False),
        Binding("ctrl+end", "answer_end", "End of answer", show=False),
        Binding("ctrl+l", "clear_answer", "Clear answer", show=False),
    ]

    def action_answer_start(self) -> None:
        """Move the cursor to the start of the answer."""
        self.move_cursor((0, 0))

    def action_answer_end(self) -> None:
        """Move the cursor to the end of the answer."""
        self.move_cursor(self.document.end)

    def action_clear_answer(self) -> None:
        """Delete the whole answer as one edit, so ``ctrl+z`` restores it."""
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
