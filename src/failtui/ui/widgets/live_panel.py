"""The live panel beside the answer box: length and time, red flags, key points ticking off."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.widgets import Static

from failtui.models import ADVISED_SECONDS, Grade
from failtui.report import format_seconds
from failtui.ui.marks import graded_key_point
from failtui.words import count


def _hanging(label: str, width: int | None) -> str:
    """``label`` wrapped to ``width`` after a 3-column marker, later lines indented under it."""
    if width is None or width <= 8:
        return label + "\n"
    lines = textwrap.wrap(label, width - 3, break_long_words=True) or [""]
    return "\n   ".join(lines) + "\n"


def live_panel_text(
    grade: Grade,
    elapsed_seconds: float,
    *,
    timed: bool = True,
    width: int | None = None,
    dismissed_again: int = 0,
) -> Text:
    """What the live panel shows for a grade (deck text is added as plain text, never markup).

    With ``width`` (the panel's), key point and red flag labels wrap with a hanging indent;
    ``dismissed_again`` red flags the user dismissed before on the same clauses are counted, so
    a flag never goes missing without a word.
    """
    # The figures that change with every word first, then red flags (urgent, and absent from
    # most answers), then the key points: at 80x24 the list is what runs off the bottom, not
    # a red flag.
    text = Text()
    low, high = ADVISED_SECONDS
    speaking = grade.speaking_seconds
    style = "green" if low <= speaking <= high else ("yellow" if speaking < low else "red")
    text.append(count(grade.words, "word"), style="bold")
    text.append(" · ≈")
    text.append(format_seconds(speaking), style=style)
    text.append(" spoken")
    text.append(f" (aim {format_seconds(low)}–{format_seconds(high)})\n" if timed else "\n")
    text.append(f"Coverage {grade.coverage:.0%} · elapsed {format_seconds(elapsed_seconds)}\n")
    if grade.red_flags:
        text.append("\nRed flags\n", style="bold red")
        for rf in grade.red_flags:
            # The panel is narrow: a possible flag is marked "?" rather than labelled so.
            text.append(" ? " if rf.tentative else " ! ", style="bold red")
            text.append(_hanging(rf.label, width), style="red")
    if dismissed_again:
        gap = "" if grade.red_flags else "\n"
        text.append(f"{gap}{count(dismissed_again, 'flag')} dismissed again\n", style="dim")
    text.append("\nKey points\n", style="bold")
    for kp in grade.key_points:
        if kp.covered:
            text.append_text(graded_key_point(_hanging(kp.label, width), True))
        else:
            # Not missed yet, only not there yet: the answer is still being typed.
            text.append(" · ", style="dim")
            text.append(_hanging(kp.label, width), style="dim")
    text.rstrip()
    return text


class LivePanel(Static):
    """Shows the running grade of the answer being typed."""

    DEFAULT_CSS = """
    LivePanel { width: 1fr; height: auto; }
    """

    _line_lengths: tuple[int, ...] = ()
    _shown: tuple[Grade, float, bool, int] | None = None
    _width: int = 0

    def on_resize(self) -> None:
        """Wrap the labels again for the new width (the hanging indent depends on it)."""
        if self._shown is not None and self.content_size.width != self._width:
            grade, elapsed, timed, dismissed_again = self._shown
            self.show(grade, elapsed, timed=timed, dismissed_again=dismissed_again)

    def show(
        self, grade: Grade, elapsed_seconds: float, *, timed: bool = True, dismissed_again: int = 0
    ) -> None:
        """Render a grade and the time spent so far (``timed``: show the 2-3 minute aim;
        ``dismissed_again``: red flags dismissed again, see :func:`live_panel_text`)."""
        self._shown = (grade, elapsed_seconds, timed, dismissed_again)
        self._width = self.content_size.width
        width = self._width or None
        text = live_panel_text(
            grade, elapsed_seconds, timed=timed, width=width, dismissed_again=dismissed_again
        )
        # Lines of the same lengths wrap to the same height, so the screen is laid out again
        # (a dozen milliseconds beside a long answer) only when the panel may change size.
        lengths = tuple(len(line) for line in text.plain.split("\n"))
        self.update(text, layout=lengths != self._line_lengths)
        self._line_lengths = lengths
