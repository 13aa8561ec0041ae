"""Pilot tests of the follow-up editor (f on a deck's cards): files checked on disk."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from failtui.decks.reader import load_deck
from failtui.locations import builtin_decks_dir
from failtui.models import FollowUp
from failtui.ui.screens.cards import CardListScreen
from failtui.ui.screens.choice import ChoiceScreen
from failtui.ui.screens.followup_editor import FollowUpEditorScreen
from tests.ui.test_browser_settings import footer_keys
from tests.ui.test_own_decks import HAND_WRITTEN, install_mine, mine_path, open_deck, text_of

WITH_FOLLOWUPS = (
    HAND_WRITTEN
    + """
# The questions my coach asks.
[[followups]]
key_point = "lesson"
prompt = "What would you do differently?"

[[followups]]
key_point = "impact"
prompt = "What did it cost?"
"""
)


def install_with_followups(data_home) -> None:
    install_mine(data_home)
    mine_path(data_home).write_text(WITH_FOLLOWUPS, encoding="utf-8")


async def open_followups(pilot, deck_id: str) -> FollowUpEditorScreen:
    await open_deck(pilot, deck_id)
    await pilot.press("f")
    screen = pilot.app.screen
    assert isinstance(screen, FollowUpEditorScreen)
    return screen


async def type_lines(pilot, text: str) -> None:
    pilot.app.screen.query_one("#followups-text", TextArea).load_text(text)
    await pilot.pause()


async def test_a_deck_without_follow_ups_gets_the_built_in_ones_to_edit_and_saves_them(
    app_factory, data_home
):
    install_mine(data_home)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck(pilot, "mine")
        # None of its cards is a failure-question card: no follow-up is promised.
        assert text_of(app.screen, "#card-list-title") == (
            "Mine  2 cards · no follow-ups asked yet (f)"
        )
        await pilot.press("f")
        editor = app.screen
        assert isinstance(editor, FollowUpEditorScreen)
        assert [d for d, _right in await footer_keys(pilot)] == [
            "Help",
            "Save",
            "Add built-in ones",
            "Back",
        ]
        assert text_of(editor, "#editor-status") == (
            # None of its cards is a failure-question card, so no follow-up is asked at all.
            "No follow-ups of its own: none is asked yet. ctrl+b adds the built-in ones here to "
            "edit."
        )
        await pilot.press("ctrl+b")
        lines = editor.query_one("#followups-text", TextArea).text.splitlines()
        assert len(lines) == 12
        assert lines[4] == "lesson | Looking back, what would you do differently now?"
        assert text_of(editor, "#editor-status") == (
            "✓ 12 follow-ups, valid (unsaved changes · ctrl+s saves)"
        )
        await pilot.press("ctrl+b")  # nothing more to add
        assert len(editor.query_one("#followups-text", TextArea).text.splitlines()) == 12
        await pilot.press("ctrl+s")
        deck = load_deck(mine_path(data_home))
        assert len(deck.followups) == 12
        assert deck.followups[4] == FollowUp(
            "lesson", "Looking back, what would you do differently now?"
        )
        assert mine_path(data_home).read_text().startswith(HAND_WRITTEN)  # cards untouched
        assert text_of(editor, "#editor-status") == "✓ 12 follow-ups, valid (saved)"
        assert str(editor.query_one("#followups-summary", Static).render()) == (
            "Questions: failure 2 · impact 2 · lesson 2 · remedy 1 · applied 2 · quantified 1 "
            "· context 1 · task 1\nNone of this deck's cards is a failure-question card (one "
            "with the eight standard key points), so these are not asked yet."
        )
        await pilot.press("escape")  # saved: leaves without asking
        assert isinstance(app.screen, CardListScreen)
        assert text_of(app.screen, "#card-list-title") == (
            "Mine  2 cards · 12 follow-ups, not asked yet (f)"
        )


async def test_the_card_list_names_the_follow_ups_a_failure_question_deck_asks(
    app_factory, data_home
):
    (data_home / "decks").mkdir(parents=True)
    question = (builtin_decks_dir() / "failure-question.toml").read_text(encoding="utf-8")
    # A copy of the failure question without its follow-ups: its cards get the built-in ones.
    start = question.index("[[followups]]")
    end = question.index("[[cards]]")
    assert start < end
    mine = question[:start] + question[end:]
    mine = mine.replace('id = "failure-question"', 'id = "asks"', 1)
    mine = mine.replace('title = "The failure question"', 'title = "Asks"', 1)
    (data_home / "decks" / "asks.toml").write_text(mine, encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deck(pilot, "asks")
        deck = app.catalog.deck("asks")
        assert deck.followups == ()
        assert text_of(app.screen, "#card-list-title") == "Asks  27 cards · built-in follow-ups (f)"
        await pilot.press("f")
        assert text_of(app.screen, "#editor-status") == (
            "No follow-ups of its own: its cards get the built-in deck's 12. ctrl+b adds the "
            "built-in ones here to edit."
        )
        await pilot.press("escape", "escape", "escape")
        await open_deck(pilot, "failure-question")
        assert text_of(app.screen, "#card-list-title") == (
            "The failure question  27 cards · 12 follow-ups (f)  · built-in, read-only (c in the "
            "deck list copies it)"
        )


async def test_a_bad_line_is_named_and_nothing_is_saved(app_factory, data_home):
    install_with_followups(data_home)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_followups(pilot, "mine")
        assert editor.query_one("#followups-text", TextArea).text == (
            "lesson | What would you do differently?\nimpact | What did it cost?"
        )
        await type_lines(pilot, "lesson | What would you do differently?\nlessons | Why?")
        assert text_of(editor, "#editor-status") == (
            "follow-ups, line 2: 'lessons' is not one of context, task, failure, impact, "
            "quantified, remedy, lesson, applied"
        )
        notes = []
        app.notify = lambda message, **kw: notes.append(message)
        await pilot.press("ctrl+s")
        assert notes == [
            "Not saved: follow-ups, line 2: 'lessons' is not one of context, task, failure, "
            "impact, quantified, remedy, lesson, applied"
        ]
        assert mine_path(data_home).read_text() == WITH_FOLLOWUPS


async def test_escape_and_ctrl_q_ask_before_unsaved_lines_are_lost(app_factory, data_home):
    install_with_followups(data_home)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_followups(pilot, "mine")
        await type_lines(pilot, "task | What was yours to deliver?")
        assert str(editor.query_one("#followups-summary", Static).render()) == (
            "Questions: task 1\nNo question for: failure, impact, lesson, remedy, applied, "
            "quantified, context (an answer missing only these is asked nothing)\nNone of this "
            "deck's cards is a failure-question card (one with the eight standard key points), "
            "so these are not asked yet."
        )
        await pilot.press("escape")
        assert isinstance(app.screen, ChoiceScreen)
        assert text_of(app.screen, "#choice-question") == "The follow-ups have unsaved changes."
        await pilot.press("down", "down", "enter")  # go on editing
        assert app.screen is editor
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # save them, then quit
        assert load_deck(mine_path(data_home)).followups == (
            FollowUp("task", "What was yours to deliver?"),
        )
        assert not app.is_running


async def test_a_file_changed_on_disk_is_merged_and_a_conflict_kept_in_a_backup(
    app_factory, data_home
):
    install_with_followups(data_home)
    path = mine_path(data_home)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(pilot, "mine")
        # Someone edits a card by hand meanwhile: a merge keeps it, with no backup.
        path.write_text(WITH_FOLLOWUPS.replace("Practise aloud.", "Practise aloud, daily."))
        await type_lines(
            pilot, "lesson | What would you do differently now?\nimpact | What did it cost?"
        )
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # apply my change to the file as it is now
        deck = load_deck(path)
        assert deck.card("tip").answer == "Practise aloud, daily."
        assert deck.followups[0] == FollowUp("lesson", "What would you do differently now?")
        assert not (data_home / "backups" / "decks").exists()

        # Now both change the follow-ups: mine is saved, theirs kept in backups/ and named.
        theirs = path.read_text().replace("What did it cost?", "What did it cost them?")
        path.write_text(theirs)
        await type_lines(pilot, "impact | How much did it cost?")
        await pilot.press("ctrl+s")
        notes = []
        app.notify = lambda message, **kw: notes.append(message)
        await pilot.press("enter")  # merge
        assert load_deck(path).followups == (FollowUp("impact", "How much did it cost?"),)
        (backup,) = (data_home / "backups" / "decks").iterdir()
        assert backup.read_text() == theirs
        assert notes == [
            "Saved your change into the new version of mine.toml. The file's follow-ups had "
            f"also changed: yours is saved; the version on disk is in backups/decks/{backup.name}."
        ]


async def test_a_built_in_deck_shows_its_follow_ups_read_only(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_followups(pilot, "failure-question")
        area = editor.query_one("#followups-text", TextArea)
        assert area.read_only
        assert len(area.text.splitlines()) == 12
        assert text_of(editor, "#editor-status") == "12 follow-ups (read-only)"
        assert str(editor.query_one("#followups-summary", Static).render()) == (
            "Questions: failure 2 · impact 2 · lesson 2 · remedy 1 · applied 2 · quantified 1 "
            "· context 1 · task 1"
        )
        await pilot.press("ctrl+s", "ctrl+b", "escape")  # neither saves nor asks
        assert isinstance(app.screen, CardListScreen)
