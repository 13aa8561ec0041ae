"""Text boxes with the answer box's editing keys: :class:`TextField` for every multi-line field
of a form, :class:`LineField` for every one-line field."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input, TextArea

from failtui.textclean import clean_text

#: The answer box's editing keys, which every text field of a form takes (the help says so):
#: each field class gives the actions for its own widget.
FIELD_KEYS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("ctrl+a", "select_all", "Select all", show=False),
    Binding("ctrl+home", "text_start", "Start of text", show=False),
    Binding("ctrl+end", "text_end", "End of text", show=False),
    Binding("ctrl+l", "clear_text", "Clear", show=False),
]


class TextField(TextArea):
    """A TextArea whose keys work as the drill's answer box does, and whose pasted and loaded
    text is cleaned of terminal control characters.

    Textual's own ``ctrl+a`` goes to the start of the line (as in Emacs): in a form that meant
    typing into the middle of a field the user thought was selected. Here ``ctrl+a`` selects
    all of it, ``ctrl+home`` and ``ctrl+end`` jump to its start and end, and ``ctrl+l`` clears
    it (``ctrl+z`` brings it back). TextArea draws its text as it is, so an escape sequence
    pasted in (or loaded from a file) would reach the terminal; keys typed cannot carry one.
    """

    BINDINGS = FIELD_KEYS

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

    def on_resize(self) -> None:
        """The box changed size: draw every row again, from the text wrapped at the new width.

        Textual's ``TextArea`` (8.2) draws the rows at the new size before it wraps the text
        again, and does not draw them once more after: words stayed hidden until a key was
        pressed. (``TextArea._on_resize``, which wraps, still runs: Textual calls both.)
        """
        self.refresh()


class LineField(Input):
    """A one-line Input with the keys of :class:`TextField` (:data:`FIELD_KEYS`).

    Input's own ``ctrl+a`` goes to the start (as in Emacs), so a corrected date was typed in
    front of the wrong one. Input keeps no undo, so ``ctrl+z`` here brings back only what
    ``ctrl+l`` cleared, while the field is still empty. Enter still submits, as in an Input.
    Focus leaves the cursor at the end rather than selecting all, as a :class:`TextField`
    does: a key typed into a field being edited added to its text instead of replacing it.
    """

    BINDINGS = [*FIELD_KEYS, Binding("ctrl+z", "restore_cleared", "Undo clear", show=False)]

    _cleared: str | None = None

    def __init__(self, *args, select_on_focus: bool = False, **kwargs) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)

    def action_text_start(self) -> None:
        """Move the cursor to the start of the text."""
        self.action_home()

    def action_text_end(self) -> None:
        """Move the cursor to the end of the text."""
        self.action_end()

    def action_clear_text(self) -> None:
        """Empty the field, keeping its text for ``ctrl+z``."""
        if self.value:
            self._cleared = self.value
            self.value = ""

    def action_restore_cleared(self) -> None:
        """Bring back the text ``ctrl+l`` cleared, unless something was typed since."""
        if self._cleared is not None and not self.value:
            self.value = self._cleared
            self.cursor_position = len(self.value)
        self._cleared = None
