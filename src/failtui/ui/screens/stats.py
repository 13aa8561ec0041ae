"""Statistics (``s`` from home): weak key points, red flags, cards, and practice.

The figures are computed again whenever the screen is shown, so a rating committed in a drill
appears the next time the user opens or returns to it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    DataTable,
    Header,
    Static,
    TabbedContent,
    TabPane,
)

from failtui.report import format_seconds
from failtui.stats import Statistics, collect_statistics, make_scope
from failtui.stats_report import (
    ADVICE,
    NO_RED_FLAGS,
    answers_left_out_text,
    coverage_trend,
    due_in,
    empty_message,
    speaking_trend,
    trend_text,
)
from failtui.textclean import one_line
from failtui.ui.keys import HELP, SCROLL_PAGE_BINDINGS
from failtui.ui.screens.base import FailtuiFooter, FailtuiScreen
from failtui.ui.widgets.bar_chart import BarChart
from failtui.ui.widgets.heatmap import ReviewHeatmap
from failtui.words import count

#: The periods ``t`` cycles through (None: all history).
PERIODS = (None, 7, 30, 90)
#: Rows of the card table (the slowest widget to fill); the rest are counted, not listed.
CARD_ROWS = 200
TABS = ("weak", "flags", "cards", "practice")
#: What each tab shows that the arrows and page keys move through: it takes the focus when the
#: tab is shown, so they work without tab first.
TAB_CONTENT = {
    "weak": "#weak-table",
    "flags": "#flags-table",
    "cards": "#cards-table",
    "practice": "#practice-scroll",
}
#: The footer's one entry for the keys that show a tab (their names are on the tabs).
TAB_KEYS = Binding.Group("Tabs")


def _right(value: str) -> Text:
    return Text(value, justify="right")


#: From this width every column is shown; below it (80 columns) the tables are narrower.
WIDE = 100
#: The red flags table's last column: the pitfall card that helps, by its id.
PITFALL_HEADER = "Pitfall card to read"
#: The groups of the weak points list, in order: (group, heading).
WEAK_GROUPS = (("question", "The question"), ("tip-pitfall", "Tips and pitfalls"))


def _cut(text: str, width: int) -> str:
    """``text`` on one line, at most ``width`` characters (cut with "…")."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _percent(value: float | None) -> Text:
    return _right("-" if value is None else f"{value:.0%}")


