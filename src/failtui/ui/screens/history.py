"""Earlier attempts at a card: date, coverage, rating; open one and see what changed."""

from __future__ import annotations

import difflib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from failtui.followups import given_in_followup
from failtui.models import Attempt, Card, FollowUpAnswer
from failtui.report import format_seconds
from failtui.scheduling import parse_utc
from failtui.session import DrillSession
from failtui.textclean import clean_text
from failtui.ui.keys import HELP
from failtui.ui.marks import graded_key_point, key_point_mark
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.words import count


def _covered(attempt: Attempt) -> dict[str, tuple[str, bool]]:
    return {kp.id: (kp.label, kp.covered) for kp in attempt.grade().key_points}


def attempt_detail(attempt: Attempt, previous: Attempt | None) -> Text:
    """One attempt: its answer and key points, and what changed since the attempt before it."""
    text = Text()
    when = parse_utc(attempt.answered_at).astimezone().strftime("%Y-%m-%d %H:%M")
    size = (
        f"said aloud in {format_seconds(attempt.spoken_seconds)}"
        if attempt.spoken_seconds is not None
        else count(attempt.words, "word")
    )
    text.append(
        f"{when}  ·  coverage {attempt.coverage:.0%}  ·  {size}  ·  "
        f"rated {(attempt.rating or '-').capitalize()}\n\n",
        style="bold",
    )
    if attempt.spoken_seconds is not None:
        text.append("(said aloud; the ticks below are yours)", style="dim italic")
    else:
        text.append(attempt.answer or "(empty answer)")
    text.append("\n\nKey points\n", style="bold")
    now = _covered(attempt)
    for kp_id, (label, covered) in now.items():
        in_followup = given_in_followup(kp_id, attempt.followup)
        text.append_text(graded_key_point(label, covered, in_followup=in_followup))
        text.append("\n")
    flags = attempt.grade().red_flags
    if flags:
        text.append("\nRed flags\n", style="bold red")
        for flag in flags:
            text.append(" ! ", style="bold red")
            text.append(clean_text(str(flag.shown_label)), style="red")
            if flag.evidence:
                text.append(f'  "{clean_text(str(flag.evidence))}"', style="dim")
            text.append("\n")
    else:
        text.append("\nRed flags: none\n", style="green")
    if attempt.followup is not None:
        text.append_text(followup_text(attempt.followup))
    if previous is None:
        text.append("\nFirst attempt at this card.", style="dim")
        return text
    before = _covered(previous)
    gained = [label for k, (label, c) in now.items() if c and not before.get(k, ("", False))[1]]
    lost = [label for k, (label, c) in now.items() if not c and before.get(k, ("", False))[1]]
    text.append("\nSince the attempt before\n", style="bold")
    old_words, new_words = previous.answer.split(), attempt.answer.split()
    if old_words == new_words and not gained and not lost:
        # The same answer again: say so, rather than show it a second time word for word.
        text.append(f" the same answer, coverage {attempt.coverage:.0%}\n", style="dim")
        return text
    text.append(f" coverage {previous.coverage:.0%} → {attempt.coverage:.0%}\n")
    for label in gained:
        text.append(f" + now covers {label}\n", style="green")
    for label in lost:
        text.append(f" - no longer covers {label}\n", style="red")
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, old_words, new_words).get_opcodes():
        if op == "equal":
            text.append(" ".join(new_words[b0:b1]) + " ", style="dim")
            continue
        if a1 > a0:
            text.append(" ".join(old_words[a0:a1]) + " ", style="red strike")
        if b1 > b0:
            text.append(" ".join(new_words[b0:b1]) + " ", style="green")
    return text


def followup_text(answer: FollowUpAnswer) -> Text:
    """The interviewer's follow-up, the answer to it, and whether it covered its key point."""
    text = Text("\nFollow-up: ", style="bold")
    text.append(answer.prompt + "\n", style="italic")
    text.append(answer.answer or "(empty answer)")
    text.append("\n")
    text.append_text(key_point_mark(answer.covered))
    if answer.covered:
        text.append("covered", style="green")
        if answer.evidence:
            text.append(f'  "{answer.evidence}"', style="dim")
    else:
        text.append("still missing", style="red")
    text.append("\n")
    return text


class HistoryScreen(FailtuiScreen):
    """The list of attempts at one card, newest first, with the highlighted one opened."""

    DEFAULT_CSS = """
    HistoryScreen #history-title, HistoryScreen #history-empty {
        padding: 1 2;
        height: auto;
    }
    HistoryScreen #history {
        height: 1fr;
    }
    HistoryScreen #attempts {
        width: 36;
    }
    HistoryScreen #attempt-view {
        padding: 0 1;
    }
    """

    HELP_SECTION = "History"
    BINDINGS = [HELP, Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, session: DrillSession, card: Card):
        super().__init__()
        self.session = session
        self.card = card
        self.attempts = session.attempts(card)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"History of: {self.card.prompt}", style="bold"), id="history-title")
        if not self.attempts:
            yield Static(
                Text(
                    "No attempts yet. Answer this card and rate it; each attempt appears here "
                    "with its coverage, so you can see your answer improve."
                ),
                id="history-empty",
            )
        else:
            with Horizontal(id="history"):
                yield OptionList(*[self._option(a) for a in self.attempts], id="attempts")
                with VerticalScroll(id="attempt-view"):
                    yield Static(id="attempt-detail")
        yield FailtuiFooter()

    def _option(self, attempt: Attempt) -> Option:
        when = parse_utc(attempt.answered_at).astimezone().strftime("%Y-%m-%d %H:%M")
        said = "  aloud" if attempt.spoken_seconds is not None else ""
        follow = "  +follow-up" if attempt.followup is not None else ""
        # One line per attempt: a row that wrapped read as two attempts (the detail beside it
        # says in full what the cut end of a long row says).
        return Option(
            Text(
                f"{when}  {attempt.coverage:>4.0%}  {(attempt.rating or '-'):<5}{said}{follow}",
                no_wrap=True,
                overflow="ellipsis",
            )
        )

    def on_mount(self) -> None:
        if self.attempts:
            options = self.query_one("#attempts", OptionList)
            options.highlighted = 0
            options.focus()
            self._show(0)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _show(self, index: int) -> None:
        previous = self.attempts[index + 1] if index + 1 < len(self.attempts) else None
        self.query_one("#attempt-detail", Static).update(
            attempt_detail(self.attempts[index], previous)
        )
