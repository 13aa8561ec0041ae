"""Home's deck list: the keys, the mouse and the wrapping of OptionList, drawn line by line."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content

from failtui.ui.widgets.deck_list import DeckList


class ListApp(App):
    CSS = "DeckList { max-height: 6; } DeckList > .deck-list--row { padding: 0 1; }"

    def __init__(self, rows: list[str]):
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DeckList(id="decks")

    def on_mount(self) -> None:
        deck_list = self.query_one(DeckList)
        deck_list.set_rows([Content(row) for row in self.rows])
        deck_list.focus()


def shown(app: App) -> list[str]:
    deck_list = app.query_one(DeckList)
    return [deck_list.render_line(y).text for y in range(deck_list.size.height)]


async def test_keys_move_the_highlight_as_an_option_list_does():
    app = ListApp([f"Deck {n}" for n in range(10)])
    async with app.run_test(size=(30, 10)) as pilot:
        deck_list = app.query_one(DeckList)
        assert deck_list.highlighted == 0
        seen = []
        for key in ("up", "down", "down", "pagedown", "pagedown", "pageup", "home", "end"):
            await pilot.press(key)
            seen.append(deck_list.highlighted)
        # Up from the first wraps to the last; a page is the list's height (6 lines).
        assert seen == [9, 0, 1, 7, 9, 3, 0, 9]
        # The last row was scrolled into view, beside the scroll bar (two cells).
        assert deck_list.scroll_offset.y == 4
        assert shown(app)[-1] == " Deck 9".ljust(28)


async def test_a_click_highlights_the_row_under_the_mouse():
    app = ListApp([f"Deck {n}" for n in range(4)])
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.click(DeckList, offset=(3, 2))
        assert app.query_one(DeckList).highlighted == 2


async def test_a_row_too_wide_wraps_and_its_lines_belong_to_it():
    app = ListApp(["Short", "A title far too long to fit on one line here", "Last"])
    async with app.run_test(size=(30, 10)) as pilot:
        deck_list = app.query_one(DeckList)
        assert shown(app)[:4] == [
            " Short                        ",
            " A title far too long to fit  ",
            " on one line here             ",
            " Last                         ",
        ]
        await pilot.click(DeckList, offset=(3, 2))
        assert deck_list.highlighted == 1
        await pilot.press("down")
        assert deck_list.highlighted == 2


async def test_new_rows_keep_the_highlight_within_them():
    app = ListApp([f"Deck {n}" for n in range(5)])
    async with app.run_test(size=(30, 10)) as pilot:
        deck_list = app.query_one(DeckList)
        await pilot.press("end")
        deck_list.set_rows([Content("Only"), Content("Two")])
        await pilot.pause()
        assert deck_list.highlighted == 1
        assert [row.plain for row in deck_list.rows] == ["Only", "Two"]
        deck_list.set_rows([])
        assert deck_list.highlighted is None


async def test_home_lines_up_counts_under_a_title_with_wide_characters(app_factory, data_home):
    from rich.cells import cell_len
    from textual.widgets import Static

    from tests.conftest import SMALLEST_DECK

    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "wide.toml").write_text(
        SMALLEST_DECK.replace('"my-deck"', '"wide"').replace(
            'title = "My deck"', 'title = "Préparation 面接 🚀 prep"'
        )
    )
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        heading = str(app.screen.query_one("#deck-heading", Static).render())
        rows = [row.plain for row in app.screen.query_one("#decks").rows]
        assert any("面接" in row for row in rows)
        # Every row ends where the heading does: the counts sit under their column names.
        assert {cell_len(row.rstrip()) for row in rows} == {cell_len(heading.rstrip())}


async def test_home_cuts_a_title_written_too_long_so_the_counts_stay_on_screen(
    app_factory, data_home
):
    from textual.widgets import Static

    from tests.conftest import SMALLEST_DECK

    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "long.toml").write_text(
        SMALLEST_DECK.replace('"my-deck"', '"long"').replace(
            'title = "My deck"', f'title = "{"Long " * 1000}"'
        )
    )
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        heading = str(app.screen.query_one("#deck-heading", Static).render())
        rows = [row.plain for row in app.screen.query_one("#decks").rows]
        # The row is 72 cells: within the 74 an 80-column terminal leaves for it.
        assert heading == "Deck" + " " * 49 + "New  Learning  Due"
        assert rows[0] == "All decks" + " " * 45 + "10         0    0"
        assert rows[-1] == (
            "Long Long Long Long Long Long Long…  1 card · yours    1         0    0"
        )


async def test_home_names_the_ids_of_two_decks_with_one_title(app_factory, data_home):
    from tests.conftest import SMALLEST_DECK

    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "my-deck.toml").write_text(SMALLEST_DECK)
    (data_home / "decks" / "my-deck-copy.toml").write_text(
        SMALLEST_DECK.replace('"my-deck"', '"my-deck-copy"')
    )
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = [row.plain.rstrip() for row in app.screen.query_one("#decks").rows]
        assert rows[-2:] == [
            "My deck  1 card · yours · my-deck-copy    1         0    0",
            "My deck  1 card · yours · my-deck         1         0    0",
        ]
