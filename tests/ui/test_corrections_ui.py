"""Pilot tests of correcting the grade on the feedback screen (``c``, space, enter)."""

from __future__ import annotations

import json

from textual.widgets import SelectionList
from textual.widgets._footer import FooterKey

from failtui.corrections import cue_sentence
from failtui.storage import open_db
from failtui.ui.screens.corrections import CorrectionsScreen
from failtui.ui.screens.feedback import FeedbackScreen
from failtui.ui.screens.help import KEYS
from tests.ui.test_drill_flow import ANSWER, own_footer_keys, static_text, type_text

REMEDY, BLAME = 5, 9  # their rows in the list: 8 key points, then the red flags


def stored_corrections(data_home, columns: str) -> list[tuple]:
    """The stored rows of ``attempt_corrections`` (the named columns), in the order stored."""
    store = open_db(data_home / "failtui.db")
    try:
        rows = store.query(f"SELECT {columns} FROM attempt_corrections ORDER BY attempt_id, kind")
        return [tuple(r) for r in rows]
    finally:
        store.close()


async def feedback(pilot):
    await pilot.press("down", "enter")  # the question deck
    await type_text(pilot, ANSWER)
    await pilot.press("ctrl+s")
    assert isinstance(pilot.app.screen, FeedbackScreen)
    return pilot.app.screen


async def tick(pilot, *rows: int) -> None:
    listing = pilot.app.screen.query_one(SelectionList)
    for row in rows:
        listing.highlighted = row
        await pilot.press("space")


