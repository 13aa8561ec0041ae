"""``failtui stats``: the JSON figures, the Rich tables, filters and the empty state."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from failtui import cli_common, scheduling
from failtui.cli import cli
from failtui.decks.catalog import load_catalog
from failtui.locations import db_path
from failtui.session import DrillSession
from failtui.storage import open_db
from failtui.studyday import format_utc
from tests.conftest import FIXED_NOW, SMALLEST_DECK, Clock

# The smallest deck, with markup-like text in its key point label.
MARKUP_DECK = SMALLEST_DECK.replace('label = "What you learned"', 'label = "Learned [/b] [red]x"')


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    """The CLI reads the real clock; here it reads the fixed one."""
    monkeypatch.setattr(cli_common, "system_now", lambda: FIXED_NOW)


@pytest.fixture
def history(data_home):
    """Two ratings of my-deck/first (local time zone, as the CLI uses):

    yesterday "I learned to ask early." (good): lesson covered, no red flag
    today     "My boss was awful."      (again): lesson missed, blame raised
    """
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "mine.toml").write_text(MARKUP_DECK)
    store = open_db(db_path(data_home))
    clock = Clock(FIXED_NOW - timedelta(days=1))
    session = DrillSession(store, load_catalog(data_home), clock=clock, fuzz=False)
    card = session.catalog.card_by_key("my-deck/first")
    for answer, rating in (("I learned to ask early.", "good"), ("My boss was awful.", "again")):
        grade = session.grade(card, answer)
        session.rate(card, answer, grade, rating)
        clock.advance(days=1)
    store.close()


def run(*args: str):
    # Rich sizes tables to COLUMNS when output is not a terminal.
    result = CliRunner(env={"COLUMNS": "120"}).invoke(cli, ["stats", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_help():
    output = run("--help")
    assert "--json" in output and "--deck" in output and "--days" in output
    assert "--home" in output


def test_json_weak_key_points_and_red_flags(history):
    data = json.loads(run("--json"))
    # lesson: expected twice, missed once (today's answer).
    assert [
        (k["id"], k["label"], k["expected"], k["missed"], k["miss_rate"])
        for k in data["weak_key_points"]
    ] == [("lesson", "Learned [/b] [red]x", 2, 1, 0.5)]
    assert data["weak_key_points"][0]["tip"] == "failure-tips/specific-lessons"
    assert data["weak_key_points"][0]["tip_prompt"] == (
        "What makes a lesson from a failure convincing?"
    )
    (blame,) = data["red_flags"]
    assert (blame["id"], blame["raised"]) == ("blame", 1)
    assert data["practice"]["streak_days"] == 2
    assert data["practice"]["reviews"] == 2
    assert [c["card_key"] for c in data["cards"]] == ["my-deck/first"]
    # Rated Again today: relearning, due within minutes, so the forecast counts it today.
    assert data["practice"]["due_forecast"][0]["cards"] == 1


def test_json_filters(history):
    today = json.loads(run("--json", "--days", "1"))
    assert [(k["id"], k["expected"], k["missed"]) for k in today["weak_key_points"]] == [
        ("lesson", 1, 1)
    ]
    assert today["scope"]["days"] == 1
    builtin = json.loads(run("--json", "--deck", "failure-question"))
    assert builtin["weak_key_points"] == [] and builtin["cards"] == []


def test_tables_show_figures_and_user_text_literally(history):
    output = run()
    assert "Weak key points" in output
    assert "Learned [/b] [red]x" in output  # deck text is never read as markup
    assert "50%" in output
    assert "What makes a lesson from a failure convincing?" in output
    assert "Blaming others" in output
    assert "Due next: today 1" in output
    assert "my-deck/first" in output
    assert "streak 2 days" in output


def test_empty_state_says_how_to_get_figures():
    output = run()
    assert "No statistics yet" in output
    assert "failtui drill" in output
    assert "key points you forget most" in output
    data = json.loads(run("--json"))
    assert data["weak_key_points"] == [] and data["red_flags"] == []
    assert data["practice"]["reviews"] == 0


def test_unknown_deck_and_bad_days_are_errors():
    result = CliRunner().invoke(cli, ["stats", "--deck", "nope"])
    assert result.exit_code != 0
    assert "Error: no deck 'nope'" in result.output
    result = CliRunner().invoke(cli, ["stats", "--days", "0"])
    assert result.exit_code != 0
    assert "--days" in result.output


def test_a_deck_removed_from_disk_keeps_its_statistics(history, data_home):
    (data_home / "decks" / "mine.toml").unlink()
    data = json.loads(run("--json", "--deck", "my-deck"))
    lesson = next(k for k in data["weak_key_points"] if k["id"] == "lesson")
    assert (lesson["expected"], lesson["missed"]) == (2, 1)


def test_a_reviewed_card_with_no_time_of_last_review_is_shown_not_a_traceback(history, data_home):
    # A database edited by hand: the card is taken as reviewed one interval (its stability in
    # days) before it is due, so here two days before now.
    store = open_db(db_path(data_home))
    with store.write() as db:
        db.execute(
            "UPDATE card_state SET state = 'review', stability = 3.0, due = ?, "
            "last_review = NULL WHERE card_key = 'my-deck/first'",
            (format_utc(FIXED_NOW + timedelta(days=1)),),
        )
    store.close()
    (card,) = json.loads(run("--json"))["cards"]
    expected = scheduling.recall_after(scheduling.make_scheduler(fuzz=False), 2.0, 3.0)
    assert (card["card_key"], card["retrievability"]) == ("my-deck/first", expected)


def rate_one_answer(data_home, deck_text: str, answer: str, rating: str) -> None:
    """``deck_text`` as the user's deck, and one answer to its card ``first``, rated."""
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    (data_home / "decks" / "mine.toml").write_text(deck_text)
    store = open_db(db_path(data_home))
    session = DrillSession(store, load_catalog(data_home), clock=Clock(FIXED_NOW), fuzz=False)
    card = session.catalog.card_by_key("my-deck/first")
    session.rate(card, answer, session.grade(card, answer), rating)
    store.close()


