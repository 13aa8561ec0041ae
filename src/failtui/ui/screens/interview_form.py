"""Add an interview: its date, a title and the decks to be ready in."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from failtui.interview import InterviewError, add
from failtui.textclean import one_line
from failtui.ui.keys import FORM_TAB_BINDINGS, HELP_F1, after_typed_keys
from failtui.ui.screens.base import FailtuiFooter, FailtuiModal
from failtui.ui.widgets.field_errors import FieldErrors
from failtui.ui.widgets.text_field import LineField
from failtui.ui.widgets.tick_list import TickList
from failtui.words import first_upper

if TYPE_CHECKING:
    from textual import getters

    from failtui.ui.app import FailtuiApp


class InterviewFormScreen(FailtuiModal[int | None]):
    """Date, title and decks (none ticked: every deck); ``ctrl+s`` adds, ``escape`` cancels.

    Dismisses with the new interview's id, or None.
    """

    DEFAULT_CSS = """
    InterviewFormScreen {
        align: center middle;
    }
    InterviewFormScreen #interview-form {
        width: 70;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 1 2;
    }
    InterviewFormScreen .interview-row {
        height: 1;
        margin-bottom: 1;
    }
    InterviewFormScreen .interview-label {
        width: 7;
    }
    /* A compact input has no border: a background shows where to type. */
    InterviewFormScreen .interview-row Input {
        width: 1fr;
        background: $boost;
    }
    InterviewFormScreen #interview-decks {
        height: auto;
        max-height: 8;
    }
    InterviewFormScreen #interview-error {
        height: auto;
    }
    """

    HELP_SECTION = "Interview plan"
    BINDINGS = [
        HELP_F1,
        *FORM_TAB_BINDINGS,
        Binding("ctrl+s", "save", "Add", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    if TYPE_CHECKING:
        app = getters.app(FailtuiApp)

    def compose(self) -> ComposeResult:
        with Vertical(id="interview-form"):
            yield Static(Text("New interview", style="bold"))
            with Horizontal(classes="interview-row"):
                yield Static(Text("Date"), classes="interview-label")
                yield LineField(placeholder="YYYY-MM-DD", id="interview-day", compact=True)
            with Horizontal(classes="interview-row"):
                yield Static(Text("Title"), classes="interview-label")
                yield LineField(placeholder="a company, a role", id="interview-title", compact=True)
            yield Static(Text("Decks to be ready in (none ticked: every deck)", style="dim"))
            yield TickList(
                *[
                    Selection(Text(one_line(d.title, 60)), d.id)
                    for d in self.app.catalog.summaries()
                ],
                id="interview-decks",
            )
            yield FieldErrors(id="interview-error")
            yield Static(
                Text("tab next field · space ticks · ctrl+s adds · escape cancels", style="dim")
            )
        yield FailtuiFooter()

    def on_mount(self) -> None:
        self.query_one("#interview-day", Input).focus()

    @after_typed_keys
    def action_save(self) -> None:
        session = self.app.new_session()
        with self.app.storage_errors("add the interview"):
            try:
                result = add(
                    self.app.store,
                    self.query_one("#interview-day", Input).value,
                    self.query_one("#interview-title", Input).value,
                    tuple(self.query_one("#interview-decks", SelectionList).selected),
                    self.app.catalog.card_ids_by_deck(),
                    session.now(),
                    session.settings.rollover_hour,
                    session.tz,
                )
            except InterviewError as exc:
                field = self.query_one(f"#interview-{exc.field or 'day'}")
                self.query_one("#interview-error", FieldErrors).show_errors(
                    [(str(field.id), self._value(field), str(exc))]
                )
                field.focus()
                return
            message = f"Interview on {result.interview.day} added."
            for more in (result.moved_text, result.empty_text):
                if more:
                    message += f" {first_upper(more).rstrip('.')}."
            long = result.moved or result.empty_decks
            self.notify(message, markup=False, timeout=10 if long else 5)
            self.dismiss(result.interview.id)

    @staticmethod
    def _value(field: Widget) -> object:
        """What a field of the form holds: an input's text, or the decks ticked."""
        return (
            tuple(field.selected) if isinstance(field, SelectionList) else cast(Input, field).value
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#interview-error", FieldErrors).field_changed(event.input.id, event.value)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        field = event.selection_list
        self.query_one("#interview-error", FieldErrors).field_changed(field.id, self._value(field))

    def action_cancel(self) -> None:
        self.dismiss(None)
