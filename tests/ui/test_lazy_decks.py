"""The app lists decks from the deck index and parses a deck only when a drill needs it."""

from __future__ import annotations

from textual.widgets import DataTable

from failtui.decks import index as deck_index
from failtui.decks.index import build_index
from failtui.ui.screens.drill import DrillScreen
from failtui.ui.screens.home import HomeScreen
from tests.unit.test_deck_index import deck_text


async def test_home_from_the_index_then_a_drill_parses_its_deck_only(
    app_factory, data_home, monkeypatch
):
    decks = data_home / "decks"
    decks.mkdir(parents=True, exist_ok=True)
    (decks / "a.toml").write_text(deck_text("alpha", "one", "two", title="Alpha"), "utf-8")
    (decks / "b.toml").write_text(deck_text("beta", "three", title="Beta"), "utf-8")
    (decks / "c.toml").write_text('id = "broken"\ntitle = [', "utf-8")
    build_index(data_home)  # an earlier start left the cache
    parsed: list[str] = []
    real = deck_index.load_deck

    def counting(path, *, builtin=False):
        parsed.append(path.name)
        return real(path, builtin=builtin)

    monkeypatch.setattr(deck_index, "load_deck", counting)
    # Without the parse the app starts behind the home screen (next test), to see what needs what.
    monkeypatch.setattr(deck_index.LazyCatalog, "load_in_background", lambda self: None)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#decks", DataTable)
        titles = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
        assert any(t.startswith("Alpha  2 cards") for t in titles)
        assert any(t.startswith("Beta  1 card ") for t in titles)
        assert str(table.get_row_at(0)[1]).strip() == "10"  # new cards, capped by the limit
        assert "c.toml" in str(app.screen.query_one("#deck-errors").render())
        assert parsed == ["c.toml"]  # only the broken file, which is never cached
        table.move_cursor(row=titles.index(next(t for t in titles if t.startswith("Beta"))))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.card.key == "beta/three"
        assert parsed == ["c.toml", "b.toml"]


async def test_decks_are_parsed_behind_the_home_screen(app_factory, data_home):
    decks = data_home / "decks"
    decks.mkdir(parents=True, exist_ok=True)
    (decks / "a.toml").write_text(deck_text("alpha", "one", title="Alpha"), "utf-8")
    (decks / "c.toml").write_text('id = "broken"\ntitle = [', "utf-8")
    build_index(data_home)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        for _ in range(200):
            if app.catalog.loaded:
                break
            await pilot.pause(0.01)
        assert app.catalog.loaded
        assert [e.path.name for e in app.catalog.errors] == ["c.toml"]
        assert app.catalog.card_by_key("alpha/one").prompt == "Q?"
