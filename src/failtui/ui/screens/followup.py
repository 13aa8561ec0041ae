"""The interviewer's follow-up: answer the question asked about a key point the answer missed."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Static, TextArea

from failtui.followups import key_point_label
from failtui.models import Card, FollowUp, FollowUpAnswer
from failtui.session import AnswerTooLong, DrillSession
from failtui.textclean import is_empty_answer
from failtui.ui.draft_keeper import DraftKeeper
from failtui.ui.keys import HELP_F1, QUESTION_MARK_HIDDEN, after_typed_keys
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.widgets.answer_area import AnswerArea


@dataclass(frozen=True)
class FollowUpResult:
    """What the follow-up screen gives back: the text in the box, and the graded answer (None
    when the user went back without submitting)."""

    text: str
    answer: FollowUpAnswer | None


class FollowUpScreen(FailtuiScreen):
    """The follow-up question and a box for the answer; ``ctrl+s`` grades it against the one
    key point it probes, ``escape`` goes back keeping the text.

    What is typed is kept as the card's follow-up draft, as the drill keeps the answer's, so a
    quit or a crash loses none of it; it comes back when the follow-up is opened again.
    """

    DEFAULT_CSS = """
    FollowUpScreen #followup {
        height: 1fr;
        padding: 0 1;
    }
    FollowUpScreen #followup-meta, FollowUpScreen #followup-prompt {
        height: auto;
        margin: 1 0 0 0;
    }
    FollowUpScreen #followup-answer {
        height: 1fr;
        min-height: 3;
        margin-top: 1;
    }
    """

    HELP_SECTION = "Follow-up"
    BINDINGS = [
        HELP_F1,
        QUESTION_MARK_HIDDEN,
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        session: DrillSession,
        card: Card,
        followup: FollowUp,
        text: str = "",
        told: str = "",
    ):
        super().__init__()
        self.session = session
        self.card = card
        self.followup = followup
        self.text = text
        #: The answer the follow-up follows: its answer is graded as said after it.
        self.told = told

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="followup"):
            label = key_point_label(self.card, self.followup.key_point)
            yield Static(
                Text.assemble(
                    ("The interviewer asks", "bold"),
                    (f"  ·  about: {label}", "dim"),
                ),
                id="followup-meta",
            )
            yield Static(Text(self.followup.prompt, style="bold"), id="followup-prompt")
            yield AnswerArea(
                id="followup-answer",
                soft_wrap=True,
                tab_behavior="focus",
                placeholder="Answer in a sentence or two. ctrl+s submits; escape goes back.",
            )
        yield FailtuiFooter()

    def on_mount(self) -> None:
        # Kept so the draft can still be read while the screen is being unmounted.
        self.area = area = self.query_one("#followup-answer", AnswerArea)
        self.drafts = DraftKeeper(
            self,
            "save your follow-up draft",
            lambda: area.text,
            lambda text: self.session.save_followup_draft(self.card, text),
        )
        area.load_text(self.text)
        area.move_cursor(area.document.end)
        area.focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.drafts.changed()

    def on_screen_suspend(self) -> None:
        self.drafts.save()

    def on_unmount(self) -> None:
        self.drafts.save()

    @after_typed_keys
    def action_submit(self) -> None:
        self.drafts.save()
        text = self.area.text
        if is_empty_answer(text):
            self.notify("Type an answer first (escape goes back).", severity="warning")
            return
        try:
            answer = self.session.answer_followup(self.card, self.followup, text, self.told)
        except AnswerTooLong as exc:
            self.notify(str(exc).capitalize(), severity="error", timeout=10, markup=False)
            return
        self.dismiss(FollowUpResult(text, answer))

    def action_back(self) -> None:
        self.drafts.save()
        self.dismiss(FollowUpResult(self.area.text, None))
