"""The statistics screen: empty state, figures after drills, filters, refresh, literal text,
and snapshots at 100x30 with a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from failtui.decks.catalog import load_catalog
from failtui.locations import db_path
from failtui.session import DrillSession
from failtui.storage import open_db
from failtui.ui.screens.help import HelpScreen
from failtui.ui.screens.home import HomeScreen
from failtui.ui.screens.stats import StatsScreen
from failtui.ui.widgets.bar_chart import bar_chart_text
from failtui.ui.widgets.heatmap import heatmap_text, level
from tests.ui.test_drill_flow import ANSWER

SIZE = (100, 30)
WEAK = "I was a shift lead. I learned to double check."


def rate_cards(data_home, clock, plan) -> None:
    """Rate cards through the real session: ``plan`` is (days ago, card key, answer, rating)."""
    store = open_db(db_path(data_home))
    catalog = load_catalog(data_home)
    start = clock.now
    session = DrillSession(store, catalog, clock=clock, fuzz=False, tz=UTC)
    for days_ago, key, answer, rating in plan:
        clock.now = start - timedelta(days=days_ago)
        card = catalog.card_by_key(key)
        session.rate(card, answer, session.grade(card, answer), rating)
    clock.now = start
    store.close()


QUESTION = "failure-question/biggest-failure"
PLAN = [
    (6, QUESTION, WEAK, "again"),
    (3, QUESTION, ANSWER, "good"),
    (0, QUESTION, ANSWER, "good"),
    (0, "failure-question/most-recent-failure", WEAK, "hard"),
]


def cells(screen, table_id: str, column: int) -> list[str]:
    table = screen.query_one(f"#{table_id}", DataTable)
    return [str(table.get_row_at(row)[column]) for row in range(table.row_count)]


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_empty_state_explains_and_escape_goes_home(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, StatsScreen)
        empty = app.screen.query_one("#stats-empty", Static)
        assert empty.display
        assert "No statistics yet" in text_of(app.screen, "#stats-empty")
        assert "key points you forget most" in text_of(app.screen, "#stats-empty")
        assert not app.screen.query_one("#stats-tabs", TabbedContent).display
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_figures_after_drills(app_factory, data_home, clock):
    rate_cards(data_home, clock, PLAN)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        screen = app.screen
        assert not screen.query_one("#stats-empty", Static).display
        result = screen.result
        labels = cells(screen, "weak-table", 0)
        assert labels == [k.label for k in result.weak_key_points]
        # Every attempt was at a question card with the eight standard key points.
        assert {k.expected for k in result.weak_key_points} == {4}
        assert cells(screen, "weak-table", 1) == [f"{k.missed}/4" for k in result.weak_key_points]
        assert cells(screen, "weak-table", 2) == [
            f"{k.miss_rate:.0%}" for k in result.weak_key_points
        ]
        scores = [k.score for k in result.weak_key_points]
        assert scores == sorted(scores, reverse=True)
        assert "missed" in text_of(screen, "#weak-caption")
        await pilot.press("3")
        assert screen.query_one("#stats-tabs", TabbedContent).active == "cards"
        assert sorted(cells(screen, "cards-table", 0)) == [
            "biggest-failure", "most-recent-failure",
        ]  # fmt: skip
        await pilot.press("4")
        assert "4 reviews on 3 of the last 182 days" in text_of(screen, "#practice-line")
        top = text_of(screen, "#stats-top")
        assert "All decks" in top and "Due next: today" in top


async def test_figures_refresh_when_the_screen_is_shown_again(app_factory, data_home, clock):
    rate_cards(data_home, clock, PLAN[:1])
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert {k.expected for k in app.screen.result.weak_key_points} == {1}
        # A rating committed meanwhile (as from a drill) shows when the screen is back.
        session = app.new_session()
        card = app.catalog.card_by_key(QUESTION)
        session.rate(card, ANSWER, session.grade(card, ANSWER), "good")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, StatsScreen)
        assert {k.expected for k in app.screen.result.weak_key_points} == {2}
        assert cells(app.screen, "weak-table", 1) == [
            f"{k.missed}/2" for k in app.screen.result.weak_key_points
        ]


async def test_deck_and_period_filters(app_factory, data_home, clock):
    rate_cards(data_home, clock, PLAN)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "d")  # all decks -> the first deck
        screen = app.screen
        assert screen.deck_id == "failure-question"
        assert "The failure question" in text_of(screen, "#stats-top")
        await pilot.press("d")  # the tips deck: nothing rated there
        assert screen.deck_id == "failure-tips"
        assert screen.query_one("#stats-empty", Static).display
        assert "Nothing rated in this selection" in text_of(screen, "#stats-empty")
        await pilot.press("d", "d")  # pitfalls, then all decks again
        assert screen.deck_id is None
        await pilot.press("t")  # the last 7 days: the attempt 6 days ago still counts
        assert "last 7 days" in text_of(screen, "#stats-top")
        assert {k.expected for k in screen.result.weak_key_points} == {4}


async def test_deck_text_is_shown_literally(app_factory, markup_deck, clock, data_home):
    rate_cards(data_home, clock, [(0, "markup/tricky", "my boss did it", "again")])
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        assert cells(app.screen, "weak-table", 0) == ["Lesson [/b] label"]
        await pilot.press("2")
        assert cells(app.screen, "flags-table", 0) == ["Blame [@click=app.quit]x[/]"]
        assert cells(app.screen, "flags-table", 3) == ["blaming-others"]  # the pitfall card
        assert app.is_running  # the [@click=app.quit] label did not act


OWN_FLAG_DECK = """id = "own"
title = "Own"

