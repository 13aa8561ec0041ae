"""The card browser, the settings screen, new cards after the limit, help sections, footers."""

from __future__ import annotations

import threading
from datetime import timedelta

from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Select, Static
from textual.widgets._footer import FooterKey

from failtui import user_settings
from failtui.ui.screens import browser as browser_module
from failtui.ui.screens.browser import ANY, CardBrowserScreen
from failtui.ui.screens.card_editor import CardEditorScreen
from failtui.ui.screens.choice import ChoiceScreen
from failtui.ui.screens.drill import DrillScreen
from failtui.ui.screens.help import KEYS, HelpScreen
from failtui.ui.screens.home import ALL_DECKS, HomeScreen
from failtui.ui.screens.settings import SettingsScreen
from failtui.ui.screens.summary import SummaryScreen
from tests.conftest import SMALLEST_DECK
from tests.ui.test_drill_flow import own_footer_keys


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def row_cells(table: DataTable, row: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(row)]


async def open_browser(pilot) -> CardBrowserScreen:
    """Open the card browser from the home screen, its decks parsed (a worker parses them)."""
    await pilot.press("c")
    await pilot.app.workers.wait_for_complete()
    browser = pilot.app.screen
    assert isinstance(browser, CardBrowserScreen)
    return browser


async def test_browser_suspends_buries_forgets_and_undoes_each(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        table = browser.query_one("#browser-table", DataTable)
        assert table.row_count == 85
        assert row_cells(table, 0) == [
            "failure-question/biggest-failure", "question", "new", "-", "-", "0", "-",
        ]  # fmt: skip
        await pilot.press("g")
        assert row_cells(table, 0)[2] == "suspended"
        await pilot.press("g")
        assert row_cells(table, 0)[2] == "new"
        await pilot.press("b")
        assert row_cells(table, 0)[2] == "buried"
        await pilot.press("b")
        assert row_cells(table, 0)[2] == "new"
        await pilot.press("f")
        assert isinstance(app.screen, ChoiceScreen)
        assert own_footer_keys(app.screen) == [("question_mark", "Help"), ("escape", "Cancel")]
        await pilot.press("escape")
        assert app.screen is browser


async def test_browser_filters_by_text_and_drills_a_card_now(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        await pilot.press("slash")
        browser.query_one("#browser-text", Input).value = "missed-deadline"
        await pilot.pause()
        table = browser.query_one("#browser-table", DataTable)
        assert [row_cells(table, r)[0] for r in range(table.row_count)] == [
            "failure-question/missed-deadline"
        ]
        await pilot.press("enter", "d")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.card.key == "failure-question/missed-deadline"
        # Its summary's enter goes back to the browser, and names it.
        await pilot.press("ctrl+s", "enter")
        assert isinstance(app.screen, SummaryScreen)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert summary.splitlines()[-1] == (
            "enter: Cards   u: undo the last rating   p: practise ahead"
        )
        assert ("enter", "Cards") in own_footer_keys(app.screen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is browser


async def test_a_suspended_card_comes_back_from_the_browser(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(120, 40)) as pilot:
        card = app.screen.card
        await pilot.press("ctrl+g")  # suspended from the drill
        await pilot.press("escape")
        browser = await open_browser(pilot)
        browser.query_one("#browser-state", expect_type=None).value = "suspended"
        await pilot.pause()
        table = browser.query_one("#browser-table", DataTable)
        assert [row_cells(table, r)[0] for r in range(table.row_count)] == [card.key]
        await pilot.press("g")
        assert table.row_count == 0
        assert str(browser.query_one("#browser-status", Static).render()) == "No card matches."


async def test_browser_enter_edits_an_own_card_and_says_a_built_in_one_is_read_only(
    app_factory, data_home
):
    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "mine.toml").write_text(SMALLEST_DECK)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        browser = await open_browser(pilot)
        table = browser.query_one("#browser-table", DataTable)
        assert browser.selected().key == "failure-question/biggest-failure"
        await pilot.press("enter")
        assert app.screen is browser
        (note,) = app._notifications
        assert note.message == (
            "Built-in cards are read-only: in the deck list (e), c copies the deck to your "
            "decks, where you can edit it."
        )
        await pilot.press("slash")
        browser.query_one("#browser-text", Input).value = "my-deck/first"
        await pilot.press("enter")  # the filter's enter: back to the table, nothing opened
        assert app.screen is browser and app.focused is table
        await pilot.press("enter")
        editor = app.screen
        assert isinstance(editor, CardEditorScreen)
        assert (editor.deck_id, editor.original_id) == ("my-deck", "first")


async def test_settings_screen_names_a_bad_value_keeps_focus_and_saves_good_ones(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        field = screen.query_one("#set-new_cards_per_day", Input)
        field.value = "lots"
        await pilot.press("ctrl+s")
        assert str(screen.query_one("#settings-error", Static).render()) == (
            "new_cards_per_day: 'lots' is not a whole number from 0 to 9999"
        )
        assert app.focused is field
        assert user_settings.get(app.store, "new_cards_per_day") == 10
        field.value = "\uff15"  # a fullwidth 5, which int() would read
        await pilot.press("ctrl+s")
        assert str(screen.query_one("#settings-error", Static).render()) == (
            "new_cards_per_day: '\uff15' is not a whole number from 0 to 9999"
        )
        assert user_settings.get(app.store, "new_cards_per_day") == 10
        field.value = "3"
        screen.query_one("#set-day_starts_at", Input).value = "6"
        await pilot.press("ctrl+s")
        assert str(screen.query_one("#settings-error", Static).render()) == ""
        assert user_settings.listing(app.store)[:4] == [
            ("new_cards_per_day", "3"), ("reviews_per_day", "200"),
            ("desired_retention", "0.9"), ("day_starts_at", "6"),
        ]  # fmt: skip


async def test_settings_screen_names_every_bad_value_and_saves_none(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        screen = app.screen
        new_cards = screen.query_one("#set-new_cards_per_day", Input)
        new_cards.value = "1.5"
        screen.query_one("#set-reviews_per_day", Input).value = ""
        screen.query_one("#set-desired_retention", Input).value = "0.8"
        await pilot.press("ctrl+s")
        assert text_of(screen, "#settings-error").splitlines() == [
            "new_cards_per_day: '1.5' is not a whole number from 0 to 9999",
            "reviews_per_day: '' is not a whole number from 0 to 99999",
        ]
        assert app.focused is new_cards
        assert user_settings.listing(app.store)[:3] == [
            ("new_cards_per_day", "10"), ("reviews_per_day", "200"),
            ("desired_retention", "0.9"),
        ]  # fmt: skip


async def test_a_settings_error_goes_once_its_field_is_changed(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        screen = app.screen
        new_cards = screen.query_one("#set-new_cards_per_day", Input)
        new_cards.value = "1.5"
        screen.query_one("#set-reviews_per_day", Input).value = "lots"
        await pilot.press("ctrl+s")
        assert app.focused is new_cards
        await pilot.press("backspace", "backspace")  # "1": the error about "1.5" goes
        assert text_of(screen, "#settings-error").splitlines() == [
            "reviews_per_day: 'lots' is not a whole number from 0 to 99999",
        ]
        screen.query_one("#set-desired_retention", Input).value = "0.8"  # another field
        await pilot.pause()
        assert text_of(screen, "#settings-error").splitlines() == [
            "reviews_per_day: 'lots' is not a whole number from 0 to 99999",
        ]
        screen.query_one("#set-reviews_per_day", Input).value = "100"
        await pilot.pause()
        assert text_of(screen, "#settings-error") == ""


async def test_settings_screen_asks_before_unsaved_values_are_left_behind(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o", "escape")  # nothing changed: straight back
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("o")
        screen = app.screen
        screen.query_one("#set-new_cards_per_day", Input).value = "4"
        await pilot.press("escape")
        assert isinstance(app.screen, ChoiceScreen)
        assert text_of(app.screen, "#choice-question") == "These settings have unsaved changes."
        await pilot.press("down", "down", "enter")  # go on editing
        assert app.screen is screen
        assert screen.query_one("#set-new_cards_per_day", Input).value == "4"
        scope = screen.query_one("#settings-scope", Select)
        scope.value = "failure-question"  # another scope: asks too, and stays meanwhile
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")  # discard them and leave (for the deck's settings)
        await pilot.pause()
        assert app.screen is screen
        assert (screen.deck_id, scope.value) == ("failure-question", "failure-question")
        assert user_settings.get(app.store, "new_cards_per_day") == 10
        screen.query_one("#set-new_cards_per_day", Input).value = "6"
        await pilot.press("escape", "enter")  # save them, then leave
        assert isinstance(app.screen, HomeScreen)
        assert user_settings.get(app.store, "new_cards_per_day", "failure-question") == 6
        assert user_settings.get(app.store, "new_cards_per_day") == 10


async def test_settings_screen_says_when_the_overall_limit_caps_a_deck(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        screen = app.screen
        screen.query_one("#settings-scope", Select).value = "failure-question"
        await pilot.pause()
        screen.query_one("#set-new_cards_per_day", Input).value = "25"
        await pilot.press("ctrl+s")
        assert [n.message for n in app._notifications] == [
            "Settings saved (for failure-question).\n"
            "note: failure-question's new_cards_per_day (25) is above the overall 10, "
            "which caps it"
        ]
        assert user_settings.get(app.store, "new_cards_per_day", "failure-question") == 25


async def test_new_cards_of_a_fresh_import_can_be_studied_after_the_limit(app_factory):
    app = app_factory()
    user_settings.set_value(app.store, "new_cards_per_day", "0")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        text = str(summary.query_one("#summary", Static).render()).splitlines()
        assert text[2:4] == [
            "Today's new cards are used up (new_cards_per_day is 0): 27 new cards wait.",
            "Press n to study the 27 new cards now, p to practise ahead, or come back tomorrow.",
        ]
        await pilot.press("p")  # practise ahead has nothing: it points at n
        assert app.screen is summary
        await pilot.press("n")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.card.key == "failure-question/biggest-failure"


async def test_help_opens_at_the_section_of_its_screen(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.section == "Card browser"
        scroll = help_screen.query_one("#help", VerticalScroll)
        index = [name for name, _keys in KEYS].index("Card browser")
        target = help_screen.query_one(f"#help-{index}")
        assert scroll.scroll_y == target.virtual_region.y
        assert scroll.scroll_y > 0


async def footer_keys(pilot) -> list[tuple[str, int]]:
    """(description, right edge) of each key the footer shows; a group of keys under one label
    (``pgup pgdn Scroll``) is each key as shown, then the label."""
    await pilot.pause()
    shown = pilot.app.screen.query("FooterKey, FooterLabel")
    return [
        (
            k.description or k.key_display if isinstance(k, FooterKey) else str(k.render()),
            k.region.right,
        )
        for k in shown
        if k.region.width
    ]


#: At 80 columns: p (practise ahead) is named on home when nothing is left to drill instead.
HOME_KEYS = [
    "Help", "Drill", "Stats", "Decks", "Cards", "Settings", "Plan", "Reload", "Undo", "Quit",
]  # fmt: skip
DRILL_KEYS = ["Help", "Submit", "Exam", "Say", "History", "Bury", "Suspend", "Undo", "Home"]


async def test_every_main_screen_footer_starts_with_help_and_fits_80_columns(app_factory):
    expected = {
        "": HOME_KEYS,
        "c": ["Help", "Edit", "Filter", "Suspend±", "Bury±", "Forget", "Drill now", "Back"],
        "o": ["Help", "Save", "Back"],
        # The tabs' names are on the tabs: the footer names the keys that show them (and no
        # page keys: no statistics yet, nothing to scroll).
        "s": ["Help", "Back", "Deck", "Period", "1", "2", "3", "4", "Tabs"],
        "e": ["Help", "Cards", "New", "Copy", "Rename", "Delete", "Stories", "Reload", "Back"],
        "down enter": DRILL_KEYS,
        "down enter f2": ["Help", "Done", "Restart", "Type", "Undo", "Home"],
        "down enter f2 enter": [
            "Help",
            "Rate Again",  # enter, once done speaking: the rating the ticks suggest
            "Tick",  # space; 1-4 are listed in the ratings' own row above the footer
            "Type",
            "Undo",
            "Home",
        ],
        "i": ["Help", "New interview", "Remove", "Drill", "Back"],  # no interview, no plan
        "down enter ctrl+s": [
            "Help",
            "Again",
            "Hard",
            "Good",
            "Easy",
            "Suggest",
            "Correct",
            "Undo",
            "Past",
            "Edit",
        ],
        "down enter ctrl+o": ["Help", "Back"],
        "down enter ctrl+s 3 escape": HOME_KEYS,
        "e s": ["Help", "Edit", "New story", "Drill it", "Active story", "Delete", "Back"],
        "e s n": ["Help", "Save", "Back"],
        "e enter": ["Help", "Edit", "Filter", "Follow-ups", "Back"],  # a built-in deck
        "e enter f": ["Help", "Back"],  # a built-in deck's follow-ups: read-only
    }
    for keys, shown in expected.items():
        async with app_factory().run_test(size=(80, 24)) as pilot:
            for key in keys.split():
                await pilot.press(key)
            found = await footer_keys(pilot)
            assert [d for d, _right in found] == shown, keys
            assert max(right for _d, right in found) <= 80, (keys, found)


async def test_home_footer_lists_undo_and_from_100_columns_practise_ahead(app_factory):
    async with app_factory().run_test(size=(100, 30)) as pilot:
        found = await footer_keys(pilot)
        assert [d for d, _right in found] == [
            "Help", "Drill", "Ahead", "Stats", "Decks", "Cards", "Settings", "Plan", "Reload",
            "Undo", "Quit", "palette",
        ]  # fmt: skip
        assert max(right for _d, right in found) <= 100
    async with app_factory().run_test(size=(80, 24)) as pilot:
        await pilot.press("p")  # left out of the footer at 80 columns, and still works
        assert type(pilot.app.screen).__name__ == "DrillScreen"


async def test_home_says_new_cards_wait_past_the_limit(app_factory):
    app = app_factory()
    user_settings.set_value(app.store, "new_cards_per_day", "0")
    async with app.run_test(size=(120, 40)):
        assert str(app.screen.query_one("#overview", Static).render()) == (
            "Today: 0 reviews   Streak: 0 days   All done for now; 85 new cards past today's "
            "limit (enter, then n studies them)"
        )


async def test_a_theme_chosen_in_the_app_is_remembered(app_factory, data_home):
    from failtui.storage import open_db

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    store = open_db(data_home / "failtui.db")
    assert user_settings.get(store, "theme") == "nord"
    store.close()
    again = app_factory()
    async with again.run_test(size=(80, 24)):
        assert again.theme == "nord"


async def test_browser_deck_and_state_lists_are_chosen_with_the_keyboard(app_factory):
    """Enter in an open filter list chooses the option; it does not edit the card behind."""
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "c")  # home's highlighted deck: the failure question
        browser = app.screen
        deck = browser.query_one("#browser-deck", Select)
        assert deck.value == "failure-question"
        deck.focus()
        await pilot.press("enter", "up", "enter")  # open the list, "All decks", choose it
        await pilot.pause()
        assert deck.value == ANY and not deck.expanded
        assert app.screen is browser and not list(app._notifications)
        table = browser.query_one("#browser-table", DataTable)
        decks = {row_cells(table, r)[0].split("/")[0] for r in range(table.row_count)}
        assert decks == {"failure-question", "failure-tips", "failure-pitfalls"}
        state = browser.query_one("#browser-state", Select)
        state.focus()
        await pilot.press("enter", "down", "enter")  # open, the first state (new), choose it
        await pilot.pause()
        assert (state.value, state.expanded) == ("new", False)
        assert app.screen is browser and not list(app._notifications)


async def test_a_footer_lists_help_first_while_a_filter_has_the_focus(app_factory):
    """A filter takes "?" as text, so f1 is the Help key while it has the focus."""
    expected = {
        "c slash": [("f1", "Help"), ("slash", "Filter"), ("escape", "Back")],
        # The deck list, opened: its menu has the focus.
        "c slash tab enter": [("f1", "Help"), ("escape", "Dismiss menu"), ("slash", "Filter")],
        # A deck's cards: enter there leaves the filter for the table.
        "e enter slash": [
            ("f1", "Help"),
            ("enter", "Edit"),
            ("slash", "Filter"),
            ("escape", "Back"),
        ],
    }
    for keys, shown in expected.items():
        async with app_factory().run_test(size=(80, 24)) as pilot:
            for key in keys.split():
                await pilot.press(key)
            await pilot.pause()
            assert [(k.key, k.description) for k in pilot.app.screen.query(FooterKey)] == shown, (
                keys
            )
            screen = pilot.app.screen
            await pilot.press("f1")
            assert isinstance(pilot.app.screen, HelpScreen), keys
            assert pilot.app.screen.section == screen.HELP_SECTION


async def test_a_drill_that_reaches_the_new_card_limit_ends_offering_the_rest(app_factory):
    app = app_factory()
    user_settings.set_value(app.store, "new_cards_per_day", "1")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")  # the failure question: one new card today
        await pilot.press("ctrl+s", "4")  # Easy: not back in this drill
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        text = str(summary.query_one("#summary", Static).render()).splitlines()
        assert text[0] == "Drill done: 1 card rated"
        assert text[4:6] == [
            "",
            "Today's new cards are used up (new_cards_per_day is 1): 26 new cards wait (n studies "
            "them now).",
        ]
        assert text[-1] == (
            "enter: home   u: undo the last rating   p: practise ahead   n: new cards now"
        )
        await pilot.press("n")
        assert isinstance(app.screen, DrillScreen)


async def test_home_caps_due_by_the_review_limit_and_the_drill_names_it(app_factory):
    from failtui.studyday import format_utc
    from tests.conftest import FIXED_NOW

    app = app_factory()
    user_settings.set_value(app.store, "new_cards_per_day", "0")
    user_settings.set_value(app.store, "reviews_per_day", "1")
    hour_ago = format_utc(FIXED_NOW - timedelta(hours=1))
    with app.store.write() as db:
        for card_id in ("biggest-failure", "biggest-failure-current-job"):
            db.execute(
                "INSERT INTO card_state (card_key, deck_id, state, due) "
                "VALUES (?, 'failure-question', 'review', ?)",
                (f"failure-question/{card_id}", hour_ago),
            )
        # Today's one review: a card in its learning steps (its rating counts as a review).
        db.execute(
            "INSERT INTO reviews (card_key, deck_id, reviewed_at, study_day, rating, "
            "state_before, state_after, due_after, interval_after_days, card_state_before) "
            "VALUES ('failure-tips/x', 'failure-tips', ?, '2026-11-23', 3, 'learning', "
            "'review', ?, 1, '{}')",
            (format_utc(FIXED_NOW), format_utc(FIXED_NOW)),
        )
    async with app.run_test(size=(120, 40)) as pilot:
        home = app.screen
        assert [(r.key, r.due) for r in home.deck_rows[:2]] == [
            (ALL_DECKS, 0),
            ("failure-question", 0),
        ]
        assert str(home.query_one("#overview", Static).render()) == (
            "Today: 1 review   Streak: 1 day   All done for now; 2 reviews and 83 new cards past "
            "today's limits (p practises the reviews; enter, then n studies the new cards)"
        )
        await pilot.press("enter")
        text = str(app.screen.query_one("#summary", Static).render()).splitlines()
        assert text[2:5] == [
            "The daily review limit is reached (reviews_per_day 1): 2 reviews wait.",
            "Today's new cards are used up (new_cards_per_day is 0): 83 new cards wait.",
            "Press n to study the 83 new cards now, p to practise ahead (the waiting reviews "
            "first), or come back tomorrow.",
        ]
        await pilot.press("p")
        assert app.screen.card.key == "failure-question/biggest-failure"


async def test_browser_lists_the_first_rows_at_once_and_the_rest_in_chunks(
    app_factory, monkeypatch
):
    """A big deck opens with its first chunk of rows and says so; then every row is listed."""
    monkeypatch.setattr(browser_module, "CHUNK", 20)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        table = browser.query_one("#browser-table", DataTable)
        while browser.loading_rows:
            await pilot.pause(0.01)
        assert table.row_count == 85
        table.move_cursor(row=5)
        # A refill puts the first chunk in at once, with the cursor back on its row.
        browser.refresh_rows()
        assert (table.row_count, table.cursor_row, browser.loading_rows) == (20, 5, True)
        assert browser.rows[5].key == "failure-question/last-failure-lesson"
        assert text_of(browser, "#browser-status") == (
            "85 cards (listing: 20 so far)  ·  failure-question/last-failure-lesson · question · "
            "Please talk about your last fai…"
        )
        while browser.loading_rows:
            await pilot.pause(0.01)
        table.move_cursor(row=30)
        # Past the first chunk, the first fill reaches the cursor's row: an action taken while
        # the rest is listed falls on the card the user chose, never on the top row.
        browser.refresh_rows()
        assert (table.row_count, table.cursor_row, browser.loading_rows) == (31, 30, True)
        chosen = browser.rows[30].key
        await pilot.press("g")
        assert [n.message for n in app._notifications][-1] == f"{chosen}: suspended"
        while browser.loading_rows:
            await pilot.pause(0.01)
        assert table.row_count == 85
        assert [r.key.value for r in table.ordered_rows] == [r.key for r in browser.rows]
        assert table.cursor_row == 30
        assert text_of(browser, "#browser-status") == (
            f"85 cards  ·  {chosen} · tip · How do you show ownership when describing a failure?"
        )


async def test_browser_shows_at_once_saying_it_loads_while_its_decks_are_parsed(app_factory):
    """Tens of thousands of cards take seconds to parse: a worker parses them, the screen
    showing meanwhile (a filter typed then applies once they are listed)."""
    app = app_factory()
    parse_may_end = threading.Event()
    load = app.catalog.load

    def slow_load():
        parse_may_end.wait(timeout=10)  # on the UI thread (as it was), the test fails, not hangs
        return load()

    app.catalog.load = slow_load
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        browser = app.screen
        assert isinstance(browser, CardBrowserScreen)
        table = browser.query_one("#browser-table", DataTable)
        assert (text_of(browser, "#browser-status"), table.row_count) == ("Loading cards…", 0)
        await pilot.press("g")  # nothing listed yet: nothing to suspend
        assert [n.message for n in app._notifications] == ["No card is selected."]
        await pilot.press("slash", *"missed-deadline")
        assert text_of(browser, "#browser-status") == "Loading cards…"
        parse_may_end.set()
        await app.workers.wait_for_complete()
        assert [row_cells(table, r)[0] for r in range(table.row_count)] == [
            "failure-question/missed-deadline"
        ]
        assert text_of(browser, "#browser-status") == (
            "1 card  ·  failure-question/missed-deadline · question · Tell me about a ti…"
        )


async def test_browser_keeps_its_cursor_while_decks_read_again_are_parsed(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        table = browser.query_one("#browser-table", DataTable)
        table.move_cursor(row=5)
        chosen = browser.rows[5].key
        app.reload_catalog()  # as a saved edit does: the screen lists them again on its return
        browser.refresh_rows()
        assert (text_of(browser, "#browser-status"), table.row_count) == ("Loading cards…", 0)
        await app.workers.wait_for_complete()
        assert (table.row_count, table.cursor_row, browser.selected().key) == (85, 5, chosen)
