"""Pilot tests of the interview-day screens: follow-up, speak mode, plan, home line, settings."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, SelectionList, Static, TextArea
from textual.widgets._footer import FooterKey

from failtui.storage import interviews as interview_store
from failtui.storage import open_db, queries
from failtui.ui.screens.feedback import FeedbackScreen
from failtui.ui.screens.followup import FollowUpScreen
from failtui.ui.screens.home import HomeScreen
from failtui.ui.screens.plan import PlanScreen
from failtui.ui.screens.speak import SpeakScreen
from failtui.ui.screens.summary import SummaryScreen

# Failure and impact are covered, the lesson is not: the follow-up asks about the lesson.
ANSWER = "I was team lead on a release. I forgot to update the config and the release failed."
FOLLOW_UP = "Looking back, what would you do differently now?"
LESSON = "I learned to never skip the review, whatever the date."


def static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def enter_label(screen) -> str:
    """What the footer says enter does."""
    (key,) = [k for k in screen.query(FooterKey) if k.key == "enter"]
    return key.description


async def test_feedback_and_speak_mode_name_the_interview_that_cuts_the_intervals(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question", limit=2)
    # The clock is 2026-11-23 12:00 UTC: the day before is Mon 30 Nov.
    interview_store.add_interview(app.store, "2026-12-01", "Acme", (), "x")
    note = "Intervals stop at Mon 30 Nov, the day before Acme (Tue 01 Dec)."
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#answer", TextArea).insert(ANSWER)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        assert static_text(app.screen, "#ratings").splitlines() == [
            note,
            "  1 Again 1m   ★ 2 Hard 6m     3 Good 10m     4 Easy 7d   enter = Hard",
        ]
        await pilot.press("3", "f2", "enter")  # rate, then the next card said aloud
        await pilot.pause()
        assert isinstance(app.screen, SpeakScreen)
        assert static_text(app.screen, "#speak-suggestion").splitlines()[-1] == note


async def test_follow_up_is_answered_graded_and_kept_with_the_answer(app_factory, data_home):
    app = app_factory(start_drill=True, deck_id="failure-question", limit=1)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#answer", TextArea).insert(ANSWER)
        await pilot.press("ctrl+s")
        feedback = app.screen
        assert isinstance(feedback, FeedbackScreen)
        assert feedback.followup.prompt == FOLLOW_UP
        assert static_text(feedback, "#followup-offer") == (
            f"The interviewer asks: {FOLLOW_UP}  f answers it"
        )
        await pilot.press("f")
        assert isinstance(app.screen, FollowUpScreen)
        app.screen.query_one("#followup-answer", TextArea).insert(LESSON)
        await pilot.press("ctrl+s")
        assert app.screen is feedback
        assert static_text(feedback, "#followup-offer") == (
            f'\nFollow-up: {FOLLOW_UP}\n{LESSON}\n ✓ covered  "{LESSON}"\n'
        )
        await pilot.press("2")
        assert isinstance(app.screen, SummaryScreen)
    store = open_db(data_home / "failtui.db")
    try:
        (row,) = store.query("SELECT key_point_id, prompt, answer, covered FROM followup_answers")
        assert tuple(row) == ("lesson", FOLLOW_UP, LESSON, 1)
        (attempt,) = queries.attempts_for_card(store, "failure-question/biggest-failure")
        assert attempt.answer == ANSWER
        assert attempt.followup.answer == LESSON
    finally:
        store.close()


async def test_a_key_point_given_in_the_follow_up_says_so_and_stays_missed(app_factory):
    from failtui.ui.screens.history import attempt_detail

    given = (
        " ✗ What you learned (given in the follow-up)  State the lesson in a sentence that "
        "starts 'I learned' and is specific enough to act on."
    )
    app = app_factory(start_drill=True, deck_id="failure-question", limit=1)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#answer", TextArea).insert(ANSWER)
        await pilot.press("ctrl+s", "f")
        app.screen.query_one("#followup-answer", TextArea).insert(LESSON)
        await pilot.press("ctrl+s")
        lines = static_text(app.screen, "#grade").splitlines()
        # The answer's own grade stays: the interviewer had to ask for the lesson.
        assert lines[0] == "Key points: 38% covered"
        assert given in lines
        await pilot.press("2")
        (attempt,) = queries.attempts_for_card(app.store, "failure-question/biggest-failure")
        assert attempt.coverage == pytest.approx(0.38, abs=0.005)
        assert " ✗ What you learned (given in the follow-up)" in (
            attempt_detail(attempt, None).plain.splitlines()
        )


async def test_leaving_the_follow_up_keeps_its_text(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#answer", TextArea).insert(ANSWER)
        await pilot.press("ctrl+s", "f")
        app.screen.query_one("#followup-answer", TextArea).insert("I would")
        await pilot.press("escape")
        assert isinstance(app.screen, FeedbackScreen)
        assert static_text(app.screen, "#followup-offer").endswith(
            "f answers it (your draft is kept)"
        )
        await pilot.press("f")
        assert app.screen.query_one("#followup-answer", TextArea).text == "I would"


async def test_the_follow_up_typed_before_a_quit_comes_back_as_its_draft(app_factory):
    typed = "Follow-up answer text FFF: we lost the client worth 50,000 euros."
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#answer", TextArea).insert(ANSWER)
        await pilot.press("ctrl+s", "f")
        await pilot.press(*typed)
        await pilot.press("ctrl+q")  # at once, before the pause that saves a draft
    assert app.return_code == 0
    again = app_factory(start_drill=True, deck_id="failure-question")
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.screen.query_one("#answer", TextArea).text == ANSWER
        await pilot.press("ctrl+s")
        assert static_text(again.screen, "#followup-offer") == (
            f"The interviewer asks: {FOLLOW_UP}  f answers it (your draft is kept)"
        )
        await pilot.press("f")
        assert again.screen.query_one("#followup-answer", TextArea).text == typed


async def test_rating_keeps_a_follow_up_answer_that_was_not_submitted(app_factory, data_home):
    app = app_factory(start_drill=True, deck_id="failure-question", limit=1)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#answer", TextArea).insert(ANSWER)
        await pilot.press("ctrl+s", "f")
        app.screen.query_one("#followup-answer", TextArea).insert(LESSON)
        await pilot.press("escape", "2")
        assert isinstance(app.screen, SummaryScreen)
        assert [n.message for n in app._notifications] == [
            "Your follow-up answer was not submitted: it is graded and kept with the rating."
        ]
        (row,) = app.store.query(
            "SELECT key_point_id, prompt, answer, covered FROM followup_answers"
        )
        assert tuple(row) == ("lesson", FOLLOW_UP, LESSON, 1)
        assert app.store.query("SELECT count(*) FROM drafts")[0][0] == 0  # rated: no draft left


async def test_no_follow_up_on_a_tip(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-tips")
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#answer", TextArea).insert("anything")
        await pilot.press("ctrl+s")
        assert app.screen.followup is None
        assert app.screen.query_one("#followup-offer").display is False
        await pilot.press("f")
        assert isinstance(app.screen, FeedbackScreen)


async def test_speak_mode_times_ticks_and_rates(app_factory, clock, data_home):
    app = app_factory(start_drill=True, deck_id="failure-question", limit=1, speak=True)
    async with app.run_test(size=(100, 30)) as pilot:
        speak = app.screen
        assert isinstance(speak, SpeakScreen)
        assert enter_label(speak) == "Done"
        clock.advance(seconds=135)
        await pilot.press("enter")  # done speaking
        await pilot.pause()
        assert speak.seconds == 135.0
        assert enter_label(speak) == "Rate Again"  # nothing ticked yet
        checklist = speak.query_one("#speak-checklist", SelectionList)
        for value in (("key_point", "failure"), ("key_point", "impact"), ("key_point", "lesson")):
            checklist.select(value)
        await pilot.pause()
        assert static_text(speak, "#speak-suggestion").startswith(
            "Key points covered: 43%  ·  red flags: 0\n"
        )
        await pilot.pause()  # the footer is composed again after the bindings change
        assert enter_label(speak) == "Rate Good"  # the footer follows the ticks
        assert speak.query_one("#speak-timer").value == "2:15"
        await pilot.press("enter")  # the suggested rating
        assert isinstance(app.screen, SummaryScreen)
    store = open_db(data_home / "failtui.db")
    try:
        (attempt,) = store.query("SELECT spoken, speaking_seconds, rating, coverage FROM attempts")
        assert (attempt["spoken"], attempt["speaking_seconds"]) == (1, 135.0)
        assert attempt["rating"] == "good"
        assert round(attempt["coverage"], 3) == round(4 / 9.2, 3)
    finally:
        store.close()


async def test_speak_mode_suggests_at_most_hard_for_an_answer_spoken_too_briefly(
    app_factory, clock
):
    app = app_factory(start_drill=True, deck_id="failure-question", limit=1, speak=True)
    async with app.run_test(size=(80, 24)) as pilot:
        speak = app.screen
        clock.advance(seconds=3)
        await pilot.press("enter")  # done speaking
        checklist = speak.query_one("#speak-checklist", SelectionList)
        for row in range(8):  # every key point, no red flag: Easy, were it long enough
            checklist.select(checklist.get_option_at_index(row).value)
        await pilot.pause()
        assert static_text(speak, "#speak-suggestion").splitlines() == [
            "Key points covered: 100%  ·  red flags: 0",
            "  1 Again 1m  ★ 2 Hard 6m    3 Good 10m    4 Easy 8d  enter = Hard",
            "Under 30 seconds spoken: at most Hard (too short for all you ticked).",
        ]
        await pilot.pause()
        assert enter_label(speak) == "Rate Hard"


async def test_the_speak_checklist_wraps_a_long_label_at_80_columns(app_factory):
    from tests.ui.test_corrections_ui import drawn_rows

    app = app_factory(start_drill=True, deck_id="failure-question", limit=1, speak=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # done speaking
        checklist = app.screen.query_one("#speak-checklist", SelectionList)
        checklist.highlighted = 8  # the first red flag, below the last key point
        await pilot.pause()
        rows = drawn_rows(checklist)
        applied = rows.index("▐X▌ key point missed     The lesson applied later, with a better")
        assert rows[applied + 1 : applied + 3] == [
            "    outcome",
            "▐X▌ red flag  not raised Claims never to have failed, or dodges",
        ]


async def test_f2_switches_between_typing_and_speaking(app_factory):
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        card = app.screen.card
        await pilot.press("f2")
        assert isinstance(app.screen, SpeakScreen) and app.screen.card is card
        await pilot.press("f2")
        assert app.screen.card is card and app.screen.query_one("#answer")


async def test_the_elapsed_time_goes_on_counting_through_f2_and_back(app_factory, clock):
    app = app_factory(start_drill=True, deck_id="failure-question")
    async with app.run_test(size=(100, 30)) as pilot:
        clock.advance(seconds=40)  # typing
        await pilot.press("f2")
        clock.advance(seconds=25)  # speaking
        await pilot.press("f2")
        assert app.screen.query_one("#answer")
        panel = str(app.screen.query_one("#live-panel", Static).render()).splitlines()
        assert panel[1] == "Coverage 0% · elapsed 1:05"


def add_acme_interview(data_home, day: str) -> None:
    """An interview "Acme" on ``day`` for the failure question, stored before the app starts."""
    data_home.mkdir(parents=True, exist_ok=True)
    store = open_db(data_home / "failtui.db")
    interview_store.add_interview(store, day, "Acme", ("failure-question",), "x")
    store.close()


async def home_settled(pilot) -> None:
    """Wait until home has drawn its interview line (made in a worker after the first frame)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_home_warns_of_cards_not_seen_by_an_interview_today(app_factory, data_home):
    add_acme_interview(data_home, "2026-11-23")  # the test clock's study day
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await home_settled(pilot)
        assert static_text(app.screen, "#interview-line") == (
            'Interview "Acme" today (2026-11-23)   Readiness: 0%   Not every card can be seen in '
            "time (i)"
        )


