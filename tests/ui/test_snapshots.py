"""Snapshot tests of every screen at 100x30 and 80x24 with a fixed clock (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/ui --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from tests.ui.test_drill_flow import ANSWER

SIZE = (100, 30)
#: Every snapshot is taken wide and at 80x24, the smallest terminal failtui supports.
SIZES = pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["wide", "80x24"])


async def _settled(pilot) -> None:
    await pilot.pause()


async def _type_answer(pilot) -> None:
    pilot.app.screen.query_one("#answer", TextArea).insert(ANSWER)
    await pilot.pause()  # the live panel regrades once the queued keys are handled


@SIZES
def test_home(size, snap_compare, app_factory):
    assert snap_compare(app_factory(), terminal_size=size)


@SIZES
def test_drill_with_live_panel(size, snap_compare, app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question")
    assert snap_compare(app, terminal_size=size, run_before=_type_answer)


@SIZES
def test_feedback(size, snap_compare, app_factory):
    async def run_before(pilot):
        await _type_answer(pilot)
        await pilot.press("ctrl+s")

    app = app_factory(start_drill=True, deck_id="failure-question")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_summary(size, snap_compare, app_factory):
    async def run_before(pilot):
        await _type_answer(pilot)
        await pilot.press("ctrl+s", "enter")

    app = app_factory(start_drill=True, deck_id="failure-question", limit=1)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_history(size, snap_compare, app_factory):
    async def run_before(pilot):
        await _type_answer(pilot)
        await pilot.press("ctrl+s", "h")

    app = app_factory(start_drill=True, deck_id="failure-question")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_help(size, snap_compare, app_factory):
    async def run_before(pilot):
        await pilot.press("question_mark")

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@SIZES
def test_markup_deck_drill(size, snap_compare, app_factory, markup_deck):
    app = app_factory(start_drill=True, deck_id="markup")
    assert snap_compare(app, terminal_size=size, run_before=_settled)


@SIZES
def test_card_browser(size, snap_compare, app_factory):
    async def run_before(pilot):
        await pilot.press("c")
        await pilot.app.workers.wait_for_complete()  # the decks are parsed in a worker

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@SIZES
def test_settings(size, snap_compare, app_factory):
    async def run_before(pilot):
        await pilot.press("o")

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@SIZES
def test_nothing_due_offers_new_cards(size, snap_compare, app_factory):
    app = app_factory()
    from failtui import user_settings

    user_settings.set_value(app.store, "new_cards_per_day", "0")

    async def run_before(pilot):
        await pilot.press("enter")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_corrections(size, snap_compare, app_factory):
    async def run_before(pilot):
        await _type_answer(pilot)
        await pilot.press("ctrl+s", "c", "down", "down", "down", "down", "down", "space")

    app = app_factory(start_drill=True, deck_id="failure-question")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SIZES
def test_interview_plan(size, snap_compare, app_factory, data_home):
    from failtui.storage import interviews, open_db

    data_home.mkdir(parents=True, exist_ok=True)
    store = open_db(data_home / "failtui.db")
    interviews.add_interview(store, "2026-11-30", "Acme", ("failure-question",), "x")
    store.close()

    async def run_before(pilot):
        await pilot.press("i")

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@SIZES
def test_speak_mode_checklist(size, snap_compare, app_factory, clock):
    async def run_before(pilot):
        clock.advance(seconds=95)
        await pilot.press("enter", "space", "down", "down", "space")

    app = app_factory(start_drill=True, deck_id="failure-question", speak=True)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
