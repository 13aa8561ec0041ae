"""A list of rows to tick with space: Textual's SelectionList, ticking the row space was on."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets._toggle_button import ToggleButton


class TickList(SelectionList[Any]):
    """A SelectionList whose space ticks the row it was pressed on, and whose rows wrap.

    Textual's list ticks whichever row is highlighted when it handles the "selected" message
    that space posts; with ``space down space`` typed at once, both messages are handled after
    the move, and the second row is ticked twice (so not at all) while the first is never
    ticked. The message carries the row it was posted for: that row is ticked.

    Textual's list cuts a long row with "…", and a label cut short cannot be judged, so a long
    row wraps; its tick box is drawn on its first line only.

    Space is shown in the footer ("Tick"): Textual's own binding hides it.
    """

    DEFAULT_CSS = """
    TickList {
        text-wrap: wrap;
    }
    """

    BINDINGS = [Binding("space", "select", "Tick")]

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        event.prevent_default()  # Textual's own handler, in the base class, would tick again
        self.toggle(self.get_option_at_index(event.option_index))

    def render_line(self, y: int) -> Strip:
        """Line ``y`` with the tick box of the row it shows.

        SelectionList takes line ``y`` for row ``y`` (one line a row): with wrapped rows it
        would draw the wrong row's box, and a box on every line of a row.
        """
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return super().render_line(y)
        line = OptionList.render_line(self, y)
        underlying = next(iter(line)).style or self.rich_style
        meta = Style(meta={"option": index})  # a click on the gutter is a click on the row
        if offset:
            gutter = Segment(" " * self._get_left_gutter_width(), underlying + meta)
            return Strip([gutter, *line])
        # The box as SelectionList draws it.
        component = "selection-list--button"
        if self.get_option_at_index(index).value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        button = self.get_component_rich_style(component)
        side = Style.from_color(button.bgcolor, underlying.bgcolor) + meta
        return Strip(
            [
                Segment(ToggleButton.BUTTON_LEFT, side),
                Segment(ToggleButton.BUTTON_INNER, button + meta),
                Segment(ToggleButton.BUTTON_RIGHT, side),
                Segment(" ", underlying),
                *line,
            ]
        )
