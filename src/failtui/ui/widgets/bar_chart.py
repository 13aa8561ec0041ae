"""A small vertical bar chart: one bar per value, eighth-block precision, labels underneath."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

EIGHTHS = " ▁▂▃▄▅▆▇█"
#: Columns left of the bars, for the scale.
AXIS = 4


def bar_chart_text(
    values: list[int],
    labels: dict[int, str],
    *,
    height: int = 5,
    top: int | None = None,
    bar_width: int = 2,
    style: str = "cyan",
) -> Text:
    """Bars for ``values``, ``height`` rows high, scaled to ``top`` (default: the largest
    value) which is written on the left, and ``labels`` (by value index) on the line below.
    Each bar is ``bar_width`` columns wide, the last of them a gap."""
    text = Text()
    top = max(values, default=0) if top is None else top
    for row in range(height, 0, -1):
        text.append(f"{top:>3} " if row == height else " " * AXIS, style="dim")
        for value in values:
            eighths = round(value / top * height * 8) if top else 0
            # A day with any card shows at least a sliver, so "one card" is never invisible.
            if value and eighths == 0:
                eighths = 1
            cell = max(0, min(8, eighths - (row - 1) * 8))
            text.append(EIGHTHS[cell] * (bar_width - 1) + " ", style=style)
        text.append("\n")
    axis = [" "] * (AXIS + len(values) * bar_width + 8)
    for index, label in labels.items():
        start = AXIS + index * bar_width
        axis[start : start + len(label)] = label
    text.append("".join(axis).rstrip(), style="dim")
    return text


class BarChart(Widget):
    """Shows :func:`bar_chart_text`; call :meth:`show` to update."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        width: auto;
    }
    """

    def __init__(
        self, *, height: int = 5, bar_width: int = 2, style: str = "cyan", id: str | None = None
    ):
        super().__init__(id=id)
        self.bar_height = height
        self.bar_width = bar_width
        self.bar_style = style
        self._values: list[int] = []
        self._labels: dict[int, str] = {}
        self._top: int | None = None

    def show(self, values: list[int], labels: dict[int, str], top: int | None = None) -> None:
        """Draw these values, with ``labels`` under the bars at their indexes, scaled to
        ``top`` (default: the largest value)."""
        self._values, self._labels, self._top = values, labels, top
        self.refresh(layout=True)

    def render(self) -> Text:
        return bar_chart_text(
            self._values,
            self._labels,
            height=self.bar_height,
            top=self._top,
            bar_width=self.bar_width,
            style=self.bar_style,
        )
