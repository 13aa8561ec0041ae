"""A modal question with a few answers (confirm a deletion, choose how to save over a change)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from failtui.ui.keys import HELP
from failtui.ui.screens.base import FailtuiFooter, FailtuiModal


class ChoiceScreen(FailtuiModal[str | None]):
    """Ask a question; dismisses with the chosen answer's key, or None on escape.

    ``choices`` are (key, label) pairs; the label is shown as plain text, never as markup.
    """

    DEFAULT_CSS = """
    ChoiceScreen {
        align: center middle;
    }
    ChoiceScreen #choice {
        width: 70;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 1 2;
    }
    ChoiceScreen #choice-options {
        height: auto;
        margin: 1 0;
    }
    """

    BINDINGS = [HELP, Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str]]):
        super().__init__()
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="choice"):
            yield Static(Text(self.question), id="choice-question")
            yield OptionList(
                *[Option(Text(label), id=key) for key, label in self.choices], id="choice-options"
            )
            yield Static(Text("enter chooses · escape cancels", style="dim"))
        yield FailtuiFooter()

    def on_mount(self) -> None:
        options = self.query_one("#choice-options", OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
