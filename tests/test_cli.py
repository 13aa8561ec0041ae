"""The command line: help for every command, grade, decks, plain drill."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from failtui.cli import cli
from tests.conftest import SMALLEST_DECK


@pytest.fixture
def my_deck(data_home):
    """The smallest deck, installed as the user's own."""
    (data_home / "decks").mkdir(parents=True, exist_ok=True)
    path = data_home / "decks" / "mine.toml"
    path.write_text(SMALLEST_DECK)
    return path


def _all_commands(group=cli, prefix=()) -> list[list[str]]:
    """Every command and group of the CLI, found from the click group so none is missed."""
    found = [list(prefix)]
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            found += _all_commands(command, (*prefix, name))
        else:
            found.append([*prefix, name])
    return found


COMMANDS = _all_commands()


def test_the_command_list_is_complete():
    assert {"grade", "drill", "stats", "doctor"} <= {c[0] for c in COMMANDS if c}
    assert ["decks", "import"] in COMMANDS and ["decks", "export"] in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "failtui")
def test_every_command_has_help_with_home(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: failtui" in result.output
    if command and command != ["decks"]:
        assert "--home" in result.output


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "failtui", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "biggest failure" in result.stdout


GOOD_ANSWER = (
    "In my last job I was a shift supervisor in a warehouse and I was responsible for the "
    "outbound orders. I made the mistake of skipping the final count to save time. As a result "
    "forty orders went out wrong and it cost us two thousand dollars in returns. I owned up, "
    "called the customers and set up a two-person check. I learned that shortcuts cost more than "
    "they save. Since then I always double check, and the next quarter we had zero mis-picks."
)


def test_grade_json_contract():
    result = CliRunner().invoke(
        cli, ["grade", "--card", "biggest-failure", "--json"], input=GOOD_ANSWER
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["card"] == "biggest-failure"
    assert data["deck"] == "failure-question"
    assert {
        "key_points",
        "red_flags",
        "coverage",
        "words",
        "speaking_seconds",
        "lesson_share",
        "suggested_rating",
    } <= set(data)
    ids = [kp["id"] for kp in data["key_points"]]
    assert ids == [
        "context",
        "task",
        "failure",
        "impact",
        "quantified",
        "remedy",
        "lesson",
        "applied",
    ]
    for kp in data["key_points"]:
        assert set(kp) >= {"id", "label", "covered", "score", "evidence"}
    assert data["suggested_rating"] in ("good", "easy")
    assert 0 < data["coverage"] <= 1
    assert data["words"] == len(GOOD_ANSWER.split())


def test_grade_reads_file_and_prints_report(tmp_path):
    answer = tmp_path / "a.txt"
    answer.write_text("I've never really failed at anything, to be honest.")
    result = CliRunner().invoke(cli, ["grade", "--card", "biggest-failure", str(answer)])
    assert result.exit_code == 0, result.output
    assert "Claims never to have failed" in result.output or "never" in result.output.lower()
    assert "Suggested rating: Again" in result.output


def test_grade_unknown_card_is_one_line_error():
    result = CliRunner().invoke(cli, ["grade", "--card", "no-such-card"], input="x")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no card 'no-such-card' in any deck"


@pytest.mark.parametrize("answer", ["", " \n\t\n"], ids=["nothing", "blank lines"])
def test_grade_an_empty_answer_is_one_line_error(answer):
    result = CliRunner().invoke(cli, ["grade", "--card", "biggest-failure"], input=answer)
    assert result.exit_code == 1
    assert result.output == (
        "Error: standard input: the answer is empty: there is nothing to grade\n"
    )


def test_grade_ambiguous_card_lists_candidates(data_home):
    (data_home / "decks").mkdir(parents=True)
    (data_home / "decks" / "a.toml").write_text(SMALLEST_DECK)
    (data_home / "decks" / "b.toml").write_text(SMALLEST_DECK.replace('"my-deck"', '"other"'))
    result = CliRunner().invoke(cli, ["grade", "--card", "first"], input="x")
    assert result.exit_code == 1
    assert result.output == (
        "Error: card id 'first' is in several decks (my-deck/first, other/first); name it as "
        "DECK/CARD, such as my-deck/first\n"
    )
    result = CliRunner().invoke(
        cli, ["grade", "--card", "first", "--deck", "other", "--json"], input="I learned to ask."
    )
    assert json.loads(result.output)["deck"] == "other"
    # The DECK/CARD form that `failtui cards` prints names the card as well.
    result = CliRunner().invoke(
        cli, ["grade", "--card", "other/first", "--json"], input="I learned to ask."
    )
    assert json.loads(result.output)["deck"] == "other"
    suspended = CliRunner().invoke(cli, ["cards", "suspend", "other/first"])
    assert suspended.exit_code == 0, suspended.output


def test_decks_validate(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(SMALLEST_DECK)
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\n')
    result = CliRunner().invoke(cli, ["decks", "validate", str(good), str(bad)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == f"{good}: ok (1 card)"
    assert lines[1] == f"{bad}: deck is missing 'title'"
    result = CliRunner().invoke(cli, ["decks", "validate", str(good)])
    assert result.exit_code == 0


def test_decks_list_json_includes_broken(data_home, my_deck):
    (data_home / "decks" / "broken.toml").write_text("id = ")
    result = CliRunner().invoke(cli, ["decks", "list", "--json"])
    rows = json.loads(result.output)
    by_id = {r.get("id"): r for r in rows}
    assert by_id["my-deck"]["source"] == "user"
    assert by_id["my-deck"]["cards"] == 1
    assert by_id["failure-question"]["source"] == "built-in"
    assert any("broken.toml" in r.get("error", "") for r in rows)


def test_home_option_wins_over_environment(tmp_path):
    result = CliRunner().invoke(cli, ["decks", "path", "--home", str(tmp_path / "elsewhere")])
    assert result.output.strip() == str(tmp_path / "elsewhere" / "decks")
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "g"), "decks", "path"])
    assert result.output.strip() == str(tmp_path / "g" / "decks")


def test_plain_drill_rates_and_stores(data_home, my_deck):
    script = "My boss did it.\nI learned to ask.\n.\n3\n"
    result = CliRunner().invoke(
        cli, ["drill", "--plain", "--deck", "my-deck", "--limit", "1"], input=script
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Tell me about a time you failed." in out
    assert "[x] What you learned" in out
    assert "(!) Blaming others" in out
    assert "Own your part" in out
    assert "Suggested rating:" in out
    assert "Rated Good" in out
    from failtui.storage import open_db

    store = open_db(data_home / "failtui.db")
    assert store.query("SELECT rating FROM reviews")[0][0] == 3
    assert store.query("SELECT answer FROM attempts")[0][0] == "My boss did it.\nI learned to ask."


def test_plain_drill_q_stops_and_keeps_draft(data_home, my_deck):
    result = CliRunner().invoke(
        cli, ["drill", "--plain", "--deck", "my-deck"], input="half an answer\n.\nq\n"
    )
    assert result.exit_code == 0, result.output
    assert "Stopped" in result.output
    from failtui.storage import open_db

    store = open_db(data_home / "failtui.db")
    assert store.query("SELECT count(*) FROM reviews")[0][0] == 0
    assert store.query("SELECT text FROM drafts")[0][0] == "half an answer"


@pytest.mark.parametrize("answer_lines", ["q\n", "Q\n.\n"])
def test_plain_drill_a_lone_q_as_the_answer_stops_and_keeps_the_draft(
    data_home, my_deck, answer_lines
):
    from failtui.storage import open_db

    first = CliRunner().invoke(
        cli, ["drill", "--plain", "--deck", "my-deck"], input="half an answer\n.\nq\n"
    )
    assert first.exit_code == 0, first.output
    result = CliRunner().invoke(cli, ["drill", "--plain", "--deck", "my-deck"], input=answer_lines)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        "Type your answer; end it with a line holding only '.' (a lone 'q' stops).",
        "Stopped; your draft is kept.",
    ]
    store = open_db(data_home / "failtui.db")
    assert store.query("SELECT text FROM drafts")[0][0] == "half an answer"
    assert store.query("SELECT count(*) FROM reviews")[0][0] == 0


def test_plain_drill_bad_rating_asks_again(data_home, my_deck):
    result = CliRunner().invoke(
        cli, ["drill", "--plain", "--deck", "my-deck", "--limit", "1"], input="answer\n.\n7\n\n"
    )
    assert "'7' is not a rating" in result.output
    assert "Rated" in result.output


def test_unknown_deck_for_drill():
    result = CliRunner().invoke(cli, ["drill", "--plain", "--deck", "nope"], input="")
    assert result.exit_code == 1
    assert "no deck 'nope'" in result.output


def test_broken_database_gives_one_line(data_home):
    data_home.mkdir(parents=True)
    (data_home / "failtui.db").write_bytes(b"garbage" * 1000)
    result = CliRunner().invoke(cli, ["drill", "--plain"], input="")
    assert result.exit_code == 1
    assert "not a usable failtui database" in result.output
    assert "Traceback" not in result.output


BAD_IN_MANY_WAYS = """id = "bad"
title = "Bad"

[[cards]]
id = "one"
kind = "quiz"
prompt = ""
answer = "A."

[[cards]]
id = "two"
prompt = "Fine?"
answer = "A."
tags = "x"

[[cards.key_points]]
id = "k"
label = "K"
cues = []

[[cards]]
id = "one"
prompt = "Dup"
answer = "A."
"""


def test_decks_validate_reports_every_problem_of_a_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_IN_MANY_WAYS)
    result = CliRunner().invoke(cli, ["decks", "validate", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}:6: card 'one': 'kind' must be one of question, tip, pitfall, not 'quiz'",
        f"{bad}:7: card 'one': 'prompt' is empty",
        f"{bad}:14: card 'two': 'tags' must be a list of strings",
        f"{bad}:19: card 'two': key point 'k' needs 'cues', a non-empty list of phrases",
        f"{bad}:22: card 'one': duplicate card id (ids must be unique in a deck)",
    ]


def test_plain_drill_input_ending_before_a_rating_rates_nothing(data_home, my_deck):
    """Only a line (a rating, or an empty line for the suggestion) rates: piped input that
    stops after the answer leaves the card unrated, with the answer as its draft."""
    result = CliRunner().invoke(
        cli, ["drill", "--plain", "--deck", "my-deck"], input="Some answer.\n.\n"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-4:] == [
        "The input ended before a rating: the card is not rated (your answer is kept as its "
        "draft).",
        "",
        "Done: 0 cards rated.",
        "Next card: my-deck/first, due now.",
    ]
    from failtui.storage import open_db

    store = open_db(data_home / "failtui.db")
    assert store.query("SELECT count(*) FROM reviews")[0][0] == 0
    assert store.query("SELECT text FROM drafts")[0][0] == "Some answer."


def test_output_into_a_reader_that_went_away_stops_quietly(data_home):
    """`failtui cards | head -1`: no error line blaming the data folder, exit 1."""
    process = subprocess.Popen(
        [sys.executable, "-m", "failtui", "cards"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # the reader goes away before the first line is written
    _, err = process.communicate(timeout=60)
    assert err.decode() == ""
    assert process.returncode == 1


@pytest.mark.parametrize("command", [[], ["drill"]], ids=["app", "drill"])
def test_the_app_with_standard_input_from_a_pipe_says_to_use_plain(data_home, command):
    result = subprocess.run(
        [sys.executable, "-m", "failtui", *command],
        input="hello\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "Error: standard input is not a terminal, and the app reads its keys there; for "
        "answers from a pipe or a file use 'failtui drill --plain'\n"
    )


def test_undo_takes_back_the_newest_rating_of_a_plain_drill(data_home, my_deck, monkeypatch):
    """A screen-reader user's undo: the plain drill has none of its own."""
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    from failtui.storage import open_db

    script = "My boss did it.\nI learned to ask.\n.\n3\n"
    rated = CliRunner().invoke(
        cli, ["drill", "--plain", "--deck", "my-deck", "--limit", "1"], input=script
    )
    assert rated.exit_code == 0, rated.output
    store = open_db(data_home / "failtui.db")
    (reviewed_at,) = store.query("SELECT reviewed_at FROM reviews")[0]
    store.close()
    result = CliRunner().invoke(cli, ["undo"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Undid the rating Good of my-deck/first (given {reviewed_at[:16].replace('T', ' ')}); "
        "its answer is the card's draft again.\n"
    )
    store = open_db(data_home / "failtui.db")
    try:
        assert store.query("SELECT count(*) FROM reviews")[0][0] == 0
        assert store.query("SELECT count(*) FROM attempts")[0][0] == 0
        assert store.query("SELECT count(*) FROM card_state")[0][0] == 0  # new again
        assert store.query("SELECT text FROM drafts")[0][0] == "My boss did it.\nI learned to ask."
    finally:
        store.close()
    again = CliRunner().invoke(cli, ["undo"])
    assert (again.exit_code, again.output) == (1, "Error: no rating to undo\n")


def test_decks_validate_names_a_deck_id_that_is_taken(data_home, tmp_path):
    decks = data_home / "decks"
    decks.mkdir(parents=True)
    (decks / "a.toml").write_text(SMALLEST_DECK)
    (decks / "b.toml").write_text(SMALLEST_DECK)  # the same id: only a.toml loads
    builtin_id = tmp_path / "tips.toml"
    builtin_id.write_text(SMALLEST_DECK.replace('"my-deck"', '"failure-tips"'))
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    result = CliRunner().invoke(
        cli, ["decks", "validate", str(decks / "a.toml"), str(decks / "b.toml"), str(builtin_id),
              str(empty)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{decks / 'a.toml'}:1: deck id 'my-deck' is already used by {decks / 'b.toml'}, "
        "which does not load beside it",
        f"{decks / 'b.toml'}:1: deck id 'my-deck' is already used by {decks / 'a.toml'}",
        f"{builtin_id}:1: deck id 'failure-tips' is already used by a built-in deck",
        f"{empty}: deck needs an 'id' of 1-100 letters, digits, '-', '_' or '.', starting with "
        "a letter or digit",
        f"{empty}: deck is missing 'title'",
    ]


def test_grade_a_missing_file_says_so_without_the_size_limit(tmp_path):
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["grade", "--card", "biggest-failure", str(missing)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {missing}: cannot read answer: No such file or directory\n",
    )


def test_a_data_directory_that_is_a_file_is_named_so(tmp_path, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("")
    monkeypatch.setenv("FAILTUI_HOME", str(afile))
    result = CliRunner().invoke(cli, ["stats"])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {afile}: is a file, not a folder; give a data directory\n",
    )
