"""A TextArea that redraws only the screen rows a keystroke changed in a long wrapped paragraph.

Textual's ``TextArea`` caches each rendered row, but with soft wrap the cache key holds the
whole selection, so every cursor move (every keystroke) redraws every visible row; and each row
of a wrapped paragraph styles and divides the whole paragraph again to cut out its piece. An
answer typed as one 600-word paragraph fills the box with rows of that one paragraph, so a key
costs tens of milliseconds. Here a row is cached by what it shows instead: its own slice of the
text, whether the cursor (or the cursor line's style) is on it, and the settings that style it.
Rows before the edit keep their slice, so typing redraws the row being typed in and the rows
after it.

Only the plain case takes this path (soft wrap, no selection, no syntax highlighting, no line
numbers, no suggestion, no tabs in the line); anything else is drawn by ``TextArea`` itself.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.cache import LRUCache
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult


class WrappedTextArea(TextArea):
    """A soft-wrapping ``TextArea`` whose row cache survives typing (see the module docstring).

    ``after_edit``, when set, is called right after every edit, before the edit is drawn: what
    it updates is drawn in the same frame. (``TextArea.Changed`` arrives after that frame.)
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # TextArea empties its own row cache on every edit; this one is keyed by content.
        self._row_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self.after_edit: Callable[[], None] | None = None

    def edit(self, edit: Edit) -> EditResult:
        """Apply an edit (typing, deleting, pasting all come here), then call ``after_edit``."""
        result = super().edit(edit)
        if self.after_edit is not None:
            self.after_edit()
        return result

    def notify_style_update(self) -> None:
        """Styles changed (focus, theme, CSS): every row is drawn again."""
        self._row_cache.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        """Render one row, from the cache when the row shows what it showed before."""
        key = self._row_key(y)
        if key is None:
            return super().render_line(y)
        cached = self._row_cache.get(key)
        if cached is None:
            cached = self._render_line(y)
            self._row_cache[key] = cached
        return cached

    def _row_key(self, y: int) -> tuple | None:
        """What row ``y`` depends on, or None when this row is left to ``TextArea``."""
        selection = self.selection
        if (
            not self.soft_wrap
            or selection.start != selection.end
            or self.show_line_numbers
            or self._highlights
            or self.suggestion
            or (not self.text and self.placeholder)
        ):
            return None
        scroll_x, scroll_y = self.scroll_offset
        absolute_y = scroll_y + y
        wrapped = self.wrapped_document
        if absolute_y >= wrapped.height:
            return None
        try:
            line_index, section = wrapped._offset_to_line_info[absolute_y]
        except IndexError:
            return None
        line = self.document.get_line(line_index)
        if "\t" in line:
            return None
        offsets = wrapped.get_offsets(line_index)
        bounds = [0, *offsets, len(line)]
        start, end = bounds[section], bounds[section + 1]
        last = section == len(bounds) - 2  # the row that holds the space kept for the cursor
        cursor_row, cursor_column = selection.end
        on_cursor_line = cursor_row == line_index
        in_row = on_cursor_line and (
            start <= cursor_column < end or (last and cursor_column >= end)
        )
        cursor = (cursor_column - start, self._draw_cursor) if in_row else None
        return (
            "wrapped-row",
            self.size,
            scroll_x,
            absolute_y,
            line[start:end],
            last,
            on_cursor_line,
            cursor,
            self.theme,
            self._matching_bracket_location,
            self.match_cursor_bracket,
            self.read_only,
            self.show_cursor,
            self.highlight_cursor_line,
        )
