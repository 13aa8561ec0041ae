"""The answer box: a TextArea that keeps terminal control characters out of what it shows."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from failtui.textclean import clean_text


class AnswerArea(TextArea):
    """A TextArea whose pasted and loaded text is cleaned of control characters.

    TextArea draws its text as it is, so an escape sequence pasted in (or loaded from an old
    draft) would reach the terminal. Keys typed cannot carry one; pastes and loads can.
    """

    async def _on_paste(self, event: events.Paste) -> None:
        event.text = clean_text(event.text)
        await super()._on_paste(event)

    def load_text(self, text: str) -> None:
        """Replace the text, cleaned of control characters other than tab and newline."""
        super().load_text(clean_text(text))
