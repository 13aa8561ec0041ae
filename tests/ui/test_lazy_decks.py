"""The app lists decks from the deck index and parses a deck only when a drill needs it."""

from __future__ import annotations

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
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        rows = app.screen.deck_rows
        assert [(r.key, r.new) for r in rows][-2:] == [("alpha", 2), ("beta", 1)]
        assert rows[0].new == 10  # new cards, capped by the limit
        shown = [row.plain for row in app.screen.query_one("#decks").rows]
        assert shown[-2].split()[:3] == ["Alpha", "2", "cards"]
        assert shown[-1].split()[:3] == ["Beta", "1", "card"]
        assert "c.toml" in str(app.screen.query_one("#deck-errors").render())
        assert parsed == ["c.toml"]  # only the broken file, which is never cached
        app.screen.query_one("#decks").highlighted = len(rows) - 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.card.key == "beta/three"
        await app.workers.wait_for_complete()
        assert parsed == ["c.toml", "b.toml"]


async def test_home_parses_no_deck_and_a_drill_parses_its_decks_behind_its_first_card(
    app_factory, data_home
):
    decks = data_home / "decks"
    decks.mkdir(parents=True, exist_ok=True)
    (decks / "a.toml").write_text(deck_text("alpha", "one", title="Alpha"), "utf-8")
    (decks / "c.toml").write_text('id = "broken"\ntitle = [', "utf-8")
    build_index(data_home)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert not app.catalog.loaded  # home keeps no card in memory
        await pilot.press("enter")  # all decks
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        await app.workers.wait_for_complete()
        assert app.catalog.loaded
        assert [e.path.name for e in app.catalog.errors] == ["c.toml"]
        assert app.catalog.card_by_key("alpha/one").prompt == "Q?"
