"""The statistics as Rich tables, for ``failtui stats`` (the TUI has its own screen).

Deck text (labels, prompts, card ids) is user input, so every cell is a ``rich.text.Text``,
never a markup string.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from failtui.models import ADVISED_SECONDS
from failtui.report import format_seconds
from failtui.scheduling import format_interval, parse_utc
from failtui.stats import AnswerDay, Statistics, WeakKeyPoint
from failtui.textclean import one_line
from failtui.words import count

if TYPE_CHECKING:
    from failtui.decks.catalog import DeckCatalog
    from failtui.decks.index import LazyCatalog

BARS = "▁▂▃▄▅▆▇█"
#: Shades of the calendar, from no review to the busiest day.
SHADES = ("·", "░", "▒", "▓", "█")
#: An interview's day on the text calendar.
INTERVIEW_MARK = "◆"
CARD_ROWS = 10
ANSWER_ROWS = 10


def sparkline(values: Sequence[float], top: float | None = None) -> str:
    """One bar character per value, scaled to ``top`` (default: the largest value)."""
    if not values:
        return ""
    top = max(values) if top is None else top
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(BARS[min(len(BARS) - 1, round(v / top * (len(BARS) - 1)))] for v in values)


def shade_level(count: int, busiest: int, levels: int) -> int:
    """The shade (0 to ``levels - 1``) of a day with ``count`` reviews: 0 only for no review,
    the darkest for the busiest day."""
    if count <= 0 or busiest <= 0:
        return 0
    top = levels - 1
    return min(top, -(-count * top // busiest))  # ceiling division


def shade(count: int, busiest: int) -> str:
    """The calendar character for a day with ``count`` reviews."""
    return SHADES[shade_level(count, busiest, len(SHADES))]


def trend_text(point: WeakKeyPoint) -> Text:
    """A key point's miss-rate sparkline, marked better or worse when the change is clear."""
    trend = Text(sparkline(point.trend, top=1.0), style="red")
    if point.improving is True:
        trend.append(" better", style="green")
    elif point.improving is False:
        trend.append(" worse", style="red")
    return trend


def percent(value: float | None) -> Text:
    """``0.8`` -> ``80%`` (right-aligned), ``None`` -> ``-``."""
    return Text("-" if value is None else f"{value:.0%}", justify="right")


def number(value: float | str, fmt: str = "{}") -> Text:
    return Text(fmt.format(value), justify="right")


def scope_line(result: Statistics, catalog: DeckCatalog | LazyCatalog | None) -> Text:
    """What the figures cover, in words."""
    scope = result.scope
    deck = "all decks"
    if scope.deck_id is not None:
        found = catalog.deck(scope.deck_id) if catalog else None
        deck = f"deck {one_line(found.title, 40) if found else scope.deck_id}"
    days = "all history" if scope.days is None else f"the last {count(scope.days, 'study day')}"
    return Text(f"Statistics: {deck}, {days} (study day {scope.today.isoformat()})", style="bold")


def empty_message(result: Statistics) -> Text:
    """What a new user sees instead of empty tables: what will appear, and how to get there."""
    text = Text()
    if result.scope.deck_id is not None or result.scope.days is not None:
        text.append("Nothing rated in this selection yet.\n", style="bold")
    else:
        text.append("No statistics yet: nothing has been rated.\n", style="bold")
    text.append(
        "Drill a few cards ('failtui drill', or 'failtui' and press enter), answer, and rate "
        "each one. After every rating this shows:\n"
        "  - the key points you forget most, worst first, with the tip that helps\n"
        "  - the red flags your answers raise\n"
        "  - each card's chance of recall now, and the cards you keep failing\n"
        "  - your review calendar, streak, retention, answer length, and what is due next"
    )
    return text


#: The groups of the weak points, in order: (group, title).
WEAK_GROUPS = (
    ("question", "Weak key points of the question (worst first)"),
    ("tip-pitfall", "Weak key points of the tips and pitfalls (worst first)"),
)


