"""Correct the grade: mark key points covered or missed, raise or dismiss red flags."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from failtui.models import KEY_POINT, RED_FLAG, Card, Grade
from failtui.ui.keys import HELP
from failtui.ui.screens.base import FailtuiFooter, FailtuiModal
from failtui.ui.widgets.tick_list import TickList

#: (kind, id) -> covered (key point) or raised (red flag).
Marks = dict[tuple[str, str], bool]


class CorrectionsScreen(FailtuiModal[Marks | None]):
    """Every key point and red flag of the card, ticked as the grade has them.

    ``space`` ticks or unticks the highlighted one, ``enter`` applies, ``escape`` cancels.
    Dismisses with the user's marks (every item whose tick differs from the grader's), or None.
    """

    DEFAULT_CSS = """
    CorrectionsScreen {
        align: center middle;
    }
    CorrectionsScreen #corrections {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    CorrectionsScreen #correction-list {
        height: auto;
        max-height: 20;
    }
    """

    HELP_SECTION = "Correct the grade"
    BINDINGS = [
        HELP,
        Binding("enter", "apply", "Apply", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, card: Card, model_grade: Grade, grade: Grade):
        """``model_grade`` is the grader's; ``grade`` the grade as corrected so far."""
        super().__init__()
        self.card = card
        self.model_grade = model_grade
        self.grade = grade
        #: The red flags the grader raised with less confidence, shown as "possible".
        self.possible = {rf.id for rf in grade.red_flags if rf.tentative}

    def _items(self) -> list[tuple[tuple[str, str], str, bool]]:
        """(kind, id), label and the grader's label of every row, key points first."""
        model_covered = {kp.id: kp.covered for kp in self.model_grade.key_points}
        model_raised = {rf.id for rf in self.model_grade.red_flags}
        return [
            ((KEY_POINT, kp.id), kp.label, model_covered.get(kp.id, kp.covered))
            for kp in self.grade.key_points
        ] + [((RED_FLAG, rf.id), rf.label, rf.id in model_raised) for rf in self.card.red_flags]

    def _prompt(self, item: tuple[str, str], label: str, model: bool, ticked: bool) -> Text:
        """A row: kind, state in words (the tick box alone is a colour), label, "(yours)"."""
        key_point = item[0] == KEY_POINT
        if key_point:
            state = "covered" if ticked else "missed"
        elif not ticked:
            state = "not raised"
        else:
            state = "possible" if item[1] in self.possible else "raised"
        prompt = Text.assemble(
            ("key point " if key_point else "red flag  ", "dim"),
            (f"{state:<11}", "bold" if ticked else "dim"),
            label,
        )
        if ticked != model:
            prompt.append(" (yours)", style="italic")
        return prompt

    def _selections(self) -> list[Selection]:
        ticked = {(KEY_POINT, kp.id) for kp in self.grade.key_points if kp.covered}
        ticked |= {(RED_FLAG, rf.id) for rf in self.grade.red_flags}
        return [
            Selection(self._prompt(item, label, model, item in ticked), item, item in ticked)
            for item, label, model in self._items()
        ]

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled) -> None:
        listing = event.selection_list
        item, label, model = self._items()[event.selection_index]
        ticked = item in listing.selected
        listing.replace_option_prompt_at_index(
            event.selection_index, self._prompt(item, label, model, ticked)
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="corrections"):
            yield Static(
                Text.assemble(
                    ("Correct the grade", "bold"),
                    ("  ticked: key point covered, red flag raised", "dim"),
                )
            )
            yield TickList(*self._selections(), id="correction-list")
            yield Static(Text("space ticks · enter applies · escape cancels", style="dim"))
        yield FailtuiFooter()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_apply(self) -> None:
        ticked = set(self.query_one(SelectionList).selected)
        model = {(KEY_POINT, kp.id): kp.covered for kp in self.model_grade.key_points}
        model |= {(RED_FLAG, rf.id): False for rf in self.card.red_flags}
        model |= {(RED_FLAG, rf.id): True for rf in self.model_grade.red_flags}
        marks = {item: item in ticked for item, label in model.items() if (item in ticked) != label}
        self.dismiss(marks)

    def action_cancel(self) -> None:
        self.dismiss(None)
