"""Feedback on a submitted answer: what was covered and missed, red flags, and the rating."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from failtui.corrections import dismissed_flags, still_remembered
from failtui.followups import given_in_followup
from failtui.models import Card, FollowUpAnswer, Grade, Rating, is_failure_question
from failtui.report import speaking_advice
from failtui.scheduling import format_interval
from failtui.session import AnswerTooLong, DrillSession
from failtui.textclean import is_empty_answer
from failtui.ui.keys import HELP
from failtui.ui.marks import graded_key_point
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.widgets.card_header import card_meta, card_prompt

if TYPE_CHECKING:
    from failtui.ui.screens.followup import FollowUpResult

RATING_KEYS = tuple((r.key, r.label) for r in Rating)


@dataclass(frozen=True)
class Rated:
    """The feedback ended with a rating: the drill goes on to the next card."""


@dataclass(frozen=True)
class Undone:
    """The last rating was undone: the drill shows ``card`` again with its ``answer``."""

    card: Card
    answer: str


@dataclass(frozen=True)
class BackToEdit:
    """The user went back to edit the answer (the drill stays on the card)."""


#: What the feedback screen gives back when it closes.
FeedbackResult = Rated | Undone | BackToEdit


def highlighted_answer(answer: str, grade: Grade) -> Text:
    """The answer as typed, with the sentences that showed a key point (or a red flag) marked."""
    if is_empty_answer(answer):
        return Text("(no answer: here is the card's guidance)", style="dim italic")
    text = Text(answer)
    for kp in grade.key_points:
        if kp.covered and kp.evidence:
            start = answer.find(kp.evidence)
            if start >= 0:
                text.stylize("green underline", start, start + len(kp.evidence))
    for rf in grade.red_flags:
        start = answer.find(rf.evidence)
        if start >= 0:
            text.stylize("bold red", start, start + len(rf.evidence))
    return text


def feedback_text(
    card: Card,
    grade: Grade,
    model_grade: Grade | None = None,
    remembered: frozenset[str] = frozenset(),
    followup: FollowUpAnswer | None = None,
) -> Text:
    """Key points covered (with evidence) and missed (with a hint), red flags with advice.

    With ``model_grade`` (the grader's, when ``grade`` is the user's correction), what the user
    changed is marked "yours", and the red flags the user dismissed are listed; those in
    ``remembered`` were dismissed again because the user dismissed them on the same sentence
    before, and say so. A key point missed but given in the answer to the ``followup`` says so.
    """
    model = model_grade or grade
    model_covered = {kp.id: kp.covered for kp in model.key_points}
    model_flags = {rf.id: rf for rf in model.red_flags}
    text = Text()
    text.append(f"Key points: {grade.coverage:.0%} covered\n", style="bold")
    for kp in grade.key_points:
        yours = model_covered.get(kp.id, kp.covered) != kp.covered
        in_followup = given_in_followup(kp.id, followup)
        text.append_text(graded_key_point(kp.label, kp.covered, in_followup=in_followup))
        if kp.covered:
            if kp.number:  # the number that measures the damage
                text.append(f": {kp.number}", style="bold green")
            if yours:
                text.append(" (yours)", style="bold")
            if kp.evidence:
                text.append(f'  "{kp.evidence}"', style="dim")
            if yours and any(k.id == kp.id for k in card.key_points):
                # The sentence kept as the card's personal cue, or why none was.
                kept = "counts next time" if kp.evidence else "no sentence shows it: no cue kept"
                text.append(f"  {kept}", style="italic")
            text.append("\n")
        else:
            if yours:
                text.append(" (yours)", style="bold")
            text.append(f"  {kp.hint or 'missed'}\n", style="italic")
    if grade.red_flags:
        text.append("\nRed flags\n", style="bold red")
        for rf in grade.red_flags:
            text.append(" ! ", style="bold red")
            text.append(rf.shown_label, style="red")
            if rf.id in model_flags:
                text.append(f'  "{rf.evidence}"\n', style="dim")
            else:
                text.append(" (yours)\n", style="bold")
            if rf.advice:
                text.append(f"   → {rf.advice}\n")
    now, again = dismissed_flags(model, grade, remembered)
    if now:
        text.append("\nDismissed by you: ", style="bold")
        text.append(", ".join(rf.label for rf in now) + "\n", style="dim")
    if again:
        text.append("\nDismissed again", style="bold")
        text.append(" (you dismissed it on this sentence before; c raises it)\n", style="dim")
        for rf in again:
            text.append(f" - {rf.label}", style="dim")
            text.append(f'  "{rf.evidence}"\n', style="dim")
    if is_failure_question(card):
        # The 2-3 minute advice is about the failure answer, not tips, pitfalls or other questions.
        text.append("\n")
        text.append(speaking_advice(grade), style="italic")
        text.append("\n")
    text.append("\nGuidance\n", style="bold")
    text.append(card.answer)
    return text


#: From this width the feedback's footer has room to list ``f`` (the follow-up).
FOLLOWUP_IN_FOOTER_WIDTH = 100


class FeedbackScreen(FailtuiScreen):
    """Shows the grade; ``1``-``4`` rate, ``enter`` takes the suggestion, ``c`` corrects the
    grade, ``u`` undoes."""

    DEFAULT_CSS = """
    FeedbackScreen #feedback {
        height: 1fr;
        padding: 0 2;
    }
    FeedbackScreen #your-answer {
        border: round $primary-background;
        padding: 0 1;
        margin: 1 0;
        height: auto;
    }
    FeedbackScreen #grade {
        height: auto;
    }
    FeedbackScreen #ratings {
        height: auto;
        padding: 0 2;
        background: $boost;
    }
    FeedbackScreen #followup-offer {
        height: auto;
        margin-bottom: 1;
    }
    """

    HELP_SECTION = "Feedback"
    BINDINGS = [
        HELP,
        Binding("1", "rate('again')", "Again"),
        Binding("2", "rate('hard')", "Hard"),
        Binding("3", "rate('good')", "Good"),
        Binding("4", "rate('easy')", "Easy"),
        # Short labels, so that every key fits the footer at 80 columns; the help says more.
        Binding("enter", "rate_suggested", "Suggest", priority=True),
        Binding("c", "correct", "Correct"),
        # In the footer where there is room for it (from 100 columns); at 80 it is full, and
        # the follow-up names its key beside the question itself ("f answers it").
        Binding("f", "followup('footer')", "Follow-up"),
        Binding("f", "followup", "Follow-up", show=False),
        Binding("u", "undo", "Undo"),
        Binding("h", "history", "Past"),
        Binding("escape", "edit", "Edit"),
    ]

    def __init__(
        self,
        session: DrillSession,
        card: Card,
        answer: str,
        grade: Grade,
        duration_ms: int | None = None,
    ):
        super().__init__()
        self.session = session
        self.card = card
        self.answer = answer
        self.grade = grade
        #: The grader's grade; ``grade`` is the user's correction of it, or the same object.
        self.model_grade = grade
        #: Red flags dismissed again: the user dismissed them on the same clause before.
        self.remembered, self.grade = session.apply_remembered(card, answer, grade)
        self.marks: dict[tuple[str, str], bool] = dict(self.remembered)
        self.duration_ms = duration_ms
        self._done = False
        #: The interviewer's follow-up question after this answer, or None.
        self.followup = session.followup(card, self.grade)
        if card.key not in session.pending_followups:
            # Typed in an earlier run (then a quit or a crash): the draft comes back.
            draft = session.followup_draft(card)
            if draft:
                session.pending_followups[card.key] = (draft, None)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="feedback"):
            deck = self.app.catalog.deck(self.card.deck_id)
            yield Static(
                card_meta(self.card, deck.title if deck else self.card.deck_id), id="card-meta"
            )
            yield Static(card_prompt(self.card), id="prompt")
            yield Static(highlighted_answer(self.answer, self.grade), id="your-answer")
            text = self._followup_text()
            offer = Static(text, id="followup-offer")
            offer.display = bool(text)
            yield offer
            yield Static(self._feedback_text(), id="grade")
        yield Static(self._ratings_bar(), id="ratings")
        yield FailtuiFooter()

    def _still_remembered(self) -> frozenset[str]:
        return still_remembered(self.remembered, self.marks)

    def _feedback_text(self) -> Text:
        return feedback_text(
            self.card,
            self.grade,
            self.model_grade,
            self._still_remembered(),
            self._followup_answer()[1],
        )

    def _followup_answer(self) -> tuple[str, FollowUpAnswer | None]:
        """The text in the follow-up's box, and its graded answer (None until submitted)."""
        return self.session.pending_followups.get(self.card.key, ("", None))

    def _followup_to_store(self) -> tuple[bool, FollowUpAnswer | None]:
        """The follow-up's answer to store with the rating, first item False when it cannot be.

        Text typed in the follow-up's box but not submitted (or changed since) is graded now:
        rating keeps it with the attempt rather than dropping it.
        """
        text, answer = self._followup_answer()
        if self.followup is None or is_empty_answer(text):
            return True, answer
        if answer is not None and answer.answer == text:
            return True, answer
        try:
            answer = self.session.answer_followup(self.card, self.followup, text, self.answer)
        except AnswerTooLong as exc:
            message = f"Not rated: your follow-up answer is too long. {str(exc).capitalize()}"
            self.notify(message, severity="error", timeout=10, markup=False)
            return False, None
        self.notify(
            "Your follow-up answer was not submitted: it is graded and kept with the rating.",
            markup=False,
        )
        return True, answer

    def _followup_text(self) -> Text:
        """The follow-up offered (``f`` answers it), or the answer given and its result."""
        from failtui.ui.screens.history import followup_text

        text_typed, answer = self._followup_answer()
        if answer is not None:
            return followup_text(answer)
        if self.followup is None:
            return Text()
        text = Text("The interviewer asks: ", style="bold")
        text.append(self.followup.prompt, style="italic")
        text.append("  f answers it", style="dim")
        if text_typed.strip():
            text.append(" (your draft is kept)", style="dim")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``f`` is there only when the answer missed a key point that has a follow-up; it is
        listed in the footer only where there is room for it."""
        if action == "followup":
            wide = self.app.size.width >= FOLLOWUP_IN_FOOTER_WIDTH
            return self.followup is not None and (parameters == ("footer",)) == wide
        return True

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_bindings()  # the footer lists f from FOLLOWUP_IN_FOOTER_WIDTH columns

    def action_followup(self, _listed: str = "") -> None:
        from failtui.ui.screens.followup import FollowUpScreen

        if self.followup is None:
            return
        text, _answer = self._followup_answer()
        self.app.push_screen(
            FollowUpScreen(self.session, self.card, self.followup, text, self.answer),
            self._followup_done,
        )

    def _followup_done(self, result: FollowUpResult | None) -> None:
        if result is None:
            return
        previous = self._followup_answer()[1]
        self.session.pending_followups[self.card.key] = (result.text, result.answer or previous)
        self._show_followup()
        self.query_one("#grade", Static).update(self._feedback_text())

    def _show_followup(self) -> None:
        offer = self.query_one("#followup-offer", Static)
        text = self._followup_text()
        offer.update(text)
        offer.display = bool(text)

    def _ratings_bar(self) -> Text:
        intervals = self.session.intervals(self.card)
        text = Text()
        held = self.session.held_before(self.card)
        if held is not None:
            from failtui.interview import hold_note

            text.append(hold_note(held, self.session.today()) + "\n", style="dim")
        for key, name in RATING_KEYS:
            suggested = name == self.grade.suggested_rating
            label = f" {key} {name.capitalize()} {format_interval(intervals[name])} "
            text.append(
                ("★" if suggested else " ") + label, style="bold reverse" if suggested else ""
            )
            text.append("  ")
        text.append(f"enter = {self.grade.suggested_rating.capitalize()}", style="dim")
        return text

    def action_rate(self, rating: str) -> None:
        if self._done:
            return
        can_rate, followup = self._followup_to_store()
        if not can_rate:
            return
        self._done = True
        # The rating is committed here, before the next card is shown.
        with self.app.storage_errors("save your rating"):
            self.session.rate(
                self.card,
                self.answer,
                self.grade,
                rating,
                self.duration_ms,
                model_grade=self.model_grade if self.grade is not self.model_grade else None,
                followup=followup,
                remembered=self._still_remembered(),
            )
            self.session.pending_followups.pop(self.card.key, None)
            self.dismiss(Rated())
            return
        self._done = False  # not saved: the feedback stays, and rating again retries

    def action_rate_suggested(self) -> None:
        self.action_rate(self.grade.suggested_rating)

    def action_correct(self) -> None:
        from failtui.ui.screens.corrections import CorrectionsScreen

        self.app.push_screen(
            CorrectionsScreen(self.card, self.model_grade, self.grade), self._corrected
        )

    def _corrected(self, marks: dict[tuple[str, str], bool] | None) -> None:
        if marks is None:
            return
        self.set_marks(marks)

    def set_marks(self, marks: dict[tuple[str, str], bool]) -> None:
        """Show the grade as the user marks it (marks relative to the grader's grade)."""
        self.marks = dict(marks)
        self.grade = self.session.correct(self.card, self.answer, self.model_grade, self.marks)
        if not self.marks:
            self.grade = self.model_grade
        self.query_one("#your-answer", Static).update(highlighted_answer(self.answer, self.grade))
        self.query_one("#grade", Static).update(self._feedback_text())
        self.query_one("#ratings", Static).update(self._ratings_bar())
        text, answer = self._followup_answer()
        if answer is None and is_empty_answer(text):  # else the question answered stays
            self.followup = self.session.followup(self.card, self.grade)
            self._show_followup()
            self.refresh_bindings()

    def action_undo(self) -> None:
        if not self.session.can_undo():
            self.app.say_nothing_to_undo(self.session)
            return
        # This card's answer stays as its draft; the undone card comes back with its answer.
        with self.app.storage_errors("keep this answer as the card's draft"):
            self.session.save_draft(self.card, self.answer)
            undone = self.app.undo_rating(self.session, or_newest=False)
            if undone is None or undone[0] is None:
                return
            self._done = True
            self.dismiss(Undone(undone[0], undone[1]))

    def action_history(self) -> None:
        from failtui.ui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.session, self.card))

    def action_edit(self) -> None:
        self.dismiss(BackToEdit())