def weak_points_table(result: Statistics) -> RenderableType:
    """Key points, worst first, in groups: missed of expected, miss rate, trend, the tip.

    Ranked by the Wilson lower bound of the miss rate (see ``stats.wilson_lower_bound``). The
    tip that helps goes under the key point, so the table fits 80 columns.
    """
    tables = []
    for group, title in WEAK_GROUPS:
        points = [p for p in result.weak_key_points if p.group == group]
        if not points:
            continue
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("Key point", ratio=1)
        table.add_column("Missed", justify="right", no_wrap=True)
        table.add_column("Rate", justify="right", no_wrap=True)
        table.add_column("Trend", no_wrap=True)
        for point in points:
            label = Text(point.label)
            tip = result.advice_for(point) or point.tip
            if tip:
                label.append("\n")
                label.append(tip, style="dim")
            table.add_row(
                label,
                Text(f"{point.missed} of {point.expected}"),
                percent(point.miss_rate),
                trend_text(point),
            )
        tables.append(table)
    return Group(*tables)


#: What the red flags figure says when none was raised (the CLI and the statistics screen).
NO_RED_FLAGS = "Red flags: none raised."


def red_flags_table(result: Statistics) -> RenderableType:
    """Red flags, the most often raised first."""
    if not result.red_flags:
        return Text(NO_RED_FLAGS, style="green")
    table = Table(title="Red flags raised", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Red flag")
    table.add_column("Raised", justify="right")
    table.add_column("Last", no_wrap=True)
    table.add_column("Read")
    for flag in result.red_flags:
        table.add_row(
            Text(flag.label),
            number(flag.raised),
            Text(flag.last_day),
            Text(result.prompts.get(flag.pitfall or "", flag.pitfall or "-"), style="dim"),
        )
    return table


def due_line(result: Statistics) -> Text:
    """What is due next: today, tomorrow, this week, 30 days, and a bar per day."""
    counts = [n for _d, n in result.forecast.days]
    text = Text("Due next: ", style="bold")
    text.append(
        f"today {counts[0]} · tomorrow {counts[1]} · 7 days {sum(counts[:7])} · "
        f"30 days {sum(counts)}  "
    )
    text.append(sparkline(counts), style="cyan")
    return text


def cards_table(
    result: Statistics,
    catalog: DeckCatalog | LazyCatalog | None,
    rows: int = CARD_ROWS,
    width: int = 120,
) -> Table:
    """The cards most likely to be forgotten now.

    Below 100 columns a card's deck goes on a line of its own above its id, so no id is cut.
    """
    shown = result.cards[:rows]
    title = f"Cards most likely forgotten ({len(shown)} of {len(result.cards)})"
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Card", overflow="fold", ratio=1)
    table.add_column("Recall", justify="right", no_wrap=True)
    table.add_column("Stab.", justify="right", no_wrap=True)
    table.add_column("Diff.", justify="right", no_wrap=True)
    table.add_column("Lapses", justify="right", no_wrap=True)
    table.add_column("Cover", justify="right", no_wrap=True)
    table.add_column("Due", no_wrap=True)
    now = result.scope.now
    for card in shown:
        deck, _, card_id = card.card_key.partition("/")
        label = Text(card.card_key) if width >= 100 else Text(f"{deck}/\n", style="dim")
        if width < 100:
            label.append(card_id, style="default")
        if card.leech:
            label.append(" leech", style="bold red")
        table.add_row(
            label,
            percent(card.retrievability),
            number(card.stability, "{:.1f}d"),
            number(card.difficulty, "{:.1f}"),
            number(card.lapses),
            percent(card.last_coverage),
            Text(due_in(card.due, now)),
        )
    return table


def due_in(due: str | None, now: datetime) -> str:
    """``in 3d``, ``now`` (overdue or due), or ``-``."""
    moment = parse_utc(due)
    if moment is None:
        return "-"
    if moment <= now:
        return "now"
    return f"in {format_interval(moment - now)}"


def leeches_text(result: Statistics) -> Text | None:
    """Each leech with what to do about it."""
    if not result.leeches:
        return None
    text = Text("Leeches (failed again and again)\n", style="bold red")
    for card in result.leeches:
        text.append(f"  {card.card_key}: ", style="bold")
        text.append(f"{card.leech}\n")
    return text


def calendar_text(result: Statistics) -> Text:
    """A heatmap: a row per weekday, a column per week, shaded by reviews that day."""
    days = result.calendar.days
    busiest = max((n for _d, n in days), default=0)
    first = date.fromisoformat(days[0][0])
    start = first - timedelta(days=first.weekday())
    counts = dict(days)
    weeks = (date.fromisoformat(days[-1][0]) - start).days // 7 + 1
    interviews = result.calendar.interview_days
    text = Text()
    for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
        text.append(f"{name:<4}", style="dim")
        for week in range(weeks):
            day = (start + timedelta(days=7 * week + weekday)).isoformat()
            reviews = counts.get(day)
            if reviews is not None and day in interviews:
                text.append(INTERVIEW_MARK, style="bold magenta")
            else:
                text.append(" " if reviews is None else shade(reviews, busiest), style="green")
        text.append("\n")
    text.append(
        f"    less {' '.join(SHADES)} more; busiest day {count(busiest, 'review')}",
        style="dim",
    )
    if interviews:
        text.append(f"; {INTERVIEW_MARK} interview", style="dim")
    return text


def practice_text(result: Statistics) -> Text:
    """Streak and review counts of the calendar's window."""
    cal = result.calendar
    text = Text("Practice: ", style="bold")
    text.append(
        f"streak {count(cal.streak_days, 'day')} · {count(cal.total, 'review')} on "
        f"{cal.days_studied} of the last {count(len(cal.days), 'day')} · "
        f"{cal.per_study_day:.1f} per study day"
    )
    return text


def retention_table(result: Statistics) -> RenderableType:
    """True retention per month."""
    if not result.retention:
        return Text(
            "True retention: no reviews of learned cards yet (it counts cards past learning).",
            style="dim",
        )
    table = Table(title="True retention (learned cards not rated Again)", title_justify="left")
    table.add_column("Month")
    table.add_column("Reviews", justify="right")
    table.add_column("Recalled", justify="right")
    table.add_column("Retention", justify="right")
    for month in result.retention:
        table.add_row(
            Text(month.month),
            number(month.reviews),
            number(month.recalled),
            percent(month.retention),
        )
    return table


#: The advised speaking time, and the advice, as the statistics name them.
ADVISED = f"{ADVISED_SECONDS[0] / 60:.0f}-{ADVISED_SECONDS[1] / 60:.0f} minutes"
ADVICE = f"speak {ADVISED}"
#: Practice days a trend shows at most (the latest), so that it fits 80 columns.
TREND_DAYS = 60


@dataclass(frozen=True)
class Trend:
    """A chart of the answers by day: its caption, which states the scale, and one bar a day
    ("" for a single day, which the caption says instead: one bar is not a trend)."""

    caption: str
    bars: str


def _days_shown(answers: Sequence[AnswerDay], width: int) -> str:
    return f", the last {width} of {len(answers)} practice days" if len(answers) > width else ""


def _one_day(result: Statistics) -> str:
    """What a single practice day is called: there may be days before a period filter's."""
    return "one day so far" if result.scope.days is None else "one day in this period"


def coverage_trend(result: Statistics, width: int = TREND_DAYS) -> Trend:
    """Coverage per day, scaled to 100% (every key point covered); needs some answers."""
    answers = result.answers
    if len(answers) == 1:
        return Trend(
            f"Coverage per day: {_one_day(result)} ({answers[0].coverage:.0%} of key points "
            "covered)",
            "",
        )
    return Trend(
        f"Coverage per day{_days_shown(answers, width)} (share of key points covered, "
        "scale 0-100%)",
        sparkline([day.coverage for day in answers[-width:]], top=1.0),
    )


def speaking_trend(result: Statistics, width: int = TREND_DAYS) -> Trend:
    """Speaking time per day, scaled to the top of the 2-3 minute advice where it applies and
    no day went past it, else to the longest day; the caption says which. Needs some answers."""
    answers = result.answers
    advice = result.scope.speaking_advice_applies
    if len(answers) == 1:
        seconds = format_seconds(answers[0].speaking_seconds)
        return Trend(
            f"Speaking time per day: {_one_day(result)} ({seconds}"
            + (f"; advised {ADVISED})" if advice else ")"),
            "",
        )
    shown = answers[-width:]
    longest = max(day.speaking_seconds for day in shown)
    if advice and longest <= ADVISED_SECONDS[1]:
        top, scale = ADVISED_SECONDS[1], f"top of the advised {ADVISED}"
    else:
        top, scale = longest, "the longest day" + (f"; advised {ADVISED}" if advice else "")
    return Trend(
        f"Speaking time per day{_days_shown(answers, width)} (scale 0-{format_seconds(top)}, "
        f"{scale})",
        sparkline([day.speaking_seconds for day in shown], top=top),
    )


def answers_left_out_text(result: Statistics) -> str | None:
    """The answers of the period the all-decks answer figures leave out, or None if none:
    "Left out: 1 answer in failure-tips, a deck without question cards (...)"; more than
    two such decks are counted, not listed, and decks no longer present are said so.

    Those figures are about answers to questions (the 2-3 minute advice), not tip answers.
    """
    present = [(d, n) for d, n in result.answers_left_out if result.scope.deck_present(d)]
    gone = sum(n for d, n in result.answers_left_out if not result.scope.deck_present(d))
    parts = []
    if len(present) > 2:  # a list of many decks would not fit on a line
        answers = count(sum(n for _d, n in present), "answer")
        parts.append(
            f"{answers} in {len(present)} decks without question cards (each deck's own "
            "statistics show its answers)"
        )
    elif len(present) == 2:
        (first, n1), (second, n2) = present
        parts.append(
            f"{count(n1, 'answer')} in {first} and {n2} in {second}, decks without question "
            "cards (each deck's own statistics show its answers)"
        )
    elif present:
        ((deck, n),) = present
        parts.append(
            f"{count(n, 'answer')} in {deck}, a deck without question cards (the deck's own "
            "statistics show its answers)"
        )
    if gone:
        parts.append(f"{count(gone, 'answer')} in decks no longer present")
    return f"Left out: {'; '.join(parts)}." if parts else None


def answers_table(result: Statistics, rows: int = ANSWER_ROWS) -> RenderableType:
    """Answer length, speaking time (against the 2-3 minute advice when the scope holds
    failure-question cards), and coverage, per day; then their trends; then what all decks
    leave out (answers in decks without question cards)."""
    left_out = answers_left_out_text(result)
    note = [Text(left_out, style="dim")] if left_out else []
    if not result.answers:
        return Group(Text("Answers: none in this period.", style="dim"), *note)
    low, high = ADVISED_SECONDS
    advice = result.scope.speaking_advice_applies
    shown = result.answers[-rows:]
    table = Table(
        title=f"Answers by day (advice: {ADVICE})" if advice else "Answers by day",
        title_justify="left",
    )
    table.add_column("Day", no_wrap=True)
    table.add_column("Answers", justify="right")
    table.add_column("Words", justify="right")
    table.add_column("Spoken", justify="right")
    aloud = any(day.spoken for day in shown)
    if aloud:
        table.add_column("Aloud", justify="right")
    if advice:
        table.add_column("In 2-3 min", justify="right")
    table.add_column("Coverage", justify="right")
    for day in shown:
        spoken = Text(format_seconds(day.speaking_seconds), justify="right")
        if advice and day.speaking_seconds < low:
            spoken.stylize("yellow")
        elif advice and day.speaking_seconds > high:
            spoken.stylize("red")
        measured = (
            [
                Text(
                    format_seconds(day.spoken_seconds) if day.spoken_seconds else "-",
                    justify="right",
                )
            ]
            if aloud
            else []
        )
        within = [number(f"{day.within_advice}/{day.answers}")] if advice else []
        table.add_row(
            Text(day.day),
            number(day.answers),
            number(day.words, "{:.0f}"),
            spoken,
            *measured,
            *within,
            percent(day.coverage),
        )
    trends: list[RenderableType] = []
    for trend in (coverage_trend(result), speaking_trend(result)):
        trends.append(Text(trend.caption, style="bold"))
        if trend.bars:
            trends.append(Text("  " + trend.bars, style="cyan"))
    return Group(table, *trends, *note)


def statistics_report(
    result: Statistics, catalog: DeckCatalog | LazyCatalog | None = None, width: int = 120
) -> Group:
    """Every figure, in the order a user wants them: weak points first, practice last.

    ``width`` is the terminal's: narrower than 100 columns, tables put less on each line.
    """
    parts: list[RenderableType] = [scope_line(result, catalog)]
    if result.empty:
        parts.append(empty_message(result))
        return Group(*parts)
    parts.append(due_line(result))
    if result.weak_key_points:
        parts += [Text(""), weak_points_table(result)]
    parts += [Text(""), red_flags_table(result)]
    if result.cards:
        parts += [Text(""), cards_table(result, catalog, width=width)]
    leeches = leeches_text(result)
    if leeches is not None:
        parts.append(leeches)
    parts += [
        Text(""),
        practice_text(result),
        calendar_text(result),
        Text(""),
        retention_table(result),
        Text(""),
        answers_table(result),
    ]
    return Group(*parts)
