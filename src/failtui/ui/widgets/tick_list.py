"""A list of rows to tick with space: Textual's SelectionList, ticking the row space was on."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import OptionList, SelectionList


class TickList(SelectionList[Any]):
    """A SelectionList whose space ticks the row it was pressed on.

    Textual's list ticks whichever row is highlighted when it handles the "selected" message
    that space posts; with ``space down space`` typed at once, both messages are handled after
    the move, and the second row is ticked twice (so not at all) while the first is never
    ticked. The message carries the row it was posted for: that row is ticked.

    Space is shown in the footer ("Tick"): Textual's own binding hides it.
    """

    BINDINGS = [Binding("space", "select", "Tick")]

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        event.prevent_default()  # Textual's own handler, in the base class, would tick again
        self.toggle(self.get_option_at_index(event.option_index))
