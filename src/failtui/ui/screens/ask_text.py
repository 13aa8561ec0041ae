"""A modal that asks for one or two lines of text (a new deck's id and title, a new title)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from failtui.ui.keys import FORM_TAB_BINDINGS, HELP_F1
from failtui.ui.screens.base import FailtuiFooter, FailtuiModal
from failtui.ui.widgets.text_field import LineField

#: Checks one field's value; returns a one-line problem, or None when it can be used.
Check = Callable[[str], str | None]


class AskTextScreen(FailtuiModal[list[str] | None]):
    """Ask for some fields; enter in the last one submits; dismisses with the values or None."""

    DEFAULT_CSS = """
    AskTextScreen {
        align: center middle;
    }
    AskTextScreen #ask {
        width: 70;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 1 2;
    }
    AskTextScreen #ask-problem {
        height: auto;
    }
    """

    HELP_SECTION = "Decks"
    BINDINGS = [
        HELP_F1,
        Binding("escape", "cancel", "Cancel"),
        *FORM_TAB_BINDINGS,
    ]

    def __init__(
        self,
        title: str,
        fields: list[tuple[str, str]],
        checks: Sequence[Check | None] = (),
    ):
        """``fields`` are (label, initial value) pairs; ``checks`` the check of each field, in
        the same order (None, or none given: anything goes)."""
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.checks = list(checks)

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Static(Text(self.title_text, style="bold"))
            for index, (label, value) in enumerate(self.fields):
                yield Static(Text(label))
                yield LineField(value=value, id=f"ask-{index}")
            yield Static(id="ask-problem")
            enter = "enter saves" if len(self.fields) == 1 else "enter: the next field, then saves"
            yield Static(Text(f"{enter} · escape cancels", style="dim"))
        yield FailtuiFooter()

    def on_mount(self) -> None:
        self.query_one("#ask-0", Input).focus()

    def values(self) -> list[str]:
        """The current values, in field order."""
        return [self.query_one(f"#ask-{i}", Input).value for i in range(len(self.fields))]

    def problem(self, last: int | None = None) -> tuple[int, str] | None:
        """The first field (up to ``last``) whose value has a problem, and the problem."""
        values = self.values()
        for index, check in enumerate(self.checks[: None if last is None else last + 1]):
            problem = check(values[index]) if check is not None else None
            if problem:
                return index, problem
        return None

    def on_input_changed(self, event: Input.Changed) -> None:
        found = self.problem()
        self.query_one("#ask-problem", Static).update(Text(found[1] if found else "", style="red"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: on to the next field, or save from the last; a problem keeps focus on its field.

        A problem in this field or one before it sends the cursor to that field, never on to
        the next one.
        """
        event.stop()
        index = int((event.input.id or "ask-0").split("-")[1])
        found = self.problem(last=index)
        if found:
            self.query_one("#ask-problem", Static).update(Text(found[1], style="red"))
            self.query_one(f"#ask-{found[0]}", Input).focus()
            return
        if index + 1 < len(self.fields):
            self.query_one(f"#ask-{index + 1}", Input).focus()
            return
        self.dismiss(self.values())

    def action_cancel(self) -> None:
        self.dismiss(None)
