"""Pilot tests of own decks: deck list, cards, card editor, story form; files checked on disk."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static, TextArea
from textual.widgets._footer import FooterKey

from failtui.decks.reader import load_deck
from failtui.decks.story import STORY_DECK_ID, read_stories
from failtui.storage import queries
from failtui.ui.screens.card_editor import PREVIEW_DELAY, CardEditorScreen
from failtui.ui.screens.cards import CardListScreen
from failtui.ui.screens.choice import ChoiceScreen
from failtui.ui.screens.decks import DeckListScreen
from failtui.ui.screens.drill import DrillScreen
from failtui.ui.screens.home import HomeScreen
from failtui.ui.screens.stories import StoryListScreen
from failtui.ui.screens.story_form import StoryFormScreen
from failtui.ui.screens.summary import SummaryScreen

SIZE = (100, 30)

HAND_WRITTEN = """# Written by hand; the app must keep this comment.
id = "mine"
title = "Mine"
description = "My cards"

# My favourite card.
[[cards]]
id = "slip"
kind = "question"
prompt = "Tell me about a project you let slip."  # asked at Acme
answer = "Own it, give the delay, say what changed."
tags = ["projects"]

[[cards.key_points]]
id = "owning"
label = "Owning it"
cues = ["my mistake", "i should have"]

