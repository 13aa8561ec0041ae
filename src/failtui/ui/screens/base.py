"""What every failtui screen and dialog shares: a footer that shows Help first and fits 80
columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer

from failtui.ui.keys import help_first

if TYPE_CHECKING:
    from textual import getters
    from textual.binding import ActiveBinding

    from failtui.ui.app import FailtuiApp

#: Below this width the footer leaves out the command palette hint (ctrl+p still works and the
#: help lists it), so each screen's own keys fit.
PALETTE_HINT_WIDTH = 100


class FailtuiFooter(Footer):
    """Textual's footer, compact, with the palette hint only where there is room for it."""

    # A group of keys under one label (``pgup pgdn Scroll``) spaced as single keys are:
    # Textual's compact footer puts no space after the label, running it into the next key.
    DEFAULT_CSS = """
    FailtuiFooter.-compact FooterKey.-grouped { margin: 0 1 0 0; }
    FailtuiFooter.-compact FooterLabel { margin: 0 1 0 0; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def on_mount(self) -> None:
        self.show_command_palette = self.app.size.width >= PALETTE_HINT_WIDTH

    def on_resize(self, event: events.Resize) -> None:
        self.show_command_palette = self.app.size.width >= PALETTE_HINT_WIDTH


class FailtuiScreen(Screen[Any]):
    """A screen whose footer lists Help first."""

    if TYPE_CHECKING:
        # The app every failtui screen runs in, with its services (store, catalog, clock)
        # typed; at run time this is Textual's own ``app`` property.
        app = getters.app(FailtuiApp)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, Help first (the footer shows them in this order)."""
        return help_first(super().active_bindings)


_Result = TypeVar("_Result")


class FailtuiModal(ModalScreen[_Result]):
    """A dialog over another screen, with a footer of its own that lists Help first (the keys
    of the screen behind do nothing while it is open)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, Help first (the footer shows them in this order)."""
        return help_first(super().active_bindings)