async def test_plan_screen_and_home_line(app_factory, data_home):
    add_acme_interview(data_home, "2026-11-30")
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await home_settled(pilot)
        assert static_text(app.screen, "#interview-line") == (
            'Interview "Acme" in 7 study days (2026-11-30)   Readiness: 0%'
        )
        # Mounted once there is an interview: between the overview and the deck list.
        assert [child.id for child in app.screen.query_one("#home").children] == [
            "overview",
            "interview-line",
            "deck-heading",
            "decks",
        ]
        await pilot.press("i")
        assert isinstance(app.screen, PlanScreen)
        detail = static_text(app.screen, "#plan-detail").splitlines()
        assert detail[:3] == [
            "Acme  ·  2026-11-30  ·  failure-question",
            "In 7 study days  ·  readiness 0% ",
            "The mean chance of recall of its 27 cards on the day if nothing more were "
            "reviewed; the 27 never studied count 0.",
        ]
        options = app.screen.query_one("#interviews", OptionList)
        assert str(options.get_option_at_index(0).prompt) == "2026-11-30  in 7 study days    Acme"
        # A drill started here comes back to a plan that counts its ratings.
        plan = app.screen
        await pilot.press("d")
        await pilot.press("ctrl+s", "3")  # an empty answer, rated Good: one card studied
        await pilot.press("escape")
        await pilot.pause()
        while app.screen is not plan:
            await pilot.press("escape")
            await pilot.pause()
        assert "1/27 studied" in static_text(app.screen, "#plan-detail")
        await pilot.press("x")
        await pilot.press("down", "enter")  # "Yes, remove it"
        assert interview_store.interviews(app.store) == []
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one("#interview-line").display is False