def test_a_key_point_without_a_built_in_tip_shows_its_hint(data_home):
    deck = SMALLEST_DECK.replace(
        'cues = ["i learned", "taught me", "what stuck with me"]',
        'cues = ["i learned", "taught me", "what stuck with me"]\nhint = "Say the lesson plainly."',
    ).replace('id = "lesson"', 'id = "my-lesson"')
    rate_one_answer(data_home, deck, "Nothing here.", "again")
    (point,) = json.loads(run("--json"))["weak_key_points"]
    assert point["id"] == "my-lesson" and point["tip"] is None
    assert point["hint"] == "Say the lesson plainly."
    assert "Say the lesson plainly." in run()


def test_the_tables_fit_80_columns_and_no_card_id_is_cut(history):
    result = CliRunner(env={"COLUMNS": "80"}).invoke(cli, ["stats"])
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert max(len(line) for line in lines) <= 80
    start = lines.index("Weak key points of the question (worst first)")
    assert lines[start + 2 : start + 6] == [
        " Key point                                        Missed   Rate   Trend",
        " " + "─" * 70,
        " Learned [/b] [red]x                              1 of 2    50%   ▁█",
        " What makes a lesson from a failure convincing?",
    ]
    card = lines.index("Cards most likely forgotten (1 of 1)")
    assert lines[card + 4 : card + 6] == [
        " my-deck/     100%    0.6d     7.4        0      0%   in 1m",
        " first",
    ]


def test_the_calendar_marks_an_interview_day(history, data_home):
    from failtui.scheduling import study_day
    from failtui.storage.interviews import add_interview

    yesterday = study_day(FIXED_NOW - timedelta(days=1)).isoformat()
    store = open_db(db_path(data_home))
    try:
        add_interview(store, yesterday, "Acme", (), "x")
    finally:
        store.close()
    lines = run("--days", "7").splitlines()
    (legend,) = [line for line in lines if line.startswith("    less ")]
    assert legend == "    less · ░ ▒ ▓ █ more; busiest day 1 review; ◆ interview"
    weekday = ("Mon", "", "Wed", "", "Fri", "", "Sun")[date.fromisoformat(yesterday).weekday()]
    marked = [line for line in lines if "◆" in line and line != legend]
    assert len(marked) == 1 and marked[0].startswith(f"{weekday:<4}")
    assert marked[0].count("◆") == 1


def test_a_deck_title_written_too_long_by_hand_is_cut_to_one_line(data_home):
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    long_title = "Long " * 1000
    deck = MARKUP_DECK.replace('title = "My deck"', f'title = "{long_title}"')
    assert deck != MARKUP_DECK
    (data_home / "decks" / "mine.toml").write_text(deck)
    assert run("--deck", "my-deck").splitlines()[0] == (
        "Statistics: deck Long Long Long Long Long Long Long Long…, all history (study day "
        "2026-11-23)"
    )


def test_one_study_day_and_one_review_are_counted_in_the_singular(history):
    from failtui.scheduling import study_day

    today = study_day(FIXED_NOW).isoformat()
    lines = run("--days", "1").splitlines()
    assert lines[0] == f"Statistics: all decks, the last 1 study day (study day {today})"
    (practice,) = [line for line in lines if line.startswith("Practice: ")]
    assert practice == (
        "Practice: streak 2 days · 1 review on 1 of the last 1 day · 1.0 per study day"
    )


def answers_part(output: str) -> list[str]:
    """The lines from the answers table's title to the end, right spaces stripped."""
    lines = [line.rstrip() for line in output.splitlines()]
    start = next(n for n, line in enumerate(lines) if line.startswith("Answers by day"))
    return lines[start:]


