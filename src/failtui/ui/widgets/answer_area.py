"""The answer box: a TextArea that keeps terminal control characters out of what it shows."""

from __future__ import annotations

from textual import events

from failtui.textclean import clean_text
from failtui.ui.widgets.wrapped_text_area import WrappedTextArea


class AnswerArea(WrappedTextArea):
    """The answer TextArea (with the wrapped-row cache): pasted and loaded text is cleaned.

    TextArea draws its text as it is, so an escape sequence pasted in (or loaded from an old
    draft) would reach the terminal. Keys typed cannot carry one; pastes and loads can.
    """

    async def _on_paste(self, event: events.Paste) -> None:
        event.text = clean_text(event.text)
        await super()._on_paste(event)

    def load_text(self, text: str) -> None:
        """Replace the text, cleaned of control characters other than tab and newline."""
        super().load_text(clean_text(text))