async def test_add_an_interview_on_the_form(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i", "n")
        await pilot.press(*"2026-11-20", "ctrl+s")
        assert static_text(app.screen, "#interview-error") == (
            "2026-11-20 is before today (2026-11-23): give a date ahead"
        )
        with app.store.write() as db:  # a card due long after the interview
            db["card_state"].insert(
                {
                    "card_key": "failure-question/biggest-failure",
                    "deck_id": "failure-question",
                    "state": "review",
                    "stability": 60.0,
                    "difficulty": 5.0,
                    "due": "2027-02-01T09:00:00.000000+00:00",
                    "last_review": "2026-11-20T09:00:00.000000+00:00",
                    "reps": 4,
                }
            )
        notes = []
        app.notify = lambda message, **kw: notes.append(message)
        day = app.screen.query_one("#interview-day")
        day.value = ""
        await pilot.press(*"2026-12-02", "tab", *"Acme", "ctrl+s")
        assert isinstance(app.screen, PlanScreen)
        (added,) = interview_store.interviews(app.store)
        assert (added.day, added.title, added.decks) == ("2026-12-02", "Acme", ())
        assert notes == [
            "Interview on 2026-12-02 added. 1 card due after 2026-12-01, the day before, is now "
            "due by then (only due dates moved; FSRS memory state is kept)."
        ]
        state = queries.card_state(app.store, "failure-question/biggest-failure")
        assert state.due == "2026-12-01T04:00:00.000000+00:00"


async def test_the_interview_form_error_goes_once_its_field_is_changed(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i", "n", *"12/20/2026", "ctrl+s")
        error = "'12/20/2026' is not a date: write it as YYYY-MM-DD, such as 2026-12-20"
        assert static_text(app.screen, "#interview-error") == error
        await pilot.press("tab", *"Acme")  # the title is not what the error is about
        assert static_text(app.screen, "#interview-error") == error
        await pilot.press("shift+tab", "ctrl+l", *"2026-12-20")
        assert app.screen.query_one("#interview-day", Input).value == "2026-12-20"
        assert static_text(app.screen, "#interview-error") == ""


async def test_settings_show_the_parameters_in_use(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        assert static_text(app.screen, "#fsrs-params") == (
            "FSRS parameters: fsrs defaults (not fitted: 'failtui optimize')"
        )


def test_the_review_calendar_marks_interview_days():
    from failtui.ui.widgets.heatmap import heatmap_text

    text = heatmap_text((("2026-11-23", 3), ("2026-11-24", 0)), frozenset({"2026-11-24"}))
    assert text.plain.splitlines() == [
        "    Nov",
        "Mon ■ ",
        "    ◆ ",
        "Wed   ",
        "      ",
        "Fri   ",
        "      ",
        "Sun   ",
        "    less ■ ■ ■ ■ ■ more  (busiest day: 3)   ◆ interview",
    ]
    assert "interview" not in heatmap_text((("2026-11-23", 3),), frozenset({"2026-12-01"})).plain


@pytest.mark.parametrize(("width", "listed"), [(80, False), (100, True)])
async def test_the_follow_up_key_is_in_the_footer_where_there_is_room(app_factory, width, listed):
    from tests.ui.test_drill_flow import own_footer_keys

    app = app_factory(start_drill=True, deck_id="failure-question", limit=1)
    async with app.run_test(size=(width, 30)) as pilot:
        app.screen.query_one("#answer", TextArea).insert(ANSWER)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FeedbackScreen)
        assert (("f", "Follow-up") in own_footer_keys(app.screen)) is listed
        await pilot.press("f")  # listed or not, the key answers the follow-up
        assert isinstance(app.screen, FollowUpScreen)


def plan_of_one_studied_card() -> list[str]:
    """The plan screen's text of an interview for two cards, one studied and one never."""
    from failtui.interview import DeckReadiness, Interview, NewCardPace, Plan
    from failtui.ui.screens.plan import plan_text

    plan = Plan(
        interview=Interview(1, "2026-11-26", "Acme", ("my-deck",)),
        today="2026-11-23",
        days_left=3,
        readiness=0.435,
        decks=(DeckReadiness("my-deck", 2, 1, 0.435),),
        due_per_day=(("2026-11-23", 0), ("2026-11-24", 0), ("2026-11-25", 1)),
        at_risk=(("my-deck/first", 0.87),),
        pace=NewCardPace(unseen=1, days=3, needed_per_day=1, allowed=10),
        cards=1,
        never_studied=1,
    )
    return plan_text(plan).plain.splitlines()


def test_the_plan_screen_names_the_chance_of_recall_of_the_cards_likeliest_forgotten():
    # A bare "87%" beside "Likeliest to be forgotten" reads as the chance of forgetting it.
    assert plan_of_one_studied_card()[-2:] == [
        "Likeliest to be forgotten on the day",
        "  recall  87%  my-deck/first",
    ]


def test_the_plan_screen_counts_one_card_in_the_singular():
    assert plan_of_one_studied_card()[2] == (
        "The mean chance of recall of its 1 card on the day if nothing more were reviewed; the "
        "1 never studied counts 0."
    )


async def test_plan_screen_of_a_past_interview_says_it_is_over(app_factory, data_home):
    add_acme_interview(data_home, "2026-11-20")  # three days before the test clock's day
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, PlanScreen)
        assert static_text(app.screen, "#plan-detail").splitlines() == [
            "Acme  ·  2026-11-20  ·  failure-question",
            "Interview was on 2026-11-20, 3 days ago: it is over. x removes it.",
        ]
        await pilot.press("x")
        assert app.screen.question == (
            "Remove the past interview on 2026-11-20? Nothing changes for its cards."
        )


async def test_home_and_plan_screen_name_a_deck_that_is_gone(app_factory, data_home):
    data_home.mkdir(parents=True, exist_ok=True)
    store = open_db(data_home / "failtui.db")
    interview_store.add_interview(store, "2026-11-30", "Temp", ("temp-deck",), "x")
    store.close()
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await home_settled(pilot)
        assert static_text(app.screen, "#interview-line") == (
            'Interview "Temp" in 7 study days (2026-11-30)   Deck temp-deck is not found '
            "(deleted?) (i)"
        )
        await pilot.press("i")
        assert static_text(app.screen, "#plan-detail").splitlines()[1:] == [
            "In 7 study days",
            "Deck temp-deck is not found (deleted?): no cards to plan for. Restore or fill its "
            "deck, or remove the interview and add it again with another deck.",
        ]


async def test_home_names_a_deck_that_does_not_load_in_short(app_factory, data_home):
    """The loader's error, with its file path, is the plan's to show: home names the deck."""
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "temp-deck.toml").write_text('id = "temp-deck"\ntitle = \n')
    store = open_db(data_home / "failtui.db")
    interview_store.add_interview(store, "2026-11-30", "Temp", ("temp-deck",), "x")
    store.close()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_settled(pilot)
        assert static_text(app.screen, "#interview-line") == (
            'Interview "Temp" in 7 study days (2026-11-30)   Deck temp-deck does not load (i)'
        )
        await pilot.press("i")
        deck_file = data_home / "decks" / "temp-deck.toml"
        assert static_text(app.screen, "#plan-detail").splitlines()[2] == (
            "Deck temp-deck does not load: temp-deck.toml:2: invalid TOML: Invalid value; run "
            f"'failtui decks validate {deck_file}': no cards to plan for. Restore or fill its "
            "deck, or remove the interview and add it again with another deck."
        )