[[cards]]
id = "deploy"
prompt = "Tell me about a failed deploy."
answer = "I shipped without a rollback plan."

[[cards.key_points]]
id = "rollback-plan"
label = "No rollback plan"
cues = ["rollback plan"]

[[cards.red_flags]]
id = "excuse"
label = "Makes excuses for the failure instead of owning the mistake and its cost"
cues = ["not my fault"]
"""


async def test_at_80_columns_the_red_flags_header_is_whole_beside_a_long_label(
    app_factory, clock, data_home
):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "own.toml").write_text(OWN_FLAG_DECK, encoding="utf-8")
    rate_cards(data_home, clock, [(0, "own/deploy", "It was not my fault.", "again")])
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "2")
        table = app.screen.query_one("#flags-table", DataTable)
        assert [str(column.label) for column in table.ordered_columns] == [
            "Red flag", "Raised", "Last", "Pitfall card to read",
        ]  # fmt: skip
        # A deck's own flag has no pitfall card: its label is cut, not the header.
        assert cells(app.screen, "flags-table", 0) == ["Makes excuses for the failure i…"]
        assert cells(app.screen, "flags-table", 3) == ["-"]
        assert table.max_scroll_x == 0


async def test_the_practice_charts_state_their_scale(app_factory, data_home, clock):
    rate_cards(data_home, clock, PLAN)  # answers on three days, each well short of 2 minutes
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "4")
        assert [
            text_of(app.screen, f"#{name}")
            for name in ("coverage-label", "coverage-trend", "seconds-label", "seconds-trend")
        ] == [
            "Coverage per day (share of key points covered, scale 0-100%)",
            "▄▆▅",
            "Speaking time per day (scale 0-3:00, top of the advised 2-3 minutes)",
            "▁▂▁",
        ]


async def test_one_practice_day_is_named_not_drawn(app_factory, data_home, clock):
    rate_cards(data_home, clock, [(0, QUESTION, WEAK, "again")])
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "4")
        screen = app.screen
        assert text_of(screen, "#coverage-label") == (
            "Coverage per day: one day so far (43% of key points covered)"
        )
        assert text_of(screen, "#seconds-label") == (
            "Speaking time per day: one day so far (0:05; advised 2-3 minutes)"
        )
        # No bar: a single one filled the width, as if 0:05 were a maximum.
        assert not screen.query_one("#coverage-trend").display
        assert not screen.query_one("#seconds-trend").display


async def test_the_speaking_advice_shows_only_for_failure_question_cards(
    app_factory, data_home, clock
):
    from tests.conftest import SMALLEST_DECK

    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "mine.toml").write_text(SMALLEST_DECK)
    rate_cards(data_home, clock, [(0, "my-deck/first", "I learned it.", "good")])
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(StatsScreen(deck_id="my-deck"))
        await pilot.press("4")
        assert text_of(app.screen, "#answers-caption") == (
            "Answers over 1 practice day; last day 2026-11-23: 3 words, 0:01 spoken, 100% covered"
        )
        assert text_of(app.screen, "#seconds-label") == (
            "Speaking time per day: one day so far (0:01)"
        )


def test_heatmap_and_bar_chart_text():
    days = (("2026-11-16", 0), ("2026-11-17", 1), ("2026-11-18", 4))
    text = heatmap_text(days)
    lines = text.plain.splitlines()
    assert lines[0].startswith("    Nov")
    assert lines[1].startswith("Mon ■")  # 2026-11-16 is a Monday
    # busiest 4: level = 1 + (n - 1) * 4 // 4 = n; no review is level 0.
    assert [level(n, 4) for n in (0, 1, 2, 4)] == [0, 1, 2, 4]
    assert [level(n, 9) for n in (1, 3, 9)] == [1, 2, 4]
    # The busiest day is the darkest however few reviews it had.
    assert [level(n, 2) for n in (1, 2)] == [2, 4]
    chart = bar_chart_text([0, 4, 8], {0: "a", 2: "c"}, height=2).plain.splitlines()
    # Scale 8 on top; the 4 fills the lower row only; the labels sit under their bars.
    assert chart == ["  8     █ ", "      █ █ ", "    a   c"]


def calendar_until(last: str, days: int = 182) -> list[str]:
    """The calendar's lines for ``days`` days ending on ``last``, no review on any."""
    end = date.fromisoformat(last)
    return heatmap_text(
        tuple(((end - timedelta(days=n)).isoformat(), 0) for n in range(days - 1, -1, -1))
    ).plain.splitlines()


