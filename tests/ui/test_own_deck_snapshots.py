"""Snapshots of the own-deck screens at 100x30 and 80x24, fixed clock (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/ui --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, TextArea

from failtui.ui.screens.card_editor import PREVIEW_DELAY
from tests.ui.test_own_decks import HAND_WRITTEN, STORY

SIZE = (100, 30)
#: Every snapshot is taken wide and at 80x24, the smallest terminal failtui supports.
SIZES = pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["wide", "80x24"])


def _install(data_home) -> None:
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "mine.toml").write_text(HAND_WRITTEN, encoding="utf-8")


async def _past_the_preview(pilot) -> None:
    """Wait until the card editor's preview timer has fired and its grade is drawn."""
    await pilot.pause()  # the change is handled and the timer started
    await pilot.pause(PREVIEW_DELAY)
    await pilot.pause()


@SIZES
def test_deck_list(size, snap_compare, app_factory, data_home, markup_deck):
    _install(data_home)

    async def run_before(pilot):
        await pilot.press("e")

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@SIZES
def test_card_editor_with_preview(size, snap_compare, app_factory, data_home):
    _install(data_home)

    async def run_before(pilot):
        await pilot.press("e")
        table = pilot.app.screen.query_one("#deck-table", DataTable)
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("enter")
        await pilot.press("enter")
        pilot.app.screen.query_one("#sample-answer", TextArea).load_text(
            "It was my mistake: I should have flagged the delay. My boss was furious."
        )
        await _past_the_preview(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@SIZES
def test_story_form(size, snap_compare, app_factory):
    async def run_before(pilot):
        await pilot.press("e", "s", "n")
        for selector, text in STORY.items():
            widget = pilot.app.screen.query_one(selector)
            if isinstance(widget, TextArea):
                widget.load_text(text)
            else:
                widget.value = text
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)