async def test_correcting_changes_the_feedback_and_the_stored_labels(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await feedback(pilot)
        model = screen.model_grade
        covered = [kp.id for kp in model.key_points if kp.covered]
        raised = [rf.id for rf in model.red_flags]
        # ANSWER tells no remedy and blames nobody: the test marks both.
        assert "remedy" not in covered and "blame" not in raised
        await pilot.press("c")
        assert isinstance(app.screen, CorrectionsScreen)
        await pilot.pause()
        assert own_footer_keys(app.screen) == [
            ("question_mark", "Help"),
            ("enter", "Apply"),
            ("space", "Tick"),
            ("escape", "Cancel"),
        ]
        listing = app.screen.query_one(SelectionList)
        assert listing.selected == [("key_point", kp) for kp in covered] + [
            ("red_flag", rf) for rf in raised
        ]
        await tick(pilot, REMEDY, BLAME)
        await pilot.press("enter")
        assert app.screen is screen
        weights = {kp.id: kp.weight for kp in screen.card.key_points}
        coverage = sum(weights[k] for k in [*covered, "remedy"]) / sum(weights.values())
        cue = cue_sentence(screen.card, model, "remedy", ANSWER)
        grade = static_text(screen, "#grade")
        assert f"Key points: {coverage:.0%} covered" in grade
        assert (
            f'✓ What you did to fix it or prevent a repeat (yours)  "{cue}"  counts next time'
        ) in grade.replace("\n", " ")
        assert "! Blames others or circumstances (yours)" in grade
        # blame is a severe red flag: the suggestion follows the corrected grade.
        assert "enter = Again" in static_text(screen, "#ratings")
        await pilot.press("3")
    store = open_db(data_home / "failtui.db")
    try:
        rows = store.query(
            "SELECT kind, item_id, model_hit, user_hit FROM attempt_corrections ORDER BY kind"
        )
        assert [tuple(r) for r in rows] == [
            ("key_point", "remedy", 0, 1),
            ("red_flag", "blame", 0, 1),
        ]
        attempt = store.query("SELECT * FROM attempts")[0]
        assert (attempt["rating"], attempt["suggested_rating"]) == ("good", "again")
        stored_model = json.loads(attempt["model_grade_json"])
        assert stored_model["suggested_rating"] == model.suggested_rating
        hits = store.query("SELECT item_id, hit FROM attempt_items ORDER BY kind, item_id")
        assert {r["item_id"]: r["hit"] for r in hits}["remedy"] == 1
        assert {r["item_id"]: r["hit"] for r in hits}["blame"] == 1
        (taught,) = store.query("SELECT key_point_id, cue FROM personal_cues")
        assert tuple(taught) == ("remedy", cue)
    finally:
        store.close()


async def test_escape_cancels_and_unticking_restores_the_graders_grade(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await feedback(pilot)
        before = static_text(screen, "#grade")
        await pilot.press("c")
        await tick(pilot, BLAME)
        await pilot.press("escape")
        assert app.screen is screen
        assert static_text(screen, "#grade") == before
        assert screen.grade is screen.model_grade
        await pilot.press("c")
        await tick(pilot, 0)  # context: the other way from the grader's label
        await pilot.press("enter")
        graded = screen.model_grade.key_points[0].covered
        mark = "✗" if graded else "✓"
        assert f"{mark} Situation and your role (yours)" in static_text(screen, "#grade")
        await pilot.press("c")
        assert (
            app.screen.query_one(SelectionList)
            .get_option_at_index(0)
            .prompt.plain.endswith("(yours)")
        )
        await tick(pilot, 0)  # back to the grader's label
        await pilot.press("enter")
        assert screen.grade is screen.model_grade
        assert static_text(screen, "#grade") == before


async def test_dismissed_red_flag_is_listed(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")
        await type_text(pilot, "My manager gave me the wrong numbers, so it was not my fault.")
        await pilot.press("ctrl+s")
        screen = app.screen
        raised = [rf.id for rf in screen.model_grade.red_flags]
        assert "blame" in raised
        await pilot.press("c")
        await tick(pilot, BLAME)
        await pilot.press("enter")
        assert "blame" not in [rf.id for rf in screen.grade.red_flags]
        assert "Dismissed by you: Blames others or circumstances" in static_text(screen, "#grade")


async def test_correct_key_is_in_the_footer_at_80_columns_and_in_the_help(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await feedback(pilot)
        await pilot.pause()
        keys = {k.key: k for k in app.screen.query(FooterKey)}
        assert keys["c"].description == "Correct"
        assert keys["c"].region.right <= 80 and keys["c"].region.width > 0
    feedback_keys = dict(dict(KEYS)["Feedback"])
    assert feedback_keys["c"].startswith("correct the grade")
    assert set(dict(dict(KEYS)["Correct the grade"])) == {"↑ ↓", "space", "enter", "escape"}


async def test_deck_text_that_looks_like_markup_is_shown_as_written(app_factory, markup_deck):
    app = app_factory(start_drill=True, deck_id="markup")
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, "My boss did it.")
        await pilot.press("ctrl+s")
        screen = app.screen
        await pilot.press("c")
        listing = app.screen.query_one(SelectionList)
        prompts = [listing.get_option_at_index(i).prompt.plain for i in range(2)]
        assert prompts == [
            "key point missed     Lesson [/b] label",
            "red flag  raised     Blame [@click=app.quit]x[/]",
        ]
        await tick(pilot, 0, 1)  # lesson covered, blame dismissed
        prompts = [listing.get_option_at_index(i).prompt.plain for i in range(2)]
        assert prompts == [
            "key point covered    Lesson [/b] label (yours)",
            "red flag  not raised Blame [@click=app.quit]x[/] (yours)",
        ]
        await pilot.press("enter")
        assert app.screen is screen and app.is_running
        grade = static_text(screen, "#grade")
        assert "✓ Lesson [/b] label (yours)" in grade
        assert "Dismissed by you: Blame [@click=app.quit]x[/]" in grade


async def test_a_red_flag_dismissed_on_the_same_sentence_before_is_dismissed_again(
    app_factory, markup_deck, clock, data_home
):
    app = app_factory(start_drill=True, deck_id="markup")
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, "My boss did it.")
        assert "Red flags" in static_text(app.screen, "#live-panel")
        await pilot.press("ctrl+s")
        await pilot.press("c")
        await tick(pilot, 1)  # blame dismissed
        await pilot.press("enter", "1")  # rated Again: due again in a minute
    clock.advance(minutes=5)
    app = app_factory(start_drill=True, deck_id="markup")
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, "My boss did it.")
        # Neither the live panel nor the feedback raises it again; the panel says so.
        panel = static_text(app.screen, "#live-panel").split("\n")
        # Under the length and coverage lines, where the red flags would be.
        assert panel[2:5] == ["", "1 flag dismissed again", ""]
        assert panel[5] == "Key points"
        assert "Red flags" not in panel
        await pilot.press("ctrl+s")
        screen = app.screen
        assert isinstance(screen, FeedbackScreen)
        assert [rf.id for rf in screen.model_grade.red_flags] == ["blame"]
        assert screen.grade.red_flags == ()
        grade = static_text(screen, "#grade").split("\n")
        start = grade.index(
            "Dismissed again (you dismissed it on this sentence before; c raises it)"
        )
        assert grade[start - 1 : start + 3] == [
            "",
            "Dismissed again (you dismissed it on this sentence before; c raises it)",
            ' - Blame [@click=app.quit]x[/]  "My boss did it."',
            "",
        ]
        assert [line for line in grade if line.startswith("Dismissed")] == [grade[start]]
        await pilot.press("c")
        listing = app.screen.query_one(SelectionList)
        prompt = listing.get_option_at_index(1).prompt.plain
        assert prompt == "red flag  not raised Blame [@click=app.quit]x[/] (yours)"
        await tick(pilot, 1)  # the user raises it again
        await pilot.press("enter")
        assert app.screen is screen
        assert screen.grade is screen.model_grade
        assert "Dismissed" not in static_text(screen, "#grade")
        assert "! Blame [@click=app.quit]x[/]" in static_text(screen, "#grade")
        await pilot.press("3")
    # Only the first answer's dismissal: the second left the grader's flag as it was.
    columns = "attempt_id, kind, item_id, model_hit, user_hit"
    assert stored_corrections(data_home, columns) == [(1, "red_flag", "blame", 1, 0)]
    store = open_db(data_home / "failtui.db")
    try:
        ratings = store.query("SELECT rating FROM attempts ORDER BY id")
        assert [r["rating"] for r in ratings] == ["again", "good"]
    finally:
        store.close()


async def test_the_feedback_stores_a_flag_dismissed_again_as_remembered(
    app_factory, markup_deck, clock, data_home
):
    for _ in range(2):
        app = app_factory(start_drill=True, deck_id="markup")
        async with app.run_test(size=(100, 30)) as pilot:
            await type_text(pilot, "My boss did it.")
            await pilot.press("ctrl+s")
            if not app.screen.remembered:  # the first answer: the user dismisses the flag
                await pilot.press("c")
                await tick(pilot, 1)
                await pilot.press("enter")
            await pilot.press("1")
        clock.advance(minutes=5)
    assert stored_corrections(
        data_home, "attempt_id, item_id, model_hit, user_hit, remembered"
    ) == [
        (1, "blame", 1, 0, 0),
        (2, "blame", 1, 0, 1),
    ]


async def test_space_and_down_typed_at_once_tick_each_row(app_factory):
    """Every space ticks the row it was pressed on, however fast the keys come."""
    from textual import events

    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await feedback(pilot)
        await pilot.press("c")
        listing = app.screen.query_one(SelectionList)
        before = set(listing.selected)
        rows = [listing.get_option_at_index(i).value for i in range(3)]
        for key, character in [("space", " "), ("down", None)] * 2 + [("space", " ")]:
            app.post_message(events.Key(key, character))  # one burst, queued before handled
        for _ in range(5):
            await pilot.pause()
        assert set(listing.selected) == before ^ set(rows)
        assert listing.highlighted == 2


def test_the_feedback_says_which_sentence_a_story_number_teaches_or_that_none_does():
    from failtui.corrections import apply_marks
    from failtui.grading import grade_answer
    from failtui.models import KEY_POINT
    from failtui.ui.screens.feedback import feedback_text
    from tests.unit.test_corrections import NUMBERS_SENTENCE, STORY_ANSWER, login_story_card

    card = login_story_card()
    first = {(KEY_POINT, "story-login-number-1"): True}
    model = grade_answer(card, STORY_ANSWER)
    lines = feedback_text(card, apply_marks(card, STORY_ANSWER, model, first), model).plain
    assert (
        f' ✓ A number from your story (1 of 3) (yours)  "{NUMBERS_SENTENCE}"  counts next time'
    ) in lines.splitlines()
    answer = "I skipped the regression checks. I rolled back within the hour and added a gate."
    model = grade_answer(card, answer)
    lines = feedback_text(card, apply_marks(card, answer, model, first), model).plain
    assert (
        " ✓ A number from your story (1 of 3) (yours)  no sentence shows it: no cue kept"
    ) in lines.splitlines()


def drawn_rows(listing) -> list[str]:
    """The lines a tick list draws, as text (its scrollbar left out)."""
    return [listing.render_line(y).text.rstrip() for y in range(listing.size.height)]


async def test_a_long_label_wraps_at_80_columns_with_its_box_on_its_first_line(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await feedback(pilot)
        await pilot.press("c")
        listing = app.screen.query_one(SelectionList)
        listing.highlighted = 13  # scrolled down to the red flags
        await pilot.pause()
        rows = drawn_rows(listing)
        applied = rows.index("▐X▌ key point missed     The lesson applied later, with a better")
        assert rows[applied + 1 :][:6] == [
            "    outcome",
            "▐X▌ red flag  not raised Claims never to have failed, or dodges",
            "▐X▌ red flag  not raised Blames others or circumstances",
            "▐X▌ red flag  not raised A disguised strength",
            "▐X▌ red flag  not raised A personal-life story instead of work or",
            "    study",
        ]
        # Each box shows its own row's tick, below a wrapped row too.
        await tick(pilot, BLAME)
        rows = drawn_rows(listing)
        blame = rows.index("▐X▌ red flag  raised     Blames others or circumstances (yours)")
        ticked = listing.get_component_rich_style("selection-list--button-selected-highlighted")
        untouched = listing.get_component_rich_style("selection-list--button")
        assert [list(listing.render_line(y))[1].style.color for y in (blame, blame - 1)] == [
            ticked.color,
            untouched.color,
        ]