class StatsScreen(FailtuiScreen):
    """Tabs of figures over the whole history, one deck, or the last N days."""

    DEFAULT_CSS = """
    StatsScreen #stats-top { height: auto; padding: 0 2; }
    StatsScreen #stats-empty { height: auto; padding: 1 2; }
    StatsScreen #stats-tabs { height: 1fr; }
    StatsScreen TabPane { padding: 0 1; height: 1fr; }
    StatsScreen DataTable { height: 1fr; }
    StatsScreen #weak-table { height: 1fr; }
    StatsScreen #weak-detail { height: auto; padding-top: 1; }
    StatsScreen #coverage-trend, StatsScreen #seconds-trend {
        height: auto; margin-bottom: 1;
    }
    StatsScreen #leeches { height: auto; max-height: 8; }
    StatsScreen #retention-table { height: auto; max-height: 8; width: auto; }
    StatsScreen .section { height: auto; text-style: bold; margin-top: 1; }
    StatsScreen .note { height: auto; }
    """

    HELP_SECTION = "Statistics"
    BINDINGS = [
        HELP,
        # Next to Help, where the focused table puts them too: the footer keeps one order.
        *SCROLL_PAGE_BINDINGS,
        Binding("escape", "app.pop_screen", "Back"),
        Binding("d", "next_deck", "Deck"),
        Binding("t", "next_period", "Period"),
        Binding("1", "tab('weak')", "Weak points", group=TAB_KEYS),
        Binding("2", "tab('flags')", "Red flags", group=TAB_KEYS),
        Binding("3", "tab('cards')", "Cards", group=TAB_KEYS),
        Binding("4", "tab('practice')", "Practice", group=TAB_KEYS),
    ]

    def __init__(self, deck_id: str | None = None, days: int | None = None):
        super().__init__()
        self.deck_id = deck_id
        self.days = days
        self.result: Statistics | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="stats-top")
        yield Static(id="stats-empty")
        with TabbedContent(id="stats-tabs"):
            with TabPane("Weak points", id="weak"), Vertical():
                yield DataTable(id="weak-table", cursor_type="row", zebra_stripes=True)
                with Vertical(id="weak-detail"):
                    yield Static(id="weak-caption", classes="note")
                    yield BarChart(height=3, bar_width=7, style="red", id="weak-trend")
                    yield Static(id="weak-tip", classes="note")
            with TabPane("Red flags", id="flags"), Vertical():
                yield DataTable(id="flags-table", cursor_type="row", zebra_stripes=True)
                yield Static(Text(NO_RED_FLAGS, style="green"), id="flags-empty", classes="note")
            with TabPane("Cards", id="cards"), Vertical():
                yield DataTable(id="cards-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="leeches", classes="note")
            with TabPane("Practice", id="practice"), VerticalScroll(id="practice-scroll"):
                yield Static(id="practice-line", classes="note")
                yield ReviewHeatmap(id="heatmap")
                yield Static("Cards due in the next 30 days", classes="section")
                yield BarChart(id="forecast")
                yield Static("True retention by month", classes="section")
                yield DataTable(id="retention-table", cursor_type="none")
                yield Static(id="retention-empty", classes="note")
                yield Static(id="answers-caption", classes="section")
                yield Static(id="coverage-label", classes="note")
                yield Static(id="coverage-trend")
                yield Static(id="seconds-label", classes="note")
                yield Static(id="seconds-trend")
        yield FailtuiFooter()

    def on_mount(self) -> None:
        self._columns("weak-table", "Key point", "Missed", "Rate", "Lately")
        self._columns("flags-table", "Red flag", "Raised", "Last", PITFALL_HEADER)
        self._narrow = self.app.size.width < WIDE
        if self._narrow:
            # At 80 columns: no deck column (the deck is in the card's key in the caption).
            self._columns("cards-table", "Card", "Recall", "Stab.", "Diff.", "Laps", "Cov.", "Due")
            self.query_one("#weak-trend", BarChart).bar_width = 6
        else:
            self._columns(
                "cards-table", "Card", "Recall", "Stab.", "Diff.", "Lapses", "Coverage", "Due",
                "Deck",
            )  # fmt: skip
        self._columns("retention-table", "Month", "Reviews", "Recalled", "Retention")
        self.refresh_figures()

    def on_screen_resume(self) -> None:
        self.refresh_figures()

    def _columns(self, table_id: str, *labels: str) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        for label in labels:
            table.add_column(label, key=label)

    # -- figures ---------------------------------------------------------------------------------
    def refresh_figures(self) -> None:
        """Compute every figure again from the store and redraw."""
        app = self.app
        scope = make_scope(
            app.store,
            app.clock(),
            deck_id=self.deck_id,
            days=self.days,
            tz=app.tz,
            catalog=app.catalog,
        )
        self.result = result = collect_statistics(app.store, scope, app.catalog)
        self.query_one("#stats-top", Static).update(self._top_line(result))
        empty = self.query_one("#stats-empty", Static)
        tabs = self.query_one("#stats-tabs", TabbedContent)
        empty.display = result.empty
        tabs.display = not result.empty
        self.refresh_bindings()  # the page keys are shown while there are tabs to scroll
        if result.empty:
            empty.update(empty_message(result))
            return
        self._fill_weak(result)
        self._fill_flags(result)
        self._fill_cards(result)
        self._fill_practice(result)

    def _top_line(self, result: Statistics) -> Text:
        deck = "All decks"
        if self.deck_id is not None:
            found = self.app.catalog.deck(self.deck_id)
            deck = (
                one_line(found.title, max(20, self.app.size.width - 44)) if found else self.deck_id
            )
        text = Text()
        text.append(deck, style="bold")
        period = "all history" if self.days is None else f"last {count(self.days, 'day')}"
        text.append(f" · {period}", style="bold")
        text.append("   (d: deck, t: period)\n", style="dim")
        counts = [n for _d, n in result.forecast.days]
        text.append("Due next: ", style="bold")
        text.append(f"today {counts[0]} · tomorrow {counts[1]} · next 7 days {sum(counts[:7])}")
        cal = result.calendar
        text.append(f"   Streak: {count(cal.streak_days, 'day')}")
        return text

    def _fill_weak(self, result: Statistics) -> None:
        """Key points in two groups (the question's, then the tips' and pitfalls'), worst first.

        Each row shows "missed of expected" and the miss rate; the label is cut to what the
        screen leaves (the caption below shows it whole).
        """
        table = self.query_one("#weak-table", DataTable)
        table.clear()
        self._weak_rows: list[int | None] = []  # the point of each table row (None: a heading)
        points = list(enumerate(result.weak_key_points))
        groups = [
            (name, [(i, p) for i, p in points if p.group == group]) for group, name in WEAK_GROUPS
        ]
        label_width = max(16, self.app.size.width - 44)
        for name, members in groups:
            if not members:
                continue
            if len([g for g in groups if g[1]]) > 1:
                table.add_row(Text(name, style="bold underline"), Text(""), Text(""), Text(""))
                self._weak_rows.append(None)
            for index, point in members:
                label = point.label
                if len(label) > label_width:
                    label = label[: label_width - 1] + "…"
                table.add_row(
                    Text(label),
                    _right(f"{point.missed}/{point.expected}"),
                    _percent(point.miss_rate),
                    trend_text(point),
                    key=point.id,
                )
                self._weak_rows.append(index)
        if result.weak_key_points:
            first, index = next((i, x) for i, x in enumerate(self._weak_rows) if x is not None)
            table.move_cursor(row=first)
            self._show_key_point(index)
        else:
            self.query_one("#weak-caption", Static).update(
                Text("No key points graded in this selection.")
            )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "weak-table" and self.result is not None:
            rows = getattr(self, "_weak_rows", [])
            if 0 <= event.cursor_row < len(rows) and rows[event.cursor_row] is not None:
                self._show_key_point(rows[event.cursor_row])

    def _show_key_point(self, index: int) -> None:
        if self.result is None or not 0 <= index < len(self.result.weak_key_points):
            return
        point = self.result.weak_key_points[index]
        caption = Text()
        caption.append(point.label, style="bold")
        caption.append(
            f": missed {point.missed} of {point.expected} ({point.miss_rate:.0%}); "
            f"miss rate (%) on its last {count(len(point.trend), 'practice day')}:"
        )
        self.query_one("#weak-caption", Static).update(caption)
        self.query_one("#weak-trend", BarChart).show(
            [round(rate * 100) for rate in point.trend],
            {n: day[5:] for n, day in enumerate(point.trend_days)},
            top=100,
        )
        tip = Text()
        prompt = self.result.prompts.get(point.tip or "")
        if prompt:
            tip.append("Tip that helps: ", style="bold")
            tip.append(prompt)
            tip.append(f"  ({point.tip})", style="dim")
        elif hint := self.result.hints.get(point.id):
            tip.append("Hint: ", style="bold")
            tip.append(hint)
        self.query_one("#weak-tip", Static).update(tip)

    def _fill_flags(self, result: Statistics) -> None:
        table = self.query_one("#flags-table", DataTable)
        table.clear()
        width = self.app.size.width
        # The pitfall card by its id: every pitfall's prompt starts alike ("A candidate
        # says: ..."), so a prompt cut to fit says nothing; the id is short and names it (the
        # card browser finds it, d drills it).
        pitfalls = {f.id: (f.pitfall or "-").partition("/")[2] or "-" for f in result.red_flags}
        # The column is as wide as its header when the ids are shorter (or "-", a deck's own flag).
        pitfall_width = max([len(PITFALL_HEADER), *(len(p) for p in pitfalls.values())])
        table.display = bool(result.red_flags)
        self.query_one("#flags-empty", Static).display = not result.red_flags
        for flag in result.red_flags:
            label = _cut(flag.label, max(12, width - pitfall_width - 28))
            table.add_row(
                Text(label),
                _right(str(flag.raised)),
                Text(flag.last_day),
                Text(pitfalls[flag.id], style="dim"),
                key=flag.id,
            )

    def _fill_cards(self, result: Statistics) -> None:
        table = self.query_one("#cards-table", DataTable)
        table.clear()
        now = result.scope.now
        id_width = max(12, self.app.size.width - 50)
        for card in result.cards[:CARD_ROWS]:
            card_id = card.card_key.partition("/")[2]
            if self._narrow and len(card_id) + (6 if card.leech else 0) > id_width:
                card_id = card_id[: id_width - (7 if card.leech else 1)] + "…"
            label = Text(card_id)
            if card.leech:
                label.append(" leech", style="bold red")
            cells = [
                label,
                _percent(card.retrievability),
                _right(f"{card.stability:.1f}d"),
                _right(f"{card.difficulty:.1f}"),
                _right(str(card.lapses)),
                _percent(card.last_coverage),
                Text(due_in(card.due, now)),
                Text(card.deck_id, style="dim"),
            ]
            table.add_row(*cells[:7] if self._narrow else cells, key=card.card_key)
        note = Text()
        if len(result.cards) > CARD_ROWS:
            cards = count(len(result.cards), "card")
            note.append(f"The {CARD_ROWS} of {cards} most likely forgotten.\n")
        if result.leeches:
            note.append("Leeches (failed again and again)\n", style="bold red")
            for card in result.leeches:
                note.append(f"{card.card_key}: ", style="bold")
                note.append(f"{card.leech}\n")
        else:
            note.append("No leeches: no card keeps failing.", style="dim")
        self.query_one("#leeches", Static).update(note)

    def _fill_practice(self, result: Statistics) -> None:
        cal = result.calendar
        line = Text()
        line.append("Practice: ", style="bold")
        line.append(
            f"{count(cal.total, 'review')} on {cal.days_studied} of the last "
            f"{count(len(cal.days), 'day')}, "
            f"{cal.per_study_day:.1f} per study day; streak {count(cal.streak_days, 'day')}"
        )
        self.query_one("#practice-line", Static).update(line)
        self.query_one("#heatmap", ReviewHeatmap).show(cal.days, cal.interview_days)
        counts = [n for _d, n in result.forecast.days]
        self.query_one("#forecast", BarChart).show(
            counts, {0: "today", 7: "+7d", 14: "+14d", 21: "+21d"}
        )
        retention = self.query_one("#retention-table", DataTable)
        retention.clear()
        for month in result.retention:
            retention.add_row(
                Text(month.month),
                _right(str(month.reviews)),
                _right(str(month.recalled)),
                _percent(month.retention),
            )
        retention.display = bool(result.retention)
        empty = self.query_one("#retention-empty", Static)
        empty.display = not result.retention
        empty.update(
            Text(
                "None yet: it counts reviews of cards past learning, so it appears once "
                "cards come back after days.",
                style="dim",
            )
        )
        answers = result.answers
        advice = result.scope.speaking_advice_applies
        caption = self.query_one("#answers-caption", Static)
        if not answers:
            caption_text = Text("Answers: none in this period")
        else:
            last = answers[-1]
            caption_text = Text(
                f"Answers over {count(len(answers), 'practice day')}"
                + (f" (advice: {ADVICE})" if advice else "")
                + f"; last day {last.day}: "
                f"{count(round(last.words), 'word')}, "
                f"{format_seconds(last.speaking_seconds)} spoken, "
                + (
                    f"{last.spoken} said aloud in {format_seconds(last.spoken_seconds)}, "
                    if last.spoken and last.spoken_seconds is not None
                    else ""
                )
                + f"{last.coverage:.0%} covered"
            )
        left_out = answers_left_out_text(result)
        if left_out:
            caption_text.append("\n" + left_out, style="dim")
        caption.update(caption_text)
        trends = (
            ("coverage", coverage_trend(result) if answers else None),
            ("seconds", speaking_trend(result) if answers else None),
        )
        for name, trend in trends:
            label = self.query_one(f"#{name}-label", Static)
            bars = self.query_one(f"#{name}-trend", Static)
            label.display = trend is not None
            # One day has no trend: its caption says so, and no bar stands for a scale.
            bars.display = trend is not None and bool(trend.bars)
            if trend is not None:
                label.update(Text(trend.caption, style="dim"))
                bars.update(Text(trend.bars, style="cyan"))

    # -- actions ---------------------------------------------------------------------------------
    def action_next_deck(self) -> None:
        """Cycle the deck filter: all decks, then each deck in turn."""
        decks = [None, *(d.id for d in self.app.catalog.decks)]
        index = decks.index(self.deck_id) if self.deck_id in decks else 0
        self.deck_id = decks[(index + 1) % len(decks)]
        self.refresh_figures()

    def action_next_period(self) -> None:
        """Cycle the period: all history, the last 7, 30 and 90 days."""
        index = PERIODS.index(self.days) if self.days in PERIODS else 0
        self.days = PERIODS[(index + 1) % len(PERIODS)]
        self.refresh_figures()

    def _tab_content(self) -> Widget | None:
        """What the shown tab scrolls through (its table, or the practice figures), if shown."""
        tabs = self.query_one("#stats-tabs", TabbedContent)
        selector = TAB_CONTENT.get(tabs.active)
        if not tabs.display or selector is None:
            return None
        content = self.query_one(selector)
        return content if content.display else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The page keys are shown while there are figures (no tabs, nothing to scroll)."""
        if action == "scroll_page":
            return self.result is not None and not self.result.empty
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        content = self._tab_content()
        if content is not None:
            content.focus()

    def action_scroll_page(self, direction: str) -> None:
        """Page the shown tab ``up`` or ``down`` (a table's cursor moves a page, as its own
        page keys would)."""
        content = self._tab_content()
        if content is None:
            return
        if direction == "up":
            content.action_page_up()
        else:
            content.action_page_down()

    def action_tab(self, tab: str) -> None:
        """Show one of the tabs."""
        tabs = self.query_one("#stats-tabs", TabbedContent)
        if tabs.display:
            tabs.active = tab