def test_the_calendar_names_each_month_above_the_week_of_its_first_day():
    # 2026-12-06 is a Sunday: the last week (Mon 30 Nov to Sun 6 Dec) holds 1 December.
    lines = calendar_until("2026-12-06")
    assert lines[0] == "    Jun   Jul     Aug       Sep     Oct     Nov       Dec"
    assert lines[0].index("Dec") == len(lines[1]) - 2  # above the last week's column
    # The first week (only Sun 31 Aug shown) is not named: "Aug" would touch "Sep".
    assert calendar_until("2026-02-28")[0] == (
        "      Sep     Oct     Nov       Dec     Jan     Feb"
    )
    # The last week (from Mon 30 Nov) names December once 1 December is shown, not before.
    assert calendar_until("2026-11-30", days=7)[0] == "    Nov"
    assert calendar_until("2026-12-01", days=7)[0] == "      Dec"


# -- snapshots -----------------------------------------------------------------------------------
#: Every snapshot is taken wide and at 80x24, the smallest terminal failtui supports.
SIZES = pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["wide", "80x24"])


@SIZES
def test_snapshot_stats_empty(size, snap_compare, app_factory):
    assert snap_compare(app_factory(), terminal_size=size, press=["s"])


@SIZES
def test_snapshot_stats_weak_points(size, snap_compare, app_factory, data_home, clock):
    rate_cards(data_home, clock, PLAN)
    assert snap_compare(app_factory(), terminal_size=size, press=["s"])


@SIZES
def test_snapshot_stats_practice(size, snap_compare, app_factory, data_home, clock):
    rate_cards(data_home, clock, PLAN)
    assert snap_compare(app_factory(), terminal_size=size, press=["s", "4"])


async def test_the_red_flags_tab_says_when_none_was_raised(app_factory, data_home, clock):
    tip = "failure-tips/what-interviewer-wants"
    rate_cards(data_home, clock, [(0, tip, "They want to see I learn.", "good")])
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "2")
        screen = app.screen
        assert not screen.query_one("#flags-table", DataTable).display
        assert text_of(screen, "#flags-empty") == "Red flags: none raised."
        assert screen.query_one("#flags-empty", Static).display


async def test_all_decks_say_on_the_screen_which_answers_they_leave_out(
    app_factory, data_home, clock
):
    tip = "failure-tips/what-interviewer-wants"
    rate_cards(data_home, clock, [(0, tip, "They want to see I learn.", "good")])
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "4")
        screen = app.screen
        assert text_of(screen, "#answers-caption") == (
            "Answers: none in this period\n"
            "Left out: 1 answer in failure-tips, a deck without question cards (the deck's own "
            "statistics show its answers)."
        )
        await pilot.press("d", "d")  # the tips deck: its answer is counted there
        assert screen.deck_id == "failure-tips"
        assert text_of(screen, "#answers-caption") == (
            "Answers over 1 practice day; last day 2026-11-23: 6 words, 0:03 spoken, 33% covered"
        )


async def test_a_tab_scrolls_with_the_page_keys_and_arrows_without_tab_first(
    app_factory, data_home, clock
):
    """At 80x24 the practice figures run past the screen: the page keys and arrows scroll them
    as soon as the tab is shown, and the footer names the page keys."""
    from textual.containers import VerticalScroll

    from tests.ui.test_browser_settings import footer_keys

    rate_cards(data_home, clock, PLAN)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        assert app.screen.focused is app.screen.query_one("#weak-table", DataTable)
        await pilot.press("4")
        practice = app.screen.query_one("#practice-scroll", VerticalScroll)
        assert practice.max_scroll_y == 14  # less than a page (18 lines) more below
        await pilot.press("pagedown")
        await pilot.pause()
        assert practice.scroll_y == 14
        await pilot.press("up")
        await pilot.pause()
        assert practice.scroll_y == 13
        await pilot.press("pageup")
        await pilot.pause()
        assert practice.scroll_y == 0
        await pilot.press("down")
        await pilot.pause()
        assert practice.scroll_y == 1
        assert [shown for shown, _right in await footer_keys(pilot)] == [
            "Help", "pgup", "pgdn", "Scroll", "Back", "Deck", "Period", "1", "2", "3", "4", "Tabs",
        ]  # fmt: skip
        # The cards tab: its table has the arrows and the page keys, its cursor moving.
        await pilot.press("3")
        table = app.screen.query_one("#cards-table", DataTable)
        assert app.screen.focused is table
        await pilot.press("down")
        assert table.cursor_row == 1
