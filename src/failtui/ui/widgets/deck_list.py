"""Home's deck list: one highlighted line a deck, drawn directly with the line API.

It looks and behaves as the compact ``OptionList`` it replaces (the same keys, highlight, hover,
click and scrolling, and the same wrapping of a line too wide for the terminal), but a line that
fits is made from its text's segments, once per style, instead of going through Textual's text
layout, which cost about a third of a millisecond a line on the way to home's first frame. Its
segments carry no mouse metadata (OptionList's marks each cell with its row and offset): the
row under the mouse is worked out from the line, and no text is selected by dragging, as in
OptionList.
"""

from __future__ import annotations

from typing import ClassVar, cast

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, Visual

ROW = "deck-list--row"
HIGHLIGHTED = "deck-list--row-highlighted"
HOVER = "deck-list--row-hover"


class DeckList(ScrollView, can_focus=True):
    """A list of one-line rows with a highlighted one; wider rows wrap as OptionList's do."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("home", "first", "First", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("up", "cursor_up", "Up", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {ROW, HIGHLIGHTED, HOVER}
    ALLOW_SELECT = False  # as OptionList: a drag selects no text
    # OptionList's look, compact.
    DEFAULT_CSS = """
    DeckList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        background: $surface;
        & > .deck-list--row-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .deck-list--row-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .deck-list--row-hover {
            background: $block-hover-background;
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None)
    """The index of the highlighted row, or None when there is no row."""
    _hover: reactive[int | None] = reactive(None)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Content] = []
        #: (row, line of the row) of each line, for the width they were laid out at.
        self._lines: list[tuple[int, int]] = []
        self._first_line: list[int] = []
        self._laid_out_width = -1
        self._strips: dict[tuple[int, Style, int], list[Strip]] = {}

    @property
    def rows(self) -> list[Content]:
        """The rows, as shown."""
        return list(self._rows)

    def set_rows(self, rows: list[Content]) -> None:
        """Show these rows, keeping the highlighted index (within the new rows)."""
        highlighted = self.highlighted
        self._rows = list(rows)
        self._forget_layout()
        self.highlighted = None if not rows else min(highlighted or 0, len(rows) - 1)
        self.refresh(layout=True)

    # -- layout ----------------------------------------------------------------------------------
    def _padding(self) -> tuple[int, int]:
        padding = self.get_component_styles(ROW).padding
        return padding.left, padding.right

    def _row_height(self, row: Content, width: int) -> int:
        left, right = self._padding()
        if row.cell_length + left + right <= width:
            return 1
        return max(1, row.get_height(cast(RulesMap, self.styles), width - left - right))

    def _forget_layout(self) -> None:
        self._laid_out_width = -1
        self._strips.clear()

    def _lay_out(self) -> None:
        """Work out which row each line shows, at the current width."""
        width = self.scrollable_content_region.width
        if width == self._laid_out_width:
            return
        self._laid_out_width = width
        self._strips.clear()
        self._lines = []
        self._first_line = []
        for index, row in enumerate(self._rows):
            self._first_line.append(len(self._lines))
            height = self._row_height(row, width) if width > 0 else 1
            self._lines.extend((index, offset) for offset in range(height))
        self.virtual_size = Size(width, len(self._lines))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(self._row_height(row, width) for row in self._rows)

    def _on_resize(self, event: events.Resize) -> None:
        self._forget_layout()

    def notify_style_update(self) -> None:
        self._strips.clear()
        self.refresh()
        super().notify_style_update()

    # -- drawing ---------------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        self._lay_out()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        if line >= len(self._lines):
            return Strip.blank(width, self.get_visual_style(ROW).rich_style)
        index, offset = self._lines[line]
        if index == self.highlighted:
            style = self.get_visual_style(ROW, HIGHLIGHTED)
        elif index == self._hover:
            style = self.get_visual_style(ROW, HOVER)
        else:
            style = self.get_visual_style(ROW)
        key = (index, style, width)
        strips = self._strips.get(key)
        if strips is None:
            strips = self._strips[key] = self._render_row(index, style, width)
        return strips[offset] if offset < len(strips) else Strip.blank(width, style.rich_style)

    def _render_row(self, index: int, style: Style, width: int) -> list[Strip]:
        """The row's lines in this style: its segments when it fits, else wrapped by Textual."""
        row = self._rows[index]
        left, right = self._padding()
        rich_style = style.rich_style
        if row.cell_length + left + right <= width:
            segments = [
                Segment(text, (style + text_style).rich_style)
                for text, text_style in row.render(style, end="")
            ]
            strips = [
                Strip(segments, row.cell_length).crop_pad(
                    width - left - right, left, right, rich_style
                )
            ]
        else:
            visual: Visual = Padding(row, self.get_component_styles(ROW).padding)
            strips = Visual.to_strips(self, visual, width, None, style)
        return [strip.extend_cell_length(width, rich_style) for strip in strips]

    # -- mouse -----------------------------------------------------------------------------------
    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        line = self.scroll_offset.y + offset.y
        return self._lines[line][0] if 0 <= line < len(self._lines) else None

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover = self._row_at(event)

    def _on_leave(self, event: events.Leave) -> None:
        self._hover = None

    async def _on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is not None:
            self.highlighted = row

    # -- keys ------------------------------------------------------------------------------------
    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._rows:
            return None
        return max(0, min(highlighted, len(self._rows) - 1))

    def watch_highlighted(self, highlighted: int | None) -> None:
        self.scroll_to_highlight()

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def scroll_to_highlight(self) -> None:
        """Scroll so that the highlighted row is in view."""
        if self.highlighted is None or not self.is_mounted:
            return
        self._lay_out()
        first = self._first_line[self.highlighted]
        height = (
            self._first_line[self.highlighted + 1]
            if self.highlighted + 1 < len(self._first_line)
            else len(self._lines)
        ) - first
        self.scroll_to_region(
            Region(0, first, self.scrollable_content_region.width, height),
            force=True,
            animate=False,
            immediate=True,
        )

    def action_cursor_up(self) -> None:
        """Highlight the row above, or the last from the first."""
        if self._rows:
            current = self.highlighted
            self.highlighted = len(self._rows) - 1 if not current else current - 1

    def action_cursor_down(self) -> None:
        """Highlight the row below, or the first from the last."""
        if self._rows:
            current = self.highlighted
            self.highlighted = (
                0 if current is None or current + 1 >= len(self._rows) else current + 1
            )

    def action_first(self) -> None:
        """Highlight the first row."""
        self.highlighted = 0

    def action_last(self) -> None:
        """Highlight the last row."""
        self.highlighted = len(self._rows) - 1

    def _move_page(self, direction: int) -> None:
        self._lay_out()
        if not self._lines:
            return
        line = self._first_line[self.highlighted or 0] + direction * (
            self.scrollable_content_region.height
        )
        self.highlighted = self._lines[max(0, min(line, len(self._lines) - 1))][0]

    def action_page_up(self) -> None:
        """Highlight the row a page up."""
        if self.highlighted is None:
            self.action_first()
        else:
            self._move_page(-1)

    def action_page_down(self) -> None:
        """Highlight the row a page down."""
        if self.highlighted is None:
            self.action_last()
        else:
            self._move_page(1)
