"""Pasting into the answer box: the text lands once, and nothing pasted acts as a key."""

from __future__ import annotations

from textual import events

from failtui.ui.paste_input import PASTE_END, PASTE_START, PasteSafeParser
from failtui.ui.screens.drill import DrillScreen
from failtui.ui.widgets.answer_area import AnswerArea


def parse(*chunks: str) -> list[tuple[str, str]]:
    """What the parser makes of the chunks, read one after another, as (kind, text) pairs."""
    parser = PasteSafeParser()
    found = []
    for chunk in chunks:
        found += list(parser.feed(chunk))
    found += list(parser.feed(""))
    return [
        ("paste", event.text) if isinstance(event, events.Paste) else ("key", event.key)
        for event in found
    ]


def test_a_paste_is_one_event_whatever_it_holds():
    pasted = PASTE_START + "ab\x1b3\x07cd\x1b[2Jef\r\ngh" + PASTE_END
    assert parse("x" + pasted + "y") == [
        ("key", "x"),
        ("paste", "ab3cdef\ngh"),  # the whole "\x1b[2J" goes, not only its ESC
        ("key", "y"),
    ]


def test_a_paste_split_across_reads_is_one_event():
    assert parse("\x1b[2", "00~one \x1b", "two\x1b[20", "1~") == [("paste", "one two")]


def test_keys_outside_a_paste_are_keys():
    assert parse("a\x07") == [("key", "a"), ("key", "ctrl+g")]


async def paste_into_drill(app, pilot, *chunks: str) -> AnswerArea:
    """Feed terminal input to the app as its driver does, then return the answer box."""
    parser = PasteSafeParser()
    for chunk in chunks:
        for event in parser.feed(chunk):
            event.set_sender(app)
            app.post_message(event)
    await pilot.pause()
    return app.screen.query_one("#answer", AnswerArea)


async def test_a_paste_lands_exactly_once(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "enter")
        area = await paste_into_drill(app, pilot, PASTE_START + "hello world" + PASTE_END)
        assert area.text == "hello world"


async def test_escape_and_bell_in_a_paste_are_text_not_keys(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "enter")
        drill = app.screen
        card = drill.card
        area = await paste_into_drill(
            app,
            pilot,
            PASTE_START
            + "I\x1b3 missed\x07 it\x1b[31m, red\x1b[0m\x1b]0;title\x07\x1b"
            + PASTE_END,
        )
        assert area.text == "I3 missed it, red"
        assert app.screen is drill and isinstance(drill, DrillScreen)
        assert drill.card == card
        assert len(drill.session.rated) == 0


def test_the_app_reads_the_terminal_with_the_paste_safe_parser(app_factory):
    assert app_factory().get_driver_class().__name__ == "PasteSafeLinuxDriver"


ANSWER = "First line of a long answer.\nSecond line, the end."


async def test_select_all_jumps_and_clear_with_undo(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "enter")
        area = app.screen.query_one("#answer", AnswerArea)
        area.load_text(ANSWER)
        await pilot.press("ctrl+home")
        assert area.cursor_location == (0, 0)
        await pilot.press("ctrl+end")
        assert area.cursor_location == (1, 21)
        await pilot.press("ctrl+a")
        assert area.selected_text == ANSWER
        await pilot.press("N", "e", "w")
        assert area.text == "New"
        await pilot.press("ctrl+l")
        assert area.text == ""
        await pilot.press("ctrl+z")
        assert area.text == "New"
