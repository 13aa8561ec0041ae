"""The answer box draws exactly what Textual's TextArea draws, while typing redraws fewer rows."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import TextArea

from failtui.ui.widgets.wrapped_text_area import WrappedTextArea

PARAGRAPH = (
    "I was the shift lead at a distribution centre and I skipped the second stock check because "
    "we were behind, so forty pallets went to the wrong store and it cost us three days. "
) * 4


class SideBySide(App):
    def compose(self) -> ComposeResult:
        with Horizontal():
            yield TextArea(PARAGRAPH, soft_wrap=True, id="plain")
            yield WrappedTextArea(PARAGRAPH, soft_wrap=True, id="wrapped")


def rows(area: TextArea) -> list[str]:
    return [repr(list(area.render_line(y))) for y in range(area.size.height)]


STEPS = [
    lambda a: a.move_cursor(a.document.end),
    lambda a: a.insert("and I learned to check twice. "),
    lambda a: a.insert("x"),
    lambda a: a.move_cursor((0, 40)),
    lambda a: a.insert("X"),
    lambda a: a.move_cursor((0, 120)),
    lambda a: a.select_line(0),  # a selection: drawn by TextArea itself
    lambda a: a.move_cursor((0, 0)),
    lambda a: a.insert("\tTabbed (brackets) "),
    lambda a: a.delete((0, 0), (0, 5)),
    lambda a: a.move_cursor(a.document.end),
    lambda a: a.insert("\nA second paragraph (" + "words " * 30 + ") ends here."),
    lambda a: a.move_cursor((1, 19)),  # on a bracket: its partner, rows below, is highlighted
    lambda a: a.move_cursor((1, 25)),
    lambda a: a.move_cursor((0, 3)),
]


async def test_cached_rows_are_always_the_rows_drawn_afresh():
    app = SideBySide()
    async with app.run_test(size=(90, 24)) as pilot:
        wrapped = app.query_one("#wrapped", WrappedTextArea)
        wrapped.focus()
        await pilot.pause()
        for number, step in enumerate(STEPS):
            rows(wrapped)  # fill the cache with what was on screen before the step
            step(wrapped)
            await pilot.pause()
            fresh = [repr(list(wrapped._render_line(y))) for y in range(wrapped.size.height)]
            assert rows(wrapped) == fresh, f"stale row after step {number}"


async def test_wrapped_rows_equal_textarea_rows():
    app = SideBySide()
    async with app.run_test(size=(90, 24)) as pilot:
        plain = app.query_one("#plain", TextArea)
        wrapped = app.query_one("#wrapped", WrappedTextArea)
        for number, step in enumerate(STEPS):
            drawn = []
            for area in (plain, wrapped):
                area.focus()  # each is drawn focused, as the cursor shows only then
                step(area)
                await pilot.pause()
                drawn.append(rows(area))
            assert plain.text == wrapped.text
            assert drawn[1] == drawn[0], f"differs after step {number}"


async def test_typing_at_the_end_redraws_only_the_last_rows():
    app = SideBySide()
    async with app.run_test(size=(90, 24)) as pilot:
        wrapped = app.query_one("#wrapped", WrappedTextArea)
        wrapped.focus()
        wrapped.move_cursor(wrapped.document.end)
        await pilot.pause()
        rows(wrapped)
        drawn: list[int] = []
        real = wrapped._render_line

        def counting(y):
            drawn.append(y)
            return real(y)

        wrapped._render_line = counting
        wrapped.insert("x")
        await pilot.pause()
        rows(wrapped)
        last_text_row = wrapped.wrapped_document.height - 1 - wrapped.scroll_offset.y
        # The row typed in (and the one before, should a word move): none of the rows above.
        assert drawn and min(drawn) >= last_text_row - 1


async def test_drill_grades_a_key_before_drawing_it_and_after_an_undo(app_factory):
    from failtui.ui.screens.drill import DrillScreen

    app = app_factory(start_drill=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        graded: list[str] = []
        real = screen.session.grade

        def recording(card, answer):
            graded.append(answer)
            return real(card, answer)

        screen.session.grade = recording
        screen.area.insert("I learned")
        assert graded == ["I learned"]  # at once, inside the edit: no frame in between
        await pilot.pause()
        assert graded == ["I learned"]  # the Changed message that follows does not grade again
        assert "2 words" in str(screen.query_one("#live-panel").render())
        screen.area.undo()  # undo is not an edit: the Changed message grades it
        await pilot.pause()
        assert graded[-1] == "" and "0 words" in str(screen.query_one("#live-panel").render())
        app.exam_mode = True
        screen.area.insert("hidden")
        await pilot.pause()
        assert graded[-1] == ""  # exam mode: nothing graded while typing


async def test_after_a_resize_the_box_shows_the_text_wrapped_at_its_new_width(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Question draft QQQ and more text typed before resizing.")
        area = app.screen.query_one("#answer", WrappedTextArea)

        def shown() -> list[str]:
            """The box's first two text rows as on screen (drawn, not rendered afresh)."""
            x, y, width, _height = area.content_region
            strips = app.screen._compositor.render_strips()[y : y + 2]
            return [strip.crop(x, x + width).text.rstrip() for strip in strips]

        await pilot.resize_terminal(60, 18)
        await pilot.pause()
        assert shown() == ["Question draft QQQ and more", "text typed before resizing."]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert shown() == ["Question draft QQQ and more text typed before", "resizing."]
