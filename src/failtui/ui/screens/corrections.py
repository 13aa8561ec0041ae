"""Correct the grade: mark key points covered or missed, raise or dismiss red flags."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from failtui.models import KEY_POINT, RED_FLAG, Card, Grade

#: (kind, id) -> covered (key point) or raised (red flag).
Marks = dict[tuple[str, str], bool]


class CorrectionsScreen(ModalScreen[Marks | None]):
    """Every key point and red flag of the card, ticked as the grade has them.

    ``space`` ticks or unticks the highlighted one, ``enter`` applies, ``escape`` cancels.
    Dismisses with the user's marks (every item whose tick differs from the grader's), or None.
    """

    BINDINGS = [
        Binding("enter", "apply", "Apply", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, card: Card, model_grade: Grade, grade: Grade):
        """``model_grade`` is the grader's; ``grade`` the grade as corrected so far."""
        super().__init__()
        self.card = card
        self.model_grade = model_grade
        self.grade = grade

    def _selections(self) -> list[Selection]:
        covered = {kp.id: kp.covered for kp in self.grade.key_points}
        model_covered = {kp.id: kp.covered for kp in self.model_grade.key_points}
        raised = {rf.id for rf in self.grade.red_flags}
        model_raised = {rf.id for rf in self.model_grade.red_flags}
        selections = []
        for kp in self.grade.key_points:
            prompt = Text.assemble(("key point  ", "dim"), kp.label)
            if covered[kp.id] != model_covered.get(kp.id):
                prompt.append("  (yours)", style="italic")
            selections.append(Selection(prompt, (KEY_POINT, kp.id), covered[kp.id]))
        for rf in self.card.red_flags:
            prompt = Text.assemble(("red flag   ", "dim"), rf.label)
            if (rf.id in raised) != (rf.id in model_raised):
                prompt.append("  (yours)", style="italic")
            selections.append(Selection(prompt, (RED_FLAG, rf.id), rf.id in raised))
        return selections

    def compose(self) -> ComposeResult:
        with Vertical(id="corrections"):
            yield Static(
                Text.assemble(
                    ("Correct the grade", "bold"),
                    ("  ticked: key point covered, red flag raised", "dim"),
                )
            )
            yield SelectionList(*self._selections(), id="correction-list")
            yield Static(Text("space ticks · enter applies · escape cancels", style="dim"))

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
