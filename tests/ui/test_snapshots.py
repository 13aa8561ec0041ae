"""Snapshot tests of every screen at 100x30 with a fixed clock (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/ui --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from textual.widgets import TextArea

from tests.ui.test_drill_flow import ANSWER

SIZE = (100, 30)


async def _no_blink(pilot) -> None:
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False
    await pilot.pause()


async def _type_answer(pilot) -> None:
    area = pilot.app.screen.query_one("#answer", TextArea)
    area.cursor_blink = False
    area.insert(ANSWER)
    await pilot.pause(0.3)  # the live panel regrades after a pause in typing


def test_home(snap_compare, app_factory):
    assert snap_compare(app_factory(), terminal_size=SIZE)


def test_drill_with_live_panel(snap_compare, app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question")
    assert snap_compare(app, terminal_size=SIZE, run_before=_type_answer)


def test_feedback(snap_compare, app_factory):
    async def run_before(pilot):
        await _type_answer(pilot)
        await pilot.press("ctrl+s")

    app = app_factory(start_drill=True, deck_id="failure-question")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_summary(snap_compare, app_factory):
    async def run_before(pilot):
        await _type_answer(pilot)
        await pilot.press("ctrl+s", "enter")

    app = app_factory(start_drill=True, deck_id="failure-question", limit=1)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_history(snap_compare, app_factory):
    async def run_before(pilot):
        await _type_answer(pilot)
        await pilot.press("ctrl+s", "h")

    app = app_factory(start_drill=True, deck_id="failure-question")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, app_factory):
    async def run_before(pilot):
        await pilot.press("question_mark")

    assert snap_compare(app_factory(), terminal_size=SIZE, run_before=run_before)


def test_markup_deck_drill(snap_compare, app_factory, markup_deck):
    app = app_factory(start_drill=True, deck_id="markup")
    assert snap_compare(app, terminal_size=SIZE, run_before=_no_blink)


def test_corrections(snap_compare, app_factory):
    async def run_before(pilot):
        await _type_answer(pilot)
        await pilot.press("ctrl+s", "c", "down", "down", "down", "down", "down", "space")

    app = app_factory(start_drill=True, deck_id="failure-question")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