def test_the_speaking_advice_shows_only_where_there_are_failure_question_cards(history):
    # my-deck's one question has a single key point of its own: not the failure question.
    assert answers_part(run("--deck", "my-deck"))[:3] == [
        "Answers by day",
        "┏━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━┳━━━━━━━━┳━━━━━━━━━━┓",
        "┃ Day        ┃ Answers ┃ Words ┃ Spoken ┃ Coverage ┃",
    ]
    # All decks hold the built-in failure question: the advice and its column are shown.
    assert answers_part(run())[:3] == [
        "Answers by day (advice: speak 2-3 minutes)",
        "┏━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━┓",
        "┃ Day        ┃ Answers ┃ Words ┃ Spoken ┃ In 2-3 min ┃ Coverage ┃",
    ]


def test_the_answer_trends_state_their_scale(history):
    # Two days: 100% then 0% covered; about 2 seconds of speaking each.
    assert answers_part(run("--deck", "my-deck"))[-4:] == [
        "Coverage per day (share of key points covered, scale 0-100%)",
        "  █▁",
        "Speaking time per day (scale 0-0:02, the longest day)",
        "  █▇",
    ]
    # Where the advice applies, 3 minutes is the top: 2 seconds is a sliver, not a maximum.
    assert answers_part(run())[-4:] == [
        "Coverage per day (share of key points covered, scale 0-100%)",
        "  █▁",
        "Speaking time per day (scale 0-3:00, top of the advised 2-3 minutes)",
        "  ▁▁",
    ]


def test_one_day_of_answers_is_named_not_drawn(data_home):
    rate_one_answer(data_home, SMALLEST_DECK, "I learned it.", "good")
    assert answers_part(run("--deck", "my-deck"))[-2:] == [
        "Coverage per day: one day so far (100% of key points covered)",
        "Speaking time per day: one day so far (0:01)",
    ]


def test_one_day_of_a_period_is_named_not_drawn(history):
    assert answers_part(run("--days", "1"))[-2:] == [
        "Coverage per day: one day in this period (0% of key points covered)",
        "Speaking time per day: one day in this period (0:02; advised 2-3 minutes)",
    ]


def rate_built_in(data_home, key: str, answer: str) -> None:
    """One answer to a built-in card, rated good now."""
    store = open_db(db_path(data_home))
    session = DrillSession(store, load_catalog(data_home), clock=Clock(FIXED_NOW), fuzz=False)
    card = session.catalog.card_by_key(key)
    session.rate(card, answer, session.grade(card, answer), "good")
    store.close()


def test_all_decks_say_which_answers_their_figures_leave_out(data_home):
    rate_built_in(data_home, "failure-tips/what-interviewer-wants", "They want to see I learn.")
    # A tip's answer is not a spoken answer to the question: all decks leave it out, and say so.
    assert run().splitlines()[-2:] == [
        "Answers: none in this period.",
        "Left out: 1 answer in failure-tips, a deck without question cards (the deck's own "
        "statistics show its answers).",
    ]
    assert answers_part(run("--deck", "failure-tips"))[3:5] == [
        "┡━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━╇━━━━━━━━╇━━━━━━━━━━┩",
        f"│ {FIXED_NOW.date()} │       1 │     6 │   0:03 │      33% │",
    ]
    rate_built_in(data_home, "failure-pitfalls/claiming-never-failed", "I blamed nobody.")
    rate_built_in(data_home, "failure-question/biggest-failure", "I learned to ask early.")
    assert [line.rstrip() for line in run().splitlines()[-2:]] == [
        "Left out: 1 answer in failure-pitfalls and 1 in failure-tips, decks without question "
        "cards (each deck's own statistics",
        "show its answers).",
    ]
    assert json.loads(run("--json"))["practice"]["answers_left_out"] == [
        {"deck": "failure-pitfalls", "answers": 1, "present": True},
        {"deck": "failure-tips", "answers": 1, "present": True},
    ]


def test_left_out_counts_many_decks_and_names_decks_no_longer_present(data_home):
    rate_built_in(data_home, "failure-tips/what-interviewer-wants", "They want to see I learn.")
    rate_built_in(data_home, "failure-pitfalls/claiming-never-failed", "I blamed nobody.")
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    mine = data_home / "decks" / "mine.toml"
    mine.write_text(
        'id = "mine"\ntitle = "Mine"\ndescription = ""\n\n[[cards]]\nid = "c1"\nkind = "tip"\n'
        'prompt = "Card?"\nanswer = "Say it."\n[[cards.key_points]]\nid = "point"\n'
        'label = "The point"\ncues = ["the point"]\n'
    )
    rate_built_in(data_home, "mine/c1", "The point, said.")
    # Three decks without question cards are counted, not listed one by one.
    assert run().splitlines()[-1] == (
        "Left out: 3 answers in 3 decks without question cards (each deck's own statistics "
        "show its answers)."
    )
    mine.unlink()
    lines = [line.rstrip() for line in run().splitlines()]
    assert " ".join(lines[-2:]) == (
        "Left out: 1 answer in failure-pitfalls and 1 in failure-tips, decks without question "
        "cards (each deck's own statistics show its answers); 1 answer in decks no longer present."
    )
    assert json.loads(run("--json"))["practice"]["answers_left_out"][-1] == {
        "deck": "mine", "answers": 1, "present": False,
    }  # fmt: skip