[[cards]]
id = "tip"
kind = "tip"
prompt = "Keep it under three minutes."
answer = "Practise aloud."
tags = ["timing"]
"""


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def mine_path(data_home):
    return data_home / "decks" / "mine.toml"


def install_mine(data_home):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    mine_path(data_home).write_text(HAND_WRITTEN, encoding="utf-8")


async def open_deck(pilot, deck_id: str) -> None:
    """From home: e, move to the deck, enter."""
    await pilot.press("e")
    screen = pilot.app.screen
    assert isinstance(screen, DeckListScreen)
    ids = [d.id for d in pilot.app.catalog.decks]
    table = screen.query_one("#deck-table", DataTable)
    table.move_cursor(row=ids.index(deck_id))
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, CardListScreen)


async def fill(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    if isinstance(widget, TextArea):
        widget.load_text(text)
    else:
        widget.value = text
    await pilot.pause()


async def test_new_user_creates_a_deck_writes_a_card_and_drills_it(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "n")
        await pilot.press(*"interview", "enter", *"Interview prep", "enter")
        assert (data_home / "decks" / "interview.toml").exists()
        await open_deck(pilot, "interview")
        assert "No cards yet" in text_of(app.screen, "#card-list-empty")
        await pilot.press("n")
        editor = app.screen
        assert isinstance(editor, CardEditorScreen)
        await pilot.press(*"A slip?")  # typed, as a user would
        await fill(pilot, "#card-answer", "Own the slip and give the delay in days.")
        await fill(pilot, "#card-tags", "mine projects")
        await fill(pilot, "#card-key-points", "Owning it | my mistake; i should have\nbogus")
        assert "key points, line 2" in text_of(editor, "#editor-status")
        await fill(pilot, "#card-key-points", "Owning it | my mistake; i should have")
        assert "is valid" in text_of(editor, "#editor-status")
        await fill(pilot, "#sample-answer", "It was my mistake: we shipped ten days late.")
        await pilot.pause(PREVIEW_DELAY)  # the preview's timer fires
        await pilot.pause()
        assert "✓ Owning it" in text_of(editor, "#preview-grade")
        await pilot.press("ctrl+s")
        deck = load_deck(data_home / "decks" / "interview.toml")
        (card,) = deck.cards
        assert (card.id, card.prompt, card.tags) == (
            "a-slip",
            "A slip?",
            ("mine", "projects"),
        )
        assert [kp.label for kp in card.key_points] == ["Owning it"]
        await pilot.press("escape", "escape", "escape")  # editor, card list, deck list
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.deck_rows[-1].key == "interview"
        app.screen.query_one("#decks").highlighted = len(app.screen.deck_rows) - 1
        await pilot.press("enter")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.card.key == "interview/a-slip"


async def test_editing_keeps_comments_and_history_and_an_id_change_asks(
    app_factory, data_home, clock
):
    install_mine(data_home)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        card = app.catalog.find_card("slip", "mine")
        session = app.new_session()
        session.rate(card, "my mistake", session.grade(card, "my mistake"), "good")
        await open_deck(pilot, "mine")
        await pilot.press("enter")
        await fill(pilot, "#card-prompt", "Tell me about a project you delivered late.")
        await pilot.press("ctrl+s")
        text = mine_path(data_home).read_text()
        assert "# Written by hand; the app must keep this comment." in text
        assert "# My favourite card." in text
        assert 'prompt = "Tell me about a project you delivered late."  # asked at Acme' in text
        assert queries.card_state(app.store, "mine/slip").reps == 1  # same card, same history
        # Changing the id asks first; the old card's history stays, marked deleted.
        await fill(pilot, "#card-id", "late-project")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # "Yes, save as ..."
        assert [c.id for c in load_deck(mine_path(data_home)).cards] == ["late-project", "tip"]
        deleted = app.store.query("SELECT deleted FROM card_state WHERE card_key = 'mine/slip'")
        assert deleted[0][0] == 1
        # Leaving with unsaved changes asks; "save them" saves.
        await fill(pilot, "#card-tags", "projects changed")
        await pilot.press("escape")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, CardListScreen)
        assert load_deck(mine_path(data_home)).card("late-project").tags == ("projects", "changed")


async def test_a_file_changed_on_disk_is_not_overwritten_blindly(app_factory, data_home):
    install_mine(data_home)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_deck(pilot, "mine")
        await pilot.press("enter")
        await fill(pilot, "#card-answer", "Own it, give the delay in days.")
        # Someone edits another card by hand meanwhile.
        path = mine_path(data_home)
        path.write_text(path.read_text().replace("Practise aloud.", "Practise aloud, twice."))
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChoiceScreen)
        assert "changed on disk" in text_of(app.screen, "#choice-question")
        await pilot.press("enter")  # apply my change to the file as it is now
        deck = load_deck(path)
        assert deck.card("slip").answer == "Own it, give the delay in days."
        assert deck.card("tip").answer == "Practise aloud, twice."
        # Again, and this time overwrite: their version is kept in backups/.
        await fill(pilot, "#card-answer", "Mine.")
        theirs = path.read_text().replace("Practise aloud, twice.", "Theirs.")
        path.write_text(theirs)
        await pilot.press("ctrl+s")
        await pilot.press("down", "enter")  # overwrite
        assert load_deck(path).card("slip").answer == "Mine."
        (backup,) = (data_home / "backups" / "decks").iterdir()
        assert backup.read_text() == theirs


async def test_card_list_filters_by_text_and_tag_and_deletes_with_confirmation(
    app_factory, data_home
):
    install_mine(data_home)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_deck(pilot, "mine")
        table = app.screen.query_one("#card-table", DataTable)
        assert table.row_count == 2
        await pilot.press("slash", *"#timing")
        assert table.row_count == 1
        assert app.screen.query_one("#card-filter", Input).value == "#timing"
        await fill(pilot, "#card-filter", "nothing-matches-this")
        assert table.row_count == 0
        assert "No card matches" in text_of(app.screen, "#card-list-empty")
        await fill(pilot, "#card-filter", "slip")
        assert table.row_count == 1
        await pilot.press("enter")  # leaves the filter for the table
        await pilot.press("x")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")
        assert [c.id for c in load_deck(mine_path(data_home)).cards] == ["tip"]
        assert "# Written by hand" in mine_path(data_home).read_text()


async def test_deleting_a_card_copies_the_deck_file_to_the_backups_first(app_factory, data_home):
    install_mine(data_home)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_deck(pilot, "mine")
        await pilot.press("x")  # the first card, "slip"
        assert isinstance(app.screen, ChoiceScreen)
        assert text_of(app.screen, "#choice-question") == (
            "Delete the card 'slip'? Its review history is kept (marked as deleted), and the "
            "deck file is first copied to backups/decks/."
        )
        notes = []
        app.notify = lambda message, **kw: notes.append(message)
        await pilot.press("down", "enter")
        assert [c.id for c in load_deck(mine_path(data_home)).cards] == ["tip"]
        (backup,) = (data_home / "backups" / "decks").iterdir()
        assert backup.read_text(encoding="utf-8") == HAND_WRITTEN
        assert notes == [
            f"Deleted the card from mine.toml. The deck as it was is in backups/decks/"
            f"{backup.name}."
        ]


async def test_deleting_a_story_copies_the_stories_file_to_the_backups_first(
    app_factory, data_home
):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "s", "n")
        await write_story(pilot, STORY)
        await pilot.press("ctrl+s", "escape")
        assert isinstance(app.screen, StoryListScreen)
        path = data_home / "decks" / "my-stories.toml"
        before = path.read_text(encoding="utf-8")
        await pilot.press("x")
        assert text_of(app.screen, "#choice-question") == (
            "Delete the story 'The Friday pallet count'? Your answers to it stay in the history, "
            "and the deck file is first copied to backups/decks/."
        )
        notes = []
        app.notify = lambda message, **kw: notes.append(message)
        await pilot.press("down", "enter")
        assert read_stories(path.read_text(encoding="utf-8")) == {}
        (backup,) = (data_home / "backups" / "decks").iterdir()
        assert backup.read_text(encoding="utf-8") == before
        assert notes == [
            f"Deleted the story from my-stories.toml. The deck as it was is in backups/decks/"
            f"{backup.name}."
        ]


async def test_builtin_decks_are_read_only_and_can_be_copied(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_deck(pilot, "failure-tips")
        # Nothing to add or delete in a built-in deck, and the footer offers neither.
        await pilot.pause()
        footer = [key.description for key in app.screen.query(FooterKey) if key.region.width]
        assert footer == ["Help", "Edit", "Filter", "Follow-ups", "Back", "palette"]
        await pilot.press("n")
        assert isinstance(app.screen, CardListScreen)  # no editor on a built-in deck
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.press("enter", "enter")  # suggested id, suggested title
        copy = load_deck(data_home / "decks" / "failure-tips-mine.toml")
        assert len(copy.cards) == len(app.catalog.deck("failure-tips").cards)
        assert app.catalog.deck("failure-tips-mine") is not None
        # A copy whose title is emptied is not named like the built-in deck.
        await pilot.press("c")
        hint = [str(w.render()) for w in app.screen.query(Static)][-1]
        assert hint == "enter: the next field, then saves · escape cancels"
        await pilot.press("enter")  # the suggested id, on to the title
        await fill(pilot, "#ask-1", "")
        await pilot.press("enter")
        # The copy of the copy (the list had moved to it), its title emptied.
        copy_of_copy = app.catalog.deck("failure-tips-mine-mine")
        assert copy_of_copy.title == "Failure question: the advice (mine) (mine)"
        titles = [d.title for d in app.catalog.decks]
        assert len(titles) == len(set(titles))


async def test_at_80_columns_the_deck_list_shows_a_copys_whole_title_and_every_source(
    app_factory,
):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        table = app.screen.query_one("#deck-table", DataTable)
        table.move_cursor(row=1)
        await pilot.press("c")
        await pilot.press("enter", "enter")  # suggested id, suggested title
        await pilot.pause()
        rows = [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]
        assert rows == [
            ["The failure question", "failure-question", "27", "built-in"],
            ["Failure question: the advice", "failure-tips", "33", "built-in"],
            ["Failure question: pitfalls", "failure-pitfalls", "25", "built-in"],
            ["Failure question: the advice (mine)", "failure-tips-mine", "33", "yours"],
        ]
        # Nothing cut at the right edge either: no horizontal scrolling.
        assert table.max_scroll_x == 0
        assert text_of(app.screen, "#deck-list-intro").splitlines()[0] == (
            "1 deck of your own. Built-in decks are read-only: c copies one to edit."
        )


async def test_rename_and_delete_a_user_deck(app_factory, data_home):
    install_mine(data_home)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        table = app.screen.query_one("#deck-table", DataTable)
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("t")
        await fill(pilot, "#ask-0", "My interview cards")
        await pilot.press("enter")
        assert load_deck(mine_path(data_home)).title == "My interview cards"
        assert "# Written by hand" in mine_path(data_home).read_text()
        await pilot.press("x")
        await pilot.press("down", "enter")
        assert not mine_path(data_home).exists()
        assert app.catalog.deck("mine") is None
        assert len(list((data_home / "backups" / "decks").iterdir())) == 1


async def test_a_deck_title_over_the_limit_is_refused_in_every_dialog(app_factory, data_home):
    (data_home / "decks").mkdir(parents=True)
    # A title written too long by hand: the list cuts it, and renaming starts from it.
    mine_path(data_home).write_text(
        HAND_WRITTEN.replace('title = "Mine"', f'title = "{"Long " * 1000}"'), encoding="utf-8"
    )
    before = mine_path(data_home).read_text(encoding="utf-8")
    too_long = "x" * 201
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        table = app.screen.query_one("#deck-table", DataTable)
        assert [table.get_row_at(row)[0].plain for row in range(table.row_count)] == [
            "The failure question",
            "Failure question: the advice",
            "Failure question: pitfalls",
            "Long Long Long Long Long Long Long Lon…",
        ]
        assert table.max_scroll_x == 0  # cut so that every column is on screen
        table.move_cursor(row=table.row_count - 1)
        await pilot.press("t")
        ask = app.screen
        assert text_of(ask, "#ask-problem") == "the title is 4,999 characters; the limit is 200"
        await fill(pilot, "#ask-0", too_long)
        await pilot.press("enter")
        assert app.screen is ask
        assert text_of(ask, "#ask-problem") == "the title is 201 characters; the limit is 200"
        await pilot.press("escape", "n")
        ask = app.screen
        await fill(pilot, "#ask-0", "long")
        await fill(pilot, "#ask-1", too_long)
        await pilot.press("enter")
        assert app.screen is ask and app.focused is ask.query_one("#ask-1", Input)
        assert text_of(ask, "#ask-problem") == "the title is 201 characters; the limit is 200"
        await pilot.press("escape")
        table.move_cursor(row=0)
        await pilot.press("c")
        ask = app.screen
        await fill(pilot, "#ask-1", too_long)
        await pilot.press("enter")  # on the id: on to the title, which has the problem
        await pilot.press("enter")
        assert app.screen is ask and app.focused is ask.query_one("#ask-1", Input)
        assert text_of(ask, "#ask-problem") == "the title is 201 characters; the limit is 200"
        await pilot.press("escape")
    assert sorted(p.name for p in (data_home / "decks").iterdir()) == ["mine.toml"]
    assert mine_path(data_home).read_text(encoding="utf-8") == before


async def test_files_changed_on_disk_are_picked_up_by_the_deck_list(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        install_mine(data_home)  # written after the app opened
        await pilot.press("e")
        assert app.catalog.deck("mine") is not None
        (data_home / "decks" / "broken.toml").write_text('id = "broken"\ntitle = [/b]\n')
        await pilot.press("r")
        errors = text_of(app.screen, "#deck-list-errors")
        assert "broken.toml:2" in errors


STORY = {
    "#story-title": "The Friday pallet count",
    "#story-situation": "I was a shift lead at Northfield Logistics.",
    "#story-task": "I was responsible for the evening dispatch.",
    "#story-mistake": "I skipped the final pallet count to make the cut-off.",
    "#story-result": "40 orders went out wrong and returns cost us $2,000.",
    "#story-fix": "I set up a two-person check on the last pallets.",
    "#story-lesson": "A shortcut that saves ten minutes can cost a week of cleanup.",
    "#story-use_now": "In the peak season rush I kept the count: zero mis-picks.",
}


async def write_story(pilot, story: dict[str, str]) -> None:
    for selector, text in story.items():
        await fill(pilot, selector, text)


async def test_story_form_saves_a_card_that_checks_the_details_and_can_be_drilled(
    app_factory, data_home
):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "s")
        assert isinstance(app.screen, StoryListScreen)
        assert "No stories yet" in text_of(app.screen, "#story-intro")
        await pilot.press("n")
        assert isinstance(app.screen, StoryFormScreen)
        await pilot.press("ctrl+s")  # nothing written yet: refused, nothing on disk
        assert not (data_home / "decks" / "my-stories.toml").exists()
        await write_story(pilot, STORY)
        details = text_of(app.screen, "#story-details")
        assert "A number from your story" in details and "40 orders" in details
        assert "two-person check" in details
        await pilot.press("ctrl+s")
        path = data_home / "decks" / "my-stories.toml"
        stories = read_stories(path.read_text())
        assert stories["the-friday-pallet-count"].fix == STORY["#story-fix"]
        card = app.catalog.find_card("the-friday-pallet-count", STORY_DECK_ID)
        ids = [kp.id for kp in card.key_points]
        prefix = "story-the-friday-pallet-count-"
        assert "context" in ids and f"{prefix}number-1" in ids and f"{prefix}fix" in ids
        await pilot.press("escape")
        table = app.screen.query_one("#story-table", DataTable)
        assert table.row_count == 1
        await pilot.press("d")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.card.key == f"{STORY_DECK_ID}/the-friday-pallet-count"
        await pilot.press("ctrl+s", "3")
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert text_of(summary, "#summary").splitlines()[-1] == (
            "enter: My stories   u: undo the last rating   p: practise ahead"
        )
        footer = [k.description for k in summary.query(FooterKey) if k.region.width]
        assert footer[:2] == ["Help", "My stories"]
        await pilot.press("enter")
        assert isinstance(app.screen, StoryListScreen)


async def test_several_stories_and_the_active_one(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "s")
        for title in ("First story", "Second story"):
            await pilot.press("n")
            await write_story(pilot, {**STORY, "#story-title": title})
            await pilot.press("ctrl+s")
            await pilot.press("escape")
        table = app.screen.query_one("#story-table", DataTable)
        assert table.row_count == 2
        table.move_cursor(row=1)
        await pilot.press("a")
        second = f"{STORY_DECK_ID}/second-story"
        drill = app.new_session(STORY_DECK_ID)
        assert drill.next_card().key == second
        assert drill.counts_by_deck()[STORY_DECK_ID].new == 1
        # Editing a story keeps its card id.
        await pilot.press("enter")
        await fill(pilot, "#story-result", "45 orders went out wrong.")
        await pilot.press("ctrl+s", "escape")
        card = app.catalog.find_card("second-story", STORY_DECK_ID)
        assert ("45 orders",) in [kp.cues for kp in card.key_points]


async def open_card_editor(pilot, deck_id: str, row: int = 0) -> CardEditorScreen:
    await open_deck(pilot, deck_id)
    pilot.app.screen.query_one("#card-table", DataTable).move_cursor(row=row)
    await pilot.press("enter")
    assert isinstance(pilot.app.screen, CardEditorScreen)
    return pilot.app.screen


async def test_merge_keeps_a_field_changed_only_on_disk(app_factory, data_home):
    install_mine(data_home)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_card_editor(pilot, "mine")
        path = mine_path(data_home)
        hand = "Own it, give the delay, say what changed. (written by hand)"
        path.write_text(path.read_text().replace("Own it, give the delay, say what changed.", hand))
        await fill(pilot, "#card-prompt", "Tell me about a project you delivered late.")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # apply my change to the file as it is now
        card = load_deck(path).card("slip")
        assert card.prompt == "Tell me about a project you delivered late."
        assert card.answer == hand  # their edit stays
        assert not (data_home / "backups" / "decks").exists()  # nothing overridden
        # The form now shows the file's version, so the next save does not undo theirs.
        assert app.screen.query_one("#card-answer", TextArea).text == hand


async def test_merge_of_a_field_changed_on_both_sides_keeps_theirs_in_a_backup(
    app_factory, data_home
):
    install_mine(data_home)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_card_editor(pilot, "mine")
        path = mine_path(data_home)
        theirs = path.read_text().replace("say what changed.", "say what changed (theirs).")
        path.write_text(theirs)
        await fill(pilot, "#card-answer", "Mine: own it.")
        await pilot.press("ctrl+s")
        notes = []
        app.notify = lambda message, **kw: notes.append(message)
        await pilot.press("enter")  # merge
        assert load_deck(path).card("slip").answer == "Mine: own it."
        (backup,) = (data_home / "backups" / "decks").iterdir()
        assert backup.read_text() == theirs
        assert any("also changed this card's guidance" in n and backup.name in n for n in notes)


TRICKY_FIELDS = """id = "tricky"
title = "Tricky"