async def test_home_names_a_gone_deck_and_cards_not_seen_in_time_together(app_factory, data_home):
    data_home.mkdir(parents=True, exist_ok=True)
    store = open_db(data_home / "failtui.db")
    # Today, so the failure question's 27 new cards cannot all be seen; temp-deck is gone.
    interview_store.add_interview(
        store, "2026-11-23", "Acme", ("failure-question", "temp-deck"), "x"
    )
    store.close()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await home_settled(pilot)
        assert static_text(app.screen, "#interview-line") == (
            'Interview "Acme" today (2026-11-23)   Readiness: 0%   2 problems (i)'
        )
        await pilot.press("i")
        detail = static_text(app.screen, "#plan-detail").splitlines()
        assert detail[4] == "Deck temp-deck is not found (deleted?)."
        assert detail[7] == (
            "Not every card will be seen: 27 cards of Acme are new and the daily limits let in "
            "10 today: run 'failtui drill --new' to study them now"
        )


async def test_the_plan_scrolls_with_the_page_keys_and_the_arrows_choose_an_interview(
    app_factory, data_home
):
    """At 80x24 a plan three weeks ahead runs past the screen: the page keys scroll it (the
    list of interviews has the focus, and once took them to jump to the next interview), the
    arrows choose an interview, whose plan shows from its top, and the footer names both."""
    from textual.containers import VerticalScroll

    from tests.ui.test_browser_settings import footer_keys

    add_acme_interview(data_home, "2026-12-21")
    store = open_db(data_home / "failtui.db")
    interview_store.add_interview(store, "2026-12-28", "Globex", ("failure-question",), "x")
    store.close()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        options = app.screen.query_one("#interviews", OptionList)
        view = app.screen.query_one("#plan-view", VerticalScroll)
        # 17 lines shown, 22 more below.
        assert (options.highlighted, view.scroll_y, view.max_scroll_y) == (0, 0, 22)
        await pilot.press("pagedown")
        await pilot.pause()
        assert (options.highlighted, view.scroll_y) == (0, 17)
        await pilot.press("pagedown")
        await pilot.pause()
        assert (options.highlighted, view.scroll_y) == (0, 22)  # the end of Acme's plan
        await pilot.press("down")
        await pilot.pause()
        assert (options.highlighted, view.scroll_y) == (1, 0)
        assert static_text(app.screen, "#plan-detail").startswith("Globex  ·  2026-12-28")
        await pilot.press("up")
        assert options.highlighted == 0
        assert [shown for shown, _right in await footer_keys(pilot)] == [
            "Help", "↑", "↓", "Interview", "pgup", "pgdn", "Scroll", "New interview", "Remove",
            "Drill", "Back",
        ]  # fmt: skip
