"""A review calendar: one column per week, one row per weekday, shaded by reviews that day."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.widget import Widget

from failtui.stats_report import shade_level

#: Background shades from no review to the busiest day (theme-neutral greens).
LEVELS = ("#2d333b", "#0e4429", "#006d32", "#26a641", "#39d353")
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def level(count: int, busiest: int) -> int:
    """The shade index (0-4) of a day with ``count`` reviews; 0 only for no review, and the
    darkest for the busiest day."""
    return shade_level(count, busiest, len(LEVELS))


def month_labels(first: date, last: date) -> list[tuple[int, str]]:
    """(week column, month name) of the calendar from ``first`` to ``last``.

    A month is named above the week that holds its 1st, as GitHub's contribution graph does,
    so the current month is named from its first day. Two 1sts are at least four weeks apart,
    so names (three letters and a space: two weeks) never touch. The first week, when it holds
    no 1st, names the month of ``first`` if that leaves room before the next name.
    """
    start = first - timedelta(days=first.weekday())
    labels: list[tuple[int, str]] = []
    for week in range((last - start).days // 7 + 1):
        shown = (start + timedelta(days=7 * week + n) for n in range(7))
        day_one = next((d for d in shown if first <= d <= last and d.day == 1), None)
        if day_one is not None:
            labels.append((week, day_one.strftime("%b")))
    if not labels or labels[0][0] >= 2:
        labels.insert(0, (0, first.strftime("%b")))
    return labels


#: How an interview day is drawn on the calendar.
INTERVIEW_MARK = ("◆ ", "bold magenta")


def heatmap_text(
    days: tuple[tuple[str, int], ...], interview_days: frozenset[str] = frozenset()
) -> Text:
    """The calendar of ``(ISO day, reviews)`` pairs, oldest first, as styled text; days in
    ``interview_days`` are marked as interviews."""
    text = Text()
    if not days:
        return text
    busiest = max(n for _d, n in days)
    counts = dict(days)
    first = date.fromisoformat(days[0][0])
    start = first - timedelta(days=first.weekday())
    weeks = (date.fromisoformat(days[-1][0]) - start).days // 7 + 1
    months = [" "] * (4 + 2 * weeks + 3)
    for week, name in month_labels(first, date.fromisoformat(days[-1][0])):
        months[4 + 2 * week : 7 + 2 * week] = name
    text.append("".join(months).rstrip() + "\n", style="dim")
    for weekday, name in enumerate(WEEKDAYS):
        text.append(f"{name:<4}", style="dim")
        for week in range(weeks):
            day = (start + timedelta(days=7 * week + weekday)).isoformat()
            count = counts.get(day)
            if count is None:
                text.append("  ")
            elif day in interview_days:
                text.append(*INTERVIEW_MARK)
            else:
                text.append("■ ", style=LEVELS[level(count, busiest)])
        text.append("\n")
    text.append("    less ", style="dim")
    for shade in LEVELS:
        text.append("■ ", style=shade)
    text.append(f"more  (busiest day: {busiest})", style="dim")
    if interview_days & counts.keys():
        text.append("   ")
        text.append(*INTERVIEW_MARK)
        text.append("interview", style="dim")
    return text


class ReviewHeatmap(Widget):
    """Shows a :class:`failtui.stats.ReviewCalendar`'s days; call :meth:`show` to update."""

    DEFAULT_CSS = """
    ReviewHeatmap {
        height: auto;
        width: auto;
    }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._days: tuple[tuple[str, int], ...] = ()
        self._interviews: frozenset[str] = frozenset()

    def show(
        self, days: tuple[tuple[str, int], ...], interview_days: frozenset[str] = frozenset()
    ) -> None:
        """Draw these ``(ISO day, reviews)`` pairs, the interview days marked."""
        self._days = days
        self._interviews = interview_days
        self.refresh(layout=True)

    def render(self) -> Text:
        return heatmap_text(self._days, self._interviews)
