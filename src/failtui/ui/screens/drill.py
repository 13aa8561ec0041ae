"""The drill: a card's prompt, the answer box, and the live panel that grades as you type."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Static, TextArea

from failtui.models import Card, Grade, is_failure_question
from failtui.session import AnswerTooLong, DrillSession
from failtui.ui.draft_keeper import DraftKeeper
from failtui.ui.keys import HELP_F1, QUESTION_MARK_HIDDEN, after_typed_keys
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.widgets.answer_area import AnswerArea
from failtui.ui.widgets.card_header import card_meta, card_prompt
from failtui.ui.widgets.live_panel import LivePanel

if TYPE_CHECKING:
    from failtui.ui.screens.feedback import FeedbackResult


class DrillScreen(FailtuiScreen):
    """Answer one card after another; ``ctrl+s`` shows the feedback."""

    DEFAULT_CSS = """
    DrillScreen #drill {
        height: 1fr;
    }
    DrillScreen #answer-side {
        width: 2fr;
        padding: 0 1;
    }
    DrillScreen #answer {
        height: 1fr;
        min-height: 3;
    }
    DrillScreen #live {
        width: 1fr;
        min-width: 24;
        border-left: tall $primary-background;
        padding: 0 1;
    }
    """

    HELP_SECTION = "Drill"
    BINDINGS = [
        HELP_F1,
        QUESTION_MARK_HIDDEN,
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("ctrl+t", "toggle_exam", "Exam", priority=True),
        Binding("f2", "speak", "Say", priority=True),
        Binding("ctrl+o", "history", "History", priority=True),
        Binding("ctrl+b", "bury", "Bury", priority=True),
        Binding("ctrl+g", "suspend", "Suspend", priority=True),
        Binding("ctrl+r", "undo", "Undo", priority=True),
        Binding("escape", "leave", "Home"),
    ]

    def __init__(
        self,
        session: DrillSession,
        card: Card,
        answer: str | None = None,
        started: datetime | None = None,
    ):
        super().__init__()
        self.session = session
        self.card = card
        self.initial_answer = answer
        self.initial_started = started  # when the answer began, if before this screen
        self.grade: Grade | None = None
        #: Red flags of the live grade dismissed again (the user dismissed them before).
        self._dismissed_again = 0
        self.started: datetime | None = None  # set when the card is shown
        self._grade_pending = False
        self._graded_text: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="drill"):
            with Vertical(id="answer-side"):
                yield Static(id="card-meta")
                yield Static(id="prompt")
                yield AnswerArea(
                    id="answer",
                    soft_wrap=True,
                    tab_behavior="focus",
                    placeholder="Type your answer. ctrl+s submits.",
                )
            with VerticalScroll(id="live"):
                yield LivePanel(id="live-panel")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        if is_failure_question(self.card):
            from failtui.grading import load_in_advance

            # The model loads beside the first card, not on the first key typed.
            self.run_worker(load_in_advance, thread=True, group="grading-model")
        # Kept so the draft can still be read while the screen is being unmounted.
        self.area = self.query_one("#answer", AnswerArea)
        # Graded before the key is drawn, so the key and its feedback share one frame.
        self.area.after_edit = self._regrade_if_live
        self.drafts = DraftKeeper(
            self,
            "save your draft",
            lambda: self.area.text,
            lambda text: self.session.save_draft(self.card, text),
        )
        self.set_interval(1.0, self._tick)
        self.show_card(self.card, self.initial_answer, self.initial_started)
        self._apply_exam_mode()

    # -- showing a card -------------------------------------------------------------------------
    def show_card(
        self, card: Card, answer: str | None = None, started: datetime | None = None
    ) -> None:
        """Show a card with its draft (or the given answer) in the answer box; the elapsed time
        counts from ``started`` (default: now)."""
        self.card = card
        self.started = started or self.app.clock()
        deck = self.app.catalog.deck(card.deck_id)
        done = len(self.session.rated)
        self.query_one("#card-meta", Static).update(
            card_meta(card, deck.title if deck else card.deck_id, f"{done} done")
        )
        self.query_one("#prompt", Static).update(card_prompt(card))
        text = answer if answer is not None else self.session.draft(card)
        area = self.area
        area.load_text(text)
        area.move_cursor(area.document.end)
        area.focus()
        self.drafts.loaded()
        self._regrade()

    def _regrade(self) -> None:
        self._graded_text = self.area.text
        try:
            model_grade = self.session.grade(self.card, self._graded_text)
            remembered, self.grade = self.session.apply_remembered(
                self.card, self._graded_text, model_grade
            )
            self._dismissed_again = len(remembered)
        except AnswerTooLong:
            return  # the panel keeps its last grade; submitting says what the limit is
        self._render_panel()

    def _regrade_if_live(self) -> None:
        if not self.app.exam_mode:
            self._regrade()

    def _regrade_pending(self) -> None:
        self._grade_pending = False
        if self.area.text != self._graded_text:  # not graded yet by the edit itself
            self._regrade()

    def _render_panel(self) -> None:
        if self.grade is not None:
            self.query_one(LivePanel).show(
                self.grade,
                self._elapsed(),
                timed=is_failure_question(self.card),
                dismissed_again=self._dismissed_again,
            )

    def _elapsed(self) -> float:
        # The app's clock, so tests with a fixed clock see a fixed elapsed time.
        return (self.app.clock() - self.started).total_seconds() if self.started else 0.0

    def _tick(self) -> None:
        if not self.app.exam_mode:
            self._render_panel()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id != "answer":
            return
        self.drafts.changed()
        if not self.app.exam_mode and not self._grade_pending:
            # Grading a 600-word answer takes a few milliseconds (benchmarks/run.py), so the
            # panel follows every keystroke; keys already queued are handled first and share
            # one grading.
            self._grade_pending = True
            self.call_later(self._regrade_pending)

    def save_draft(self) -> bool:
        """Store the answer being typed, if it changed since the last save.

        Returns False when it could not be stored (disk full, read-only): the text stays in the
        box and is saved at the next pause in typing; the failure is told once, not each time.
        """
        return self.drafts.save()

    def on_screen_suspend(self) -> None:
        self.save_draft()

    def on_unmount(self) -> None:
        self.save_draft()

    # -- actions --------------------------------------------------------------------------------
    @after_typed_keys
    def action_submit(self) -> None:
        from failtui.ui.screens.feedback import FeedbackScreen

        self.save_draft()
        answer = self.area.text
        try:
            grade = self.session.grade(self.card, answer)
        except AnswerTooLong as exc:
            self.notify(str(exc).capitalize(), severity="error", timeout=10, markup=False)
            return
        elapsed_ms = int(self._elapsed() * 1000)
        self.app.push_screen(
            FeedbackScreen(self.session, self.card, answer, grade, elapsed_ms),
            self._after_feedback,
        )

    def _after_feedback(self, result: FeedbackResult | None) -> None:
        """Feedback ended: rated (go on), undone (show that card again) or edit (stay)."""
        from failtui.ui.screens.feedback import Rated, Undone

        if isinstance(result, Undone):
            self.show_card(result.card, result.answer)
        elif isinstance(result, Rated):
            self.next_card()
        else:
            self.area.focus()

    def next_card(self) -> None:
        """Show the next card, or the summary when the drill is over."""
        from failtui.ui.screens.summary import SummaryScreen

        card = self.session.next_card()
        if card is None:
            self.app.switch_screen(SummaryScreen(self.session))
        else:
            self.show_card(card)

    def action_toggle_exam(self) -> None:
        self.app.exam_mode = not self.app.exam_mode
        self._apply_exam_mode()
        if not self.app.exam_mode:
            self._regrade()
        self.notify(
            "Exam mode on: feedback only after you submit."
            if self.app.exam_mode
            else "Live feedback on."
        )

    def _apply_exam_mode(self) -> None:
        self.query_one("#live").display = not self.app.exam_mode

    def action_speak(self) -> None:
        """Switch to speak mode on this card (the typed draft is kept)."""
        if self.save_draft():
            self.app.open_drill(
                self.session, self.card, speak=True, replace=True, started=self.started
            )

    def action_history(self) -> None:
        from failtui.ui.screens.history import HistoryScreen

        self.save_draft()
        self.app.push_screen(HistoryScreen(self.session, self.card))

    # Actions that take the answer off the screen go ahead only once it is saved.
    def action_bury(self) -> None:
        if not self.save_draft():
            return
        with self.app.storage_errors("bury the card"):
            self.session.bury(self.card)
            self.notify("Buried until tomorrow.")
            self.next_card()

    def action_suspend(self) -> None:
        if not self.save_draft():
            return
        with self.app.storage_errors("suspend the card"):
            self.session.suspend(self.card)
            self.notify("Suspended: it will not come back until you unsuspend it.")
            self.next_card()

    def action_undo(self) -> None:
        hidden = self.session.hidden_last()
        if hidden is not None:  # a bury or suspend came after the last rating: it goes first
            if not self.save_draft():
                return
            card, how = hidden
            with self.app.storage_errors(f"bring back the card ({how})"):
                self.session.unhide_last()
                self.show_card(card, self.session.draft(card))
                self.notify(f"{how.capitalize()} undone: the card is back.")
            return
        if not self.save_draft():
            return
        # With no rating of its own, the newest rating of all (from an earlier drill).
        undone = self.app.undo_rating(self.session)
        if undone is not None and undone[0] is not None:
            self.show_card(undone[0], undone[1])

    def action_leave(self) -> None:
        if self.save_draft():
            self.app.pop_screen()
