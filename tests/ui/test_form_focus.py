"""Focus follows Tab at once, stays on the field with the error, and typing is never lost."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, Select, Static, TextArea

from failtui.ui.screens.ask_text import AskTextScreen
from failtui.ui.screens.card_editor import CardEditorScreen
from failtui.ui.screens.story_form import StoryFormScreen
from tests.ui.test_own_decks import HAND_WRITTEN, STORY, write_story


async def keys_at_once(pilot, *keys: str) -> None:
    """Hand the app several keys in one go, as a terminal does when they arrive together."""
    app = pilot.app
    for key in keys:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()


async def test_typing_straight_after_tab_goes_to_the_next_story_field(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "s", "n")
        assert isinstance(app.screen, StoryFormScreen)
        await keys_at_once(pilot, "T", "tab", "b", "tab", "c", "shift+tab", "d")
        assert app.screen.query_one("#story-title", Input).value == "T"
        assert app.screen.query_one("#story-situation", TextArea).text == "bd"
        assert app.screen.query_one("#story-task", TextArea).text == "c"


async def test_typing_into_a_story_being_edited_adds_to_its_title(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "s", "n")
        await write_story(pilot, STORY)
        await pilot.press("ctrl+s", "escape", "enter")
        title = app.screen.query_one("#story-title", Input)
        assert app.focused is title
        await pilot.press("X", "Y", "Z")
        assert title.value == "The Friday pallet countXYZ"
        await pilot.press("tab", "shift+tab", "ctrl+a", "N", "e", "w")  # ctrl+a still selects all
        assert title.value == "New"


async def test_an_invalid_new_deck_id_keeps_focus_on_the_id(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "n")
        ask = app.screen
        assert isinstance(ask, AskTextScreen)
        await pilot.press("B", "a", "d", "enter")
        assert app.focused is ask.query_one("#ask-0", Input)
        assert str(ask.query_one("#ask-problem", Static).render()) == (
            "deck id 'Bad' must be 1-64 lowercase letters, digits, '-' or '_', starting with a "
            "letter or digit"
        )


async def test_the_card_editor_starts_on_the_prompt_and_letters_pick_the_kind(
    app_factory, data_home
):
    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "mine.toml").write_text(HAND_WRITTEN)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "down", "down", "down", "down", "enter", "enter")
        editor = app.screen
        assert isinstance(editor, CardEditorScreen)
        assert app.focused is editor.query_one("#card-prompt", TextArea)
        await pilot.press("escape", "n")
        editor = app.screen
        assert isinstance(editor, CardEditorScreen)
        assert app.focused is editor.query_one("#card-prompt", TextArea)
        editor.query_one("#card-id", Input).focus()
        await keys_at_once(pilot, "x", "tab", "space", "t", "tab", "Q")
        assert editor.query_one("#card-id", Input).value == "x"
        assert editor.query_one("#card-kind", Select).value == "tip"
        assert editor.query_one("#card-prompt", TextArea).text == "Q"


async def test_a_story_field_takes_the_answer_boxs_editing_keys_and_one_clean_paste(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "s", "n", "tab")
        area = app.screen.query_one("#story-situation", TextArea)
        assert app.focused is area
        area.load_text("I ran the\nevening shift.")
        await pilot.press("ctrl+a", "N", "o", "w")
        assert area.text == "Now"
        paste = events.Paste(" \x1b[31mred\x1b[0m text")
        paste.set_sender(app)
        app.post_message(paste)  # as the terminal driver does
        await pilot.pause()
        assert area.text == "Now red text"
        await pilot.press("ctrl+home")
        assert area.cursor_location == (0, 0)
        await pilot.press("ctrl+l")
        assert area.text == ""
        await pilot.press("ctrl+z")
        assert area.text == "Now red text"


async def test_down_and_enter_typed_at_once_on_home_drill_the_deck_moved_to(app_factory):
    from failtui.ui.screens.drill import DrillScreen

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await keys_at_once(pilot, "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.session.deck_id == "failure-question"


async def test_a_date_corrected_after_ctrl_a_replaces_the_wrong_one(app_factory):
    from failtui.storage import interviews

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i", "n", *"2026-11-20", "ctrl+s")  # before today: refused
        assert str(app.screen.query_one("#interview-error", Static).render()) == (
            "2026-11-20 is before today (2026-11-23): give a date ahead"
        )
        await pilot.press("ctrl+a", *"2026-12-02", "ctrl+s")
        assert [i.day for i in interviews.interviews(app.store)] == ["2026-12-02"]


async def test_a_day_out_of_range_says_which_part_is_wrong(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i", "n", *"2027-02-30", "ctrl+s")
        assert str(app.screen.query_one("#interview-error", Static).render()) == (
            "'2027-02-30' is not a date: February 2027 has no day 30"
        )


async def test_every_one_line_form_field_takes_the_answer_boxs_editing_keys(app_factory, data_home):
    from failtui.ui.widgets.text_field import LineField

    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "mine.toml").write_text(HAND_WRITTEN)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        fields = {
            "i n": ["interview-day", "interview-title"],  # the interview form
            "o": ["set-new_cards_per_day"],  # the settings screen
            "e n": ["ask-0"],  # a new deck's id
            "e s n": ["story-title"],
            "e down down down down enter enter": ["card-id", "card-tags"],  # the card editor
        }
        for keys, ids in fields.items():
            await pilot.press(*keys.split())
            for field_id in ids:
                field = app.screen.query_one(f"#{field_id}", Input)
                assert isinstance(field, LineField), field_id
                field.focus()
                field.value = "wrong"
                await pilot.press("ctrl+home", "x", "ctrl+end", "y")
                assert field.value == "xwrongy", field_id
                await pilot.press("ctrl+a", "o", "k")
                assert field.value == "ok", field_id
                await pilot.press("ctrl+l")
                assert field.value == "", field_id
                await pilot.press("ctrl+z")
                assert field.value == "ok", field_id
            while len(app.screen_stack) > 1:
                app.pop_screen()
            await pilot.pause()
