"""Pilot tests of the whole drill: type, submit, rate, undo, next, summary."""

from __future__ import annotations

import gc

from textual.widgets import Footer, Static, TextArea
from textual.widgets._footer import FooterKey

from failtui.grading import grade_answer
from failtui.storage import open_db
from failtui.ui.screens.drill import DrillScreen
from failtui.ui.screens.feedback import FeedbackScreen
from failtui.ui.screens.help import HelpScreen
from failtui.ui.screens.home import HomeScreen
from failtui.ui.screens.summary import SummaryScreen
from tests.conftest import FIXED_NOW
from tests.unit.test_deck_index import deck_text

ANSWER = (
    "I was a shift lead in a warehouse and my job was to get the orders out. "
    "I forgot to check the pallets, so forty orders went out wrong. I learned to double check."
)


def static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def own_footer_keys(screen) -> list[tuple[str, str]]:
    """The (key, description) pairs the screen's own footer shows."""
    footer = screen.query_one(Footer)
    return [(k.key, k.description) for k in footer.query(FooterKey)]


async def type_text(pilot, text: str) -> None:
    area = pilot.app.screen.query_one("#answer", TextArea)
    area.insert(text)
    await pilot.pause()  # the live panel regrades once the queued keys are handled


async def test_home_lists_decks_with_counts(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        rows = app.screen.deck_rows
        assert [(r.key, r.title, r.new, r.learning, r.due) for r in rows] == [
            ("__all__", "All decks", 10, 0, 0),
            ("failure-question", "The failure question", 10, 0, 0),
            ("failure-tips", "Failure question: the advice", 10, 0, 0),
            ("failure-pitfalls", "Failure question: pitfalls", 10, 0, 0),
        ]
        shown = [row.plain for row in app.screen.query_one("#decks").rows]
        assert shown[1].split() == ["The", "failure", "question", "27", "cards", "10", "0", "0"]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        # The help's own footer shows its one key, not the home screen's keys behind it.
        assert own_footer_keys(app.screen) == [("escape", "Close")]
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_full_flow_type_submit_rate_undo(app_factory, data_home):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")  # the question deck
        assert isinstance(app.screen, DrillScreen)
        first = app.screen.card
        assert first.key == "failure-question/biggest-failure"
        await type_text(pilot, ANSWER)
        panel = static_text(app.screen, "#live-panel")
        # The live panel shows the grade of the answer as typed, key point by key point.
        grade = grade_answer(first, ANSWER)
        for kp in grade.key_points[:2]:
            mark = "✓" if kp.covered else "·"
            assert f"{mark} {kp.label.split()[0]}" in panel, kp.id
        assert f"{grade.words} words" in panel
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        grade_text = static_text(app.screen, "#grade")
        assert "✓" in grade_text and "✗" in grade_text
        ratings = static_text(app.screen, "#ratings")
        assert "1 Again" in ratings and "4 Easy" in ratings and "★" in ratings
        await pilot.press("3")
        assert isinstance(app.screen, DrillScreen)
        second = app.screen.card
        assert second.key != first.key
        # The rating was committed before the next card appeared.
        store = open_db(data_home / "failtui.db")
        assert store.query("SELECT rating, card_key FROM reviews")[0][0] == 3
        await type_text(pilot, "half an answer")
        await pilot.press("ctrl+s")
        await pilot.press("u")  # undo the rating of the first card
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.card.key == first.key
        assert app.screen.query_one("#answer", TextArea).text == ANSWER
        assert store.query("SELECT count(*) FROM reviews")[0][0] == 0
        assert store.query("SELECT count(*) FROM attempts")[0][0] == 0
        # The second card's typed answer was kept as its draft.
        assert store.query("SELECT text FROM drafts WHERE card_key = ?", (second.key,))[0][0] == (
            "half an answer"
        )


async def test_limit_ends_in_summary(app_factory):
    app = app_factory(start_drill=True, limit=1, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, DrillScreen)
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s", "enter")
        assert isinstance(app.screen, SummaryScreen)
        summary = static_text(app.screen, "#summary")
        assert summary.splitlines()[0] == "Drill done: 1 card rated"
        assert summary.splitlines()[-3] == (
            "Next card: failure-question/biggest-failure-current-job, due now."
        )
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        assert "Today: 1 review " in static_text(app.screen, "#overview")


async def test_two_enters_at_once_rate_and_go_home_without_a_crash(app_factory):
    """Enter held or bounced on the last card: the second one lands on the new summary."""
    from textual import events

    app = app_factory(start_drill=True, limit=1, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        for _ in range(2):  # both queued before either is handled
            app.post_message(events.Key("enter", "\r"))
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.return_code is None and not app._exit_renderables
        assert "Today: 1 review " in static_text(app.screen, "#overview")


async def test_empty_answer_can_be_submitted(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-tips")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        assert "Guidance" in static_text(app.screen, "#grade")
        await pilot.press("escape")
        assert isinstance(app.screen, DrillScreen)


async def test_a_blank_answer_is_an_empty_one(app_factory, data_home):
    app = app_factory(start_drill=True, deck_id="failure-question", limit=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+l", "enter", "enter", "space", "space", "space", "ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        assert static_text(app.screen, "#your-answer") == "(no answer: here is the card's guidance)"
        assert app.screen.followup is None
        await pilot.press("1")
        assert isinstance(app.screen, SummaryScreen)
    store = open_db(data_home / "failtui.db")
    try:
        rows = store.query("SELECT answer, words FROM attempts")
        assert [tuple(row) for row in rows] == [("", 0)]  # stored as the empty answer it is
        assert store.query("SELECT count(*) FROM drafts")[0][0] == 0
    finally:
        store.close()


async def test_draft_is_saved_and_restored(app_factory, data_home):
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, "a draft in progress")
        await pilot.press("escape")  # leaving the drill saves it at once
        assert isinstance(app.screen, HomeScreen)
    again = app_factory(start_drill=True, deck_id="failure-question")
    async with again.run_test(size=(100, 30)):
        assert again.screen.query_one("#answer", TextArea).text == "a draft in progress"


async def test_exam_mode_hides_panel_and_is_remembered(app_factory):
    app = app_factory(start_drill=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        assert not app.screen.query_one("#live").display
    again = app_factory(start_drill=True)
    async with again.run_test(size=(100, 30)):
        assert not again.screen.query_one("#live").display


async def test_bury_moves_to_next_card(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        first = app.screen.card
        await pilot.press("ctrl+b")
        assert app.screen.card.key != first.key


async def answer_again_and_bring_it_back(pilot) -> None:
    """Answer the first card with ANSWER, rate it Again and show it again two minutes on."""
    app = pilot.app
    await type_text(pilot, ANSWER)
    await pilot.press("ctrl+s", "1")  # Again: the card comes back in a minute
    app.clock.advance(minutes=2)
    assert app.screen.session.next_card().key == "failure-question/biggest-failure"
    app.screen.next_card()
    await pilot.pause()


async def test_history_lists_attempts(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_again_and_bring_it_back(pilot)
        await pilot.press("ctrl+o")
        detail = static_text(app.screen, "#attempt-detail")
        assert "First attempt" in detail
        assert "shift lead" in detail


async def test_each_attempt_in_the_history_is_one_line_at_80_columns(app_factory):
    from textual.widgets import OptionList

    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_again_and_bring_it_back(pilot)
        await pilot.press("ctrl+o")
        attempts = app.screen.query_one("#attempts", OptionList)
        assert attempts.option_count == 1
        await pilot.pause()
        # The list as drawn: one line per attempt, none wrapped onto a second line.
        drawn = [attempts.render_line(y).text.strip(" ▊▎▌▐▔▁") for y in range(attempts.size.height)]
        rows = [row for row in drawn if row]
        answered = FIXED_NOW.astimezone().strftime("%Y-%m-%d %H:%M")  # shown in local time
        assert rows == [f"{answered}   65%  again"]


async def test_markup_in_deck_text_is_shown_literally(app_factory, markup_deck):
    app = app_factory(start_drill=True, deck_id="markup")
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, DrillScreen)
        prompt = static_text(app.screen, "#prompt")
        assert "[/b]" in prompt and "[@click=app.quit]x[/]" in prompt
        assert "[link=http://x]y[/link]" in prompt
        assert "Markup [b]deck[/b]" in static_text(app.screen, "#card-meta")
        await type_text(pilot, "[@click=app.quit]x[/] my boss. I learned [/b] things.")
        assert "Lesson [/b] label" in static_text(app.screen, "#live-panel")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        grade = static_text(app.screen, "#grade")
        assert "Blame [@click=app.quit]x[/]" in grade
        assert "Advice [/b] here" in grade
        assert "[link=http://x]y[/link]" in grade
        assert "[@click=app.quit]x[/]" in static_text(app.screen, "#your-answer")
        await pilot.press("enter")
        assert app.is_running


def home_lines(screen) -> list[str | None]:
    """The ids of home's lines from top to bottom, the hidden ones left out."""
    return [child.id for child in screen.query_one("#home").children if child.display]


async def test_broken_deck_is_listed_on_home(app_factory, data_home):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    broken = data_home / "decks" / "broken.toml"
    broken.write_text("id = [/b]")
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        errors = static_text(app.screen, "#deck-errors").splitlines()
        assert errors[0] == "Decks that failed to load:"
        assert errors[1].startswith(f"  {broken}:")
        assert len(errors) == 2
        assert home_lines(app.screen) == ["overview", "deck-heading", "decks", "deck-errors"]
        # Mended on disk and reloaded: the errors line goes, the deck is listed.
        broken.write_text(deck_text("mended", "one", title="Mended"), "utf-8")
        await pilot.press("r")
        await pilot.pause()
        assert home_lines(app.screen) == ["overview", "deck-heading", "decks"]
        assert app.screen.deck_rows[-1].key == "mended"


async def test_the_app_turns_the_cycle_collector_back_on_after_its_first_frame(app_factory):
    app = app_factory()
    gc.disable()  # as the launcher does before it builds the app
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_home_without_errors_or_interview_shows_only_its_lines(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The optional lines are mounted only once they have something to show.
        assert [child.id for child in app.screen.query_one("#home").children] == [
            "overview",
            "deck-heading",
            "decks",
        ]


async def test_tiny_terminal_does_not_crash(app_factory):
    app = app_factory(start_drill=True)
    async with app.run_test(size=(40, 12)) as pilot:
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s", "enter")
        await pilot.press("question_mark", "escape")
        assert app.is_running


async def test_command_palette_has_failtui_commands(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        ours = titles[titles.index("Drill all due cards") :]
        assert ours == [
            "Drill all due cards", "Drill aloud (speak mode)", "Practise ahead",
            "Study new cards now", "Statistics", "Decks", "My stories", "Card browser",
            "Settings", "Interview plan", "Reload decks", "Help",
        ]  # fmt: skip
        assert "Keys" not in titles


async def test_the_model_loads_when_the_drill_opens_before_any_key(app_factory):
    from failtui.grading.model import forget_model, model_loaded

    forget_model()  # waits for any reading still going on in another test's worker
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        assert not model_loaded()  # never on the home screen's path
        await pilot.press("down", "enter")
        assert isinstance(app.screen, DrillScreen)
        await app.workers.wait_for_complete()
        assert app.screen.query_one("#answer", TextArea).text == ""
        assert model_loaded()


async def test_ctrl_s_typed_in_one_burst_with_the_answer_grades_all_of_it(app_factory):
    """A priority ctrl+s waits for the keys typed before it, still queued in the answer box."""
    from textual import events

    app = app_factory(start_drill=True, deck_id="failure-tips")
    async with app.run_test(size=(100, 30)) as pilot:
        text = "I learned to test first."
        for character in text:  # one burst: all queued before the first is handled
            app.post_message(events.Key(character, character))
        app.post_message(events.Key("ctrl+s", None))
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        assert app.screen.answer == text


async def test_undo_after_a_bury_brings_the_card_back_before_any_rating(app_factory, data_home):
    """ctrl+r right after ctrl+b takes back the bury, not the rating given before it."""
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        rated = app.screen.card
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s", "3")  # Good: one rating
        buried = app.screen.card
        await type_text(pilot, "half an answer")
        await pilot.press("ctrl+b")
        assert app.screen.card.key != buried.key
        await pilot.press("ctrl+r")
        assert app.screen.card.key == buried.key
        assert app.screen.query_one("#answer", TextArea).text == "half an answer"
        store = app.store
        assert (
            store.query("SELECT buried_until FROM card_state WHERE card_key = ?", (buried.key,))[0][
                0
            ]
            is None
        )
        assert store.query("SELECT card_key FROM reviews")[0][0] == rated.key  # still rated
        await pilot.press("ctrl+r")  # next: the rating itself
        assert app.screen.card.key == rated.key
        assert store.query("SELECT count(*) FROM reviews")[0][0] == 0


async def test_history_says_when_an_answer_is_the_same_as_the_one_before(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(2):  # the same answer twice
            await answer_again_and_bring_it_back(pilot)
        newest = app.screen.session.attempts(app.screen.card)[0]
        await pilot.press("ctrl+o")
        detail = static_text(app.screen, "#attempt-detail")
        tail = detail.split("Since the attempt before\n", 1)[1]
        # Said in one line, the answer not shown a second time.
        assert tail.strip() == f"the same answer, coverage {newest.coverage:.0%}"


async def test_undo_in_a_new_drill_takes_back_the_newest_rating_of_an_earlier_one(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "enter")  # the failure question
        rated = app.screen.card
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s", "3", "escape", "enter")  # Good, home, a new drill
        assert isinstance(app.screen, DrillScreen) and app.screen.card.key != rated.key
        await pilot.press("ctrl+r")
        assert [n.message for n in app._notifications][-1] == (
            f"Undid the rating Good of {rated.key} (given 2026-11-23 12:00); its answer is the "
            "card's draft again."
        )
        assert app.screen.card.key == rated.key  # this drill's deck: shown again, answer kept
        assert app.screen.query_one("#answer", TextArea).text == ANSWER
        assert app.store.query("SELECT count(*) FROM reviews")[0][0] == 0
        await pilot.press("ctrl+r")
        assert [n.message for n in app._notifications][-1] == (
            "Nothing more to undo in this drill; 'failtui undo' takes back older ratings."
        )


async def test_u_on_the_first_feedback_of_a_drill_says_how_to_undo_the_newest_rating(app_factory):
    """The feedback's u undoes this drill's ratings; before the first, it names ctrl+r, which
    reaches the newest rating of all, and does what it says."""
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        older = await rate_in_new_drill(pilot, "3")
        await pilot.press("enter")  # a new drill: its first card's feedback
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s", "u")
        assert last_message(app) == (
            "Nothing rated in this drill yet; to undo the newest rating of all, press escape, "
            "then ctrl+r."
        )
        await pilot.press("escape", "ctrl+r")
        assert last_message(app).startswith(f"Undid the rating Good of {older} ")
        await pilot.press("ctrl+s", "u")
        assert last_message(app) == (
            "Nothing more to undo in this drill; 'failtui undo' takes back older ratings."
        )


def last_message(app) -> str:
    return [n.message for n in app._notifications][-1]


def rows(app, sql: str) -> list[tuple]:
    return [tuple(row) for row in app.store.query(sql)]


async def rate_in_new_drill(pilot, rating: str) -> str:
    """From home: open the failure question's drill, answer, rate, go home; the card's key."""
    await pilot.press("down", "enter")
    key = pilot.app.screen.card.key
    await type_text(pilot, ANSWER)
    await pilot.press("ctrl+s", rating, "escape")
    return key


async def test_undo_in_a_drill_takes_back_its_own_rating_and_never_an_older_one(app_factory):
    """ctrl+r twice in a drill that rated one card: its rating goes, the older one stays."""
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        older = await rate_in_new_drill(pilot, "3")
        await pilot.press("enter")  # a new drill, which rates one card
        own = app.screen.card.key
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s", "3")
        await pilot.press("ctrl+r")
        assert last_message(app) == "Last rating undone."
        assert app.screen.card.key == own
        await pilot.press("ctrl+r")
        assert last_message(app) == (
            "Nothing more to undo in this drill; 'failtui undo' takes back older ratings."
        )
        assert rows(app, "SELECT card_key, rating FROM reviews") == [(older, 3)]


async def test_undo_keeps_the_text_typed_since_and_puts_the_old_answer_below_it(app_factory):
    """ctrl+r on the card whose rating it undoes loses neither the typed text nor the answer."""
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        rated = await rate_in_new_drill(pilot, "3")
        app.open_drill(app.new_session(card_key=rated))  # the same card, drilled again
        await pilot.pause()
        assert app.screen.card.key == rated
        await type_text(pilot, "NEW ANSWER typed carefully today")
        await pilot.press("ctrl+r")
        assert last_message(app) == (
            f"Undid the rating Good of {rated} (given 2026-11-23 12:00); its answer is below "
            "the text typed since, in the card's draft."
        )
        both = f"NEW ANSWER typed carefully today\n\n{ANSWER}"
        assert app.screen.card.key == rated
        assert app.screen.query_one("#answer", TextArea).text == both
        assert rows(app, "SELECT card_key, text FROM drafts") == [(rated, both)]


async def test_undo_on_home_asks_first_each_time_and_counts_again(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        older = await rate_in_new_drill(pilot, "3")
        rated = await rate_in_new_drill(pilot, "4")  # Easy: no longer new
        assert app.screen.deck_rows[1].new == 8
        await pilot.press("ctrl+r")
        assert static_text(app.screen, "#choice-question") == (
            f"Undo Easy of {rated}, given 2026-11-23 12:00?"
        )
        await pilot.press("enter")  # "Undo it"
        assert last_message(app) == (
            f"Undid the rating Easy of {rated} (given 2026-11-23 12:00); its answer is the "
            "card's draft again."
        )
        assert isinstance(app.screen, HomeScreen) and app.screen.deck_rows[1].new == 9
        await pilot.press("ctrl+r")  # asks again, naming the older rating
        assert static_text(app.screen, "#choice-question") == (
            f"Undo Good of {older}, given 2026-11-23 12:00?"
        )
        await pilot.press("escape")  # kept
        assert isinstance(app.screen, HomeScreen) and app.screen.deck_rows[1].new == 9
        assert rows(app, "SELECT card_key, rating FROM reviews") == [(older, 3)]


async def test_undo_on_home_says_when_the_rating_asked_about_changed_meanwhile(
    app_factory, data_home
):
    from failtui.session import undo_newest_rating

    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        older = await rate_in_new_drill(pilot, "3")
        rated = await rate_in_new_drill(pilot, "4")
        await pilot.press("ctrl+r")  # asks about `rated`
        other = open_db(data_home / "failtui.db")  # meanwhile, `failtui undo` in another shell
        assert undo_newest_rating(other, FIXED_NOW).card_key == rated
        other.close()
        await pilot.press("enter")
        assert last_message(app) == (
            "Nothing was undone: the ratings changed meanwhile (another failtui rated or "
            "undid); press ctrl+r to try again."
        )
        assert rows(app, "SELECT card_key, rating FROM reviews") == [(older, 3)]


async def test_undo_of_a_rating_already_undone_elsewhere_says_so(app_factory, data_home):
    from failtui.session import undo_newest_rating

    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        rated = app.screen.card
        await type_text(pilot, ANSWER)
        await pilot.press("ctrl+s", "3")
        shown_next = app.screen.card
        other = open_db(data_home / "failtui.db")  # `failtui undo` in another shell
        assert undo_newest_rating(other, FIXED_NOW).card_key == rated.key
        other.close()
        await pilot.press("ctrl+r")
        assert [n.message for n in app._notifications][-1] == (
            f"That rating (Good of {rated.key}) was already undone, by 'failtui undo' or "
            "another failtui; nothing was changed."
        )
        assert app.screen.card.key == shown_next.key