[[cards]]
id = "pct"
prompt = "What did it cost?"
answer = "Give the number."
tags = ["time management", "a,b"]

[[cards.key_points]]
id = "number"
label = "Cost | in percent"
cues = ["number; percent", "cost"]

[[cards.red_flags]]
id = "vague"
label = "Vague | no number"
cues = ["a lot"]
advice = "Say it: 12% | 3 days."
"""


async def test_editing_one_field_writes_only_that_field(app_factory, data_home):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    path = data_home / "decks" / "tricky.toml"
    path.write_text(TRICKY_FIELDS)
    before = load_deck(path).card("pct")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_card_editor(pilot, "tricky")
        assert "is valid" in text_of(editor, "#editor-status")
        await fill(pilot, "#card-answer", "Give the number, in percent.")
        await pilot.press("ctrl+s")
        after = load_deck(path).card("pct")
        assert after.answer == "Give the number, in percent."
        assert (after.tags, after.key_points, after.red_flags) == (
            before.tags,
            before.key_points,
            before.red_flags,
        )
        assert path.read_text() == TRICKY_FIELDS.replace(
            "Give the number.", "Give the number, in percent."
        )
        # Editing the key points and tags themselves keeps '|', ';' and spaces that are text.
        key_points = editor.query_one("#card-key-points", TextArea).text
        await fill(pilot, "#card-key-points", key_points + "; price")
        tags = editor.query_one("#card-tags", Input).value
        await fill(pilot, "#card-tags", tags + " money")
        await pilot.press("ctrl+s")
        after = load_deck(path).card("pct")
        assert after.tags == ("time management", "a,b", "money")
        (kp,) = after.key_points
        assert (kp.label, kp.cues) == ("Cost | in percent", ("number; percent", "cost", "price"))
        assert after.red_flags == before.red_flags


def in_the_drill_column(screen) -> dict[str, str]:
    table = screen.query_one("#story-table", DataTable)
    return {str(row.value): str(table.get_cell(row, "active")) for row in table.rows}


async def test_the_story_list_and_the_drill_agree_on_the_active_story(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "s")

        async def new_story(title: str) -> None:
            await pilot.press("n")
            await write_story(pilot, {**STORY, "#story-title": title})
            await pilot.press("ctrl+s")
            await pilot.press("escape")

        await new_story("Story A")
        await pilot.press("a")  # A is the active story
        await new_story("Story B")  # written after A was made active
        assert in_the_drill_column(app.screen) == {"story-a": "active", "story-b": "paused"}
        session = app.new_session(STORY_DECK_ID)
        assert session.counts().new == 1
        assert session.next_card().id == "story-a"
        # Make B active, then delete B: A is listed and drilled again.
        app.screen.query_one("#story-table", DataTable).move_cursor(row=1)
        await pilot.press("a")
        assert app.new_session(STORY_DECK_ID).next_card().id == "story-b"
        await pilot.press("x", "down", "enter")
        assert in_the_drill_column(app.screen) == {"story-a": "yes"}
        session = app.new_session(STORY_DECK_ID)
        assert session.next_card().id == "story-a"
        assert session.counts().new == 1


async def test_ctrl_q_with_unsaved_changes_asks_in_the_editor_and_the_story_form(
    app_factory, data_home
):
    install_mine(data_home)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_card_editor(pilot, "mine")
        await fill(pilot, "#card-answer", "Typed, not saved yet.")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)  # asked, not quit
        assert "unsaved changes" in text_of(app.screen, "#choice-question")
        await pilot.press("ctrl+q")  # again while asking: still asking, one question
        assert len([s for s in app.screen_stack if isinstance(s, ChoiceScreen)]) == 1
        await pilot.press("escape")  # stay
        assert isinstance(app.screen, CardEditorScreen)
        await pilot.press("ctrl+q")
        await pilot.press("enter")  # save them, then quit
        assert load_deck(mine_path(data_home)).card("slip").answer == "Typed, not saved yet."
        assert app.return_code == 0 and not app.is_running

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "s", "n")
        assert isinstance(app.screen, StoryFormScreen)
        await fill(pilot, "#story-title", "Half a story")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)
        assert "story has unsaved changes" in text_of(app.screen, "#choice-question")
        await pilot.press("down", "enter")  # discard them and quit
        assert not app.is_running


async def test_saving_a_story_keeps_parts_changed_by_hand_meanwhile(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "s", "n")
        await write_story(pilot, STORY)
        await pilot.press("ctrl+s")
        await pilot.press("escape")
        await pilot.press("enter")  # edit the story again
        assert isinstance(app.screen, StoryFormScreen)
        path = data_home / "decks" / "my-stories.toml"
        by_hand = "I set up a two-person check and a checklist."
        path.write_text(path.read_text().replace(STORY["#story-fix"], by_hand))
        await fill(pilot, "#story-lesson", "Shortcuts at the cut-off cost more than they save.")
        await pilot.press("ctrl+s")
        story = read_stories(path.read_text())["the-friday-pallet-count"]
        assert story.fix == by_hand  # their part stays
        assert story.lesson == "Shortcuts at the cut-off cost more than they save."
        assert app.screen.query_one("#story-fix", TextArea).text == by_hand
        assert not (data_home / "backups" / "decks").exists()
        # Both change the same part: the form's text is saved, theirs is kept in a backup.
        theirs = path.read_text().replace(by_hand, "Their fix.")
        path.write_text(theirs)
        notes = []
        app.notify = lambda message, **kw: notes.append(message)
        await fill(pilot, "#story-fix", "My fix.")
        await pilot.press("ctrl+s")
        assert read_stories(path.read_text())["the-friday-pallet-count"].fix == "My fix."
        (backup,) = (data_home / "backups" / "decks").iterdir()
        assert backup.read_text() == theirs
        assert any("also changed this story's What I fixed" in n for n in notes)


async def test_home_counts_one_card_in_the_singular(app_factory, data_home):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "one.toml").write_text(
        'id = "one"\ntitle = "One"\n[[cards]]\nid = "a"\nprompt = "P?"\nanswer = "A."\n'
    )
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = [row.plain for row in app.screen.query_one("#decks").rows]
        assert shown[-1].split()[:5] == ["One", "1", "card", "·", "yours"]


async def test_a_long_story_title_is_cut_so_every_column_shows(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "s", "n")
        await write_story(pilot, {**STORY, "#story-title": "Very long title " * 30})
        await pilot.press("ctrl+s")
        await pilot.press("escape")
        table = app.screen.query_one("#story-table", DataTable)
        title = table.get_row_at(0)[0]
        assert title.plain == ("Very long title " * 30)[:39] + "…"
        # The table fits the screen: its three columns are all in view.
        assert table.virtual_size.width <= 80


async def test_two_stories_of_one_title_are_told_apart_by_their_ids(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "s")
        long = "The time I shipped the wrong pallets on a Friday"
        for title in ("The pallet count", "The pallet count", "Another story", long, long):
            await pilot.press("n")
            await write_story(pilot, {**STORY, "#story-title": title})
            await pilot.press("ctrl+s", "escape")
        table = app.screen.query_one("#story-table", DataTable)
        # A long title and its id share the room: the id keeps its end, which tells it apart.
        assert [table.get_row_at(row)[0].plain for row in range(table.row_count)] == [
            "The pallet count · the-pallet-count",
            "The pallet count · the-pallet-count-2",
            "Another story",
            "The time I shipped … · …wrong-pallets-on",
            "The time I shipped … · …ong-pallets-on-2",
        ]
        # Asked to delete one, it is named as the list names it, the title and the id whole.
        await pilot.press("down", "x")
        assert text_of(app.screen, "#choice-question") == (
            "Delete the story 'The pallet count · the-pallet-count-2'? Your answers to it stay "
            "in the history, and the deck file is first copied to backups/decks/."
        )
        for row, name in (
            (4, f"{long} · the-time-i-shipped-the-wrong-pallets-on-2"),
            (2, "Another story"),
        ):
            await pilot.press("escape")
            app.screen.query_one("#story-table", DataTable).move_cursor(row=row)
            await pilot.pause()
            await pilot.press("x")
            assert text_of(app.screen, "#choice-question") == (
                f"Delete the story '{name}'? Your answers to it stay in the history, and the "
                "deck file is first copied to backups/decks/."
            )
