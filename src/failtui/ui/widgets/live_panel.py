"""The live panel beside the answer box: key points ticking off, red flags, length and time."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from failtui.models import ADVISED_SECONDS, Grade
from failtui.report import format_seconds


def live_panel_text(grade: Grade, elapsed_seconds: float, *, timed: bool = True) -> Text:
    """What the live panel shows for a grade (deck text is added as plain text, never markup)."""
    text = Text()
    text.append("Key points\n", style="bold")
    for kp in grade.key_points:
        if kp.covered:
            text.append(" ✓ ", style="bold green")
            text.append(kp.label + "\n", style="green")
        else:
            text.append(" · ", style="dim")
            text.append(kp.label + "\n", style="dim")
    if grade.red_flags:
        text.append("\nRed flags\n", style="bold red")
        for rf in grade.red_flags:
            text.append(" ! ", style="bold red")
            text.append(rf.label + "\n", style="red")
    low, high = ADVISED_SECONDS
    speaking = grade.speaking_seconds
    style = "green" if low <= speaking <= high else ("yellow" if speaking < low else "red")
    text.append("\n")
    text.append(f"{grade.words} words", style="bold")
    text.append(" · ≈")
    text.append(format_seconds(speaking), style=style)
    text.append(" spoken")
    text.append(f" (aim {format_seconds(low)}–{format_seconds(high)})\n" if timed else "\n")
    text.append(f"Coverage {grade.coverage:.0%} · elapsed {format_seconds(elapsed_seconds)}")
    return text


class LivePanel(Static):
    """Shows the running grade of the answer being typed."""

    DEFAULT_CSS = """
    LivePanel { width: 1fr; height: auto; }
    """

    _line_lengths: tuple[int, ...] = ()

    def show(self, grade: Grade, elapsed_seconds: float, *, timed: bool = True) -> None:
        """Render a grade and the time spent so far (``timed``: show the 2-3 minute aim)."""
        text = live_panel_text(grade, elapsed_seconds, timed=timed)
        # Lines of the same lengths wrap to the same height, so the screen is laid out again
        # (a dozen milliseconds beside a long answer) only when the panel may change size.
        lengths = tuple(len(line) for line in text.plain.split("\n"))
        self.update(text, layout=lengths != self._line_lengths)
        self._line_lengths = lengths
